import asyncio
import time


class Ticker:
    """Counts from 1 to `count`, waiting `delay` seconds before each."""

    def __init__(self, delay, count):
        self.delay = delay
        self.count = count
        self.n = 0

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.n == self.count:
            raise StopAsyncIteration
        await asyncio.sleep(self.delay)
        self.n += 1
        return self.n


async def item(n, delay):
    await asyncio.sleep(delay)
    return n


async def main():
    start = time.perf_counter()
    async for n in Ticker(1, 3):  # one item after another
        print(f"tick {n}")
    ticks = [n async for n in Ticker(1, 3)]  # still one after another
    print(f"collected {ticks}")
    items = await asyncio.gather(*(item(n, 1) for n in range(1, 4)))  # at once
    print(f"gathered {items}")
    print(f"Total time elapsed: {time.perf_counter() - start:.2f} seconds")


asyncio.run(main())
