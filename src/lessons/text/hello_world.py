import asyncio


async def greet():
    print("Hello")
    await asyncio.sleep(2)  # <1>
    print("World")


asyncio.run(greet())
