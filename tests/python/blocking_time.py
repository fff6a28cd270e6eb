import asyncio
import time


async def ticker(log):
    while True:
        log.append(round(time.perf_counter() - START, 1))
        await asyncio.sleep(0.2)


async def main():
    log = []
    tick = asyncio.create_task(ticker(log))
    await asyncio.sleep(0.5)
    time.sleep(0.6)  # the ticker cannot run: nothing else does
    await asyncio.sleep(0.3)
    tick.cancel()
    print("ticks at", log)
    print(f"monotonic and perf_counter agree: {abs((time.monotonic() - time.perf_counter()) - OFFSET) < 0.05}")


START = time.perf_counter()
OFFSET = time.monotonic() - time.perf_counter()
asyncio.run(main())
print(time.time() > 1_600_000_000)
