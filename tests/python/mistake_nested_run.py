import asyncio


async def inner():
    return 1


async def main():
    print("inside the loop")
    asyncio.run(inner())  # a loop is running already


asyncio.run(main())
