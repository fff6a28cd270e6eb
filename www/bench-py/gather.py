import asyncio
import time


async def one():
    await asyncio.sleep(0)


async def main():
    start = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(10_000)))
    print((time.perf_counter() - start) * 1000)


asyncio.run(main())
