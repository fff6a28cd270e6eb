import asyncio


async def calculate():
    await asyncio.sleep(1)  # <1>
    return 10


async def main():
    result = await calculate()  # <2>
    print(result)


asyncio.run(main())
