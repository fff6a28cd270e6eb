import asyncio


async def waiter(name, event):
    print(f"{name} waits for the event")
    await event.wait()
    print(f"{name} saw the event")


async def use(name, lock, log):
    async with lock:
        log.append(f"{name} in")
        await asyncio.sleep(0.1)
        log.append(f"{name} out")


async def main():
    event = asyncio.Event()
    waiters = [asyncio.create_task(waiter(n, event)) for n in ("w1", "w2")]
    await asyncio.sleep(0.1)
    print("is set?", event.is_set())
    event.set()
    await asyncio.gather(*waiters)

    lock = asyncio.Lock()
    log = []
    await asyncio.gather(use("a", lock, log), use("b", lock, log), use("c", lock, log))
    print(log)
    print("locked now?", lock.locked())


asyncio.run(main())
