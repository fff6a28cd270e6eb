import asyncio
import time


async def task(tid, n):
    await asyncio.sleep(n)  # <1>
    print(f"task {tid} finished")


async def main():
    start = time.perf_counter()
    t1 = asyncio.create_task(task(1, 3))  # each task starts right away
    t2 = asyncio.create_task(task(2, 2))
    t3 = asyncio.create_task(task(3, 1))
    await asyncio.gather(t1, t2, t3)  # <2>
    print(f"Total time elapsed: {time.perf_counter() - start:.2f} seconds")


asyncio.run(main())
