# Your own program: change anything, then run it (Ctrl-Enter in the
# editor). It runs on this page's event loop; step through what the loop
# did with it, line by line.
import asyncio
import time


async def brew(drink, seconds):
    print(f"{drink}: started")
    await asyncio.sleep(seconds)
    print(f"{drink}: ready")
    return drink


async def main():
    start = time.perf_counter()
    tea = asyncio.create_task(brew("tea", 3))
    coffee = asyncio.create_task(brew("coffee", 2))
    print("waiting for both...")
    drinks = await asyncio.gather(tea, coffee)
    print(f"{drinks} after {time.perf_counter() - start:.1f} s")


asyncio.run(main())
