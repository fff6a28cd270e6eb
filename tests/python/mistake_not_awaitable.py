import asyncio
import time


async def main():
    print("sleeping the wrong way")
    await time.sleep(0.1)  # time.sleep returns None, which cannot be awaited


asyncio.run(main())
