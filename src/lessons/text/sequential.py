import asyncio
import time


async def task(tid, n):
    await asyncio.sleep(n)  # <1>
    print(f"task {tid} finished")


async def main():
    start = time.perf_counter()
    await task(1, 3)  # <2>
    await task(2, 2)  # <3>
    await task(3, 1)  # <4>
    print(f"Total time elapsed: {time.perf_counter() - start:.2f} seconds")


asyncio.run(main())
