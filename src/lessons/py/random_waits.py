import asyncio
import random
import time


async def task(tid):
    await asyncio.sleep(random.randint(0, 3))
    print(f"task {tid} finished")


async def main():
    start = time.perf_counter()
    for _ in range(2):
        await asyncio.gather(task(1), task(2), task(3))
        time.sleep(1)  # blocks: nothing else on the loop can run
        print("-" * 20)
    print(f"Total time elapsed: {time.perf_counter() - start:.2f} seconds")


asyncio.run(main())
