import asyncio
import time


async def fetch(name, seconds):
    await asyncio.sleep(seconds)
    return f"{name} after {seconds} s"


async def main():
    start = time.perf_counter()
    coros = [fetch("a", 0.3), fetch("b", 0.1), fetch("c", 0.2)]
    for next_done in asyncio.as_completed(coros):
        result = await next_done
        print(f"{time.perf_counter() - start:.1f}: {result}")

    tasks = [asyncio.create_task(fetch(n, s)) for n, s in [("x", 0.2), ("y", 0.1), ("z", 0.5)]]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print("first done:", [t.result() for t in done], "pending:", len(pending))
    done, pending = await asyncio.wait(pending, timeout=0.15)
    print("then:", sorted(t.result() for t in done), "still pending:", len(pending))
    for t in pending:
        t.cancel()
    done, _ = await asyncio.wait(tasks)
    print("cancelled:", sum(t.cancelled() for t in done))


asyncio.run(main())
