import asyncio


async def producer(queue, n):
    for i in range(n):
        # 0.04, not 0.05: no put falls at the very time of a get's print
        # (a tie whose order would be up to the timers' jitter).
        await asyncio.sleep(0.04)
        await queue.put(i)
        print(f"put {i}")
    await queue.put(None)


async def consumer(queue):
    total = 0
    while True:
        item = await queue.get()
        queue.task_done()
        if item is None:
            break
        await asyncio.sleep(0.1)
        print(f"got {item}")
        total += item
    return total


async def main():
    queue = asyncio.Queue(maxsize=2)
    _, total = await asyncio.gather(producer(queue, 5), consumer(queue))
    await queue.join()
    print("total", total, "empty", queue.empty(), "size", queue.qsize())


asyncio.run(main())
