import asyncio
import time


async def square(n, delay):
    await asyncio.sleep(delay)
    print(f"square({n}) done")
    return n * n


async def fail(delay):
    await asyncio.sleep(delay)
    raise ValueError(f"failed after {delay}")


async def main():
    start = time.perf_counter()
    results = await asyncio.gather(square(2, 0.3), square(3, 0.1), square(4, 0.2))
    print("results in call order:", results)
    mixed = await asyncio.gather(square(5, 0.1), fail(0.2), return_exceptions=True)
    print("with exceptions:", mixed)
    try:
        await asyncio.gather(square(6, 0.3), fail(0.1))
    except ValueError as e:
        print("gather raised:", e)
    print(f"took {time.perf_counter() - start:.1f} s")


asyncio.run(main())
