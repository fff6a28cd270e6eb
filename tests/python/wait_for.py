import asyncio


async def slow(label, seconds):
    try:
        await asyncio.sleep(seconds)
        return label
    except asyncio.CancelledError:
        print(f"{label} was cancelled")
        raise


async def main():
    print(await asyncio.wait_for(slow("quick", 0.1), timeout=1))
    try:
        await asyncio.wait_for(slow("too slow", 2), timeout=0.2)
    except asyncio.TimeoutError:
        print("wait_for timed out")
    try:
        async with asyncio.timeout(0.3):
            await slow("in a timeout block", 5)
    except TimeoutError:
        print("the timeout block timed out")
    async with asyncio.timeout(1):
        print(await slow("within the block", 0.1))


asyncio.run(main())
