import asyncio
import time

running = 0
peak = 0


async def download(n, limit):
    global running, peak
    async with limit:
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.2)
        running -= 1
    return n


async def main():
    start = time.perf_counter()
    limit = asyncio.Semaphore(3)
    done = await asyncio.gather(*(download(n, limit) for n in range(9)))
    print(done)
    print(f"at most {peak} at once, {time.perf_counter() - start:.1f} s in all")


asyncio.run(main())
