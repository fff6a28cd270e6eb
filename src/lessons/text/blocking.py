import asyncio
import random
import time


async def task(tid):
    await asyncio.sleep(random.randint(0, 3))  # <1>
    print(f"task {tid} finished")


async def ticker():
    while True:  # a timer always pending: watch what blocking does to it
        await asyncio.sleep(0.1)  # <2>


async def main():
    start = time.perf_counter()
    ticks = asyncio.create_task(ticker())  # cancelled when main ends
    for _ in range(2):
        await asyncio.gather(task(1), task(2), task(3))  # <3>
        time.sleep(1)  # blocks: nothing else on the loop can run <4>
        print("-" * 20)
    print(f"Total time elapsed: {time.perf_counter() - start:.2f} seconds")


asyncio.run(main())
