import asyncio


async def greet(name):
    print(f"hello, {name}")


async def main():
    greet("forgotten")  # no await: the coroutine is made and dropped
    await greet("awaited")
    print("main ends")


asyncio.run(main())
