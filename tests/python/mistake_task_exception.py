import asyncio


async def broken():
    raise ValueError("nobody looks at me")


async def main():
    task = asyncio.create_task(broken())
    await asyncio.sleep(0.1)
    print("the task is done:", task.done())
    print("main ends")


asyncio.run(main())
