import asyncio


async def stubborn():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("cleaning up before giving in")
        await asyncio.sleep(0.1)
        raise
    finally:
        print("finally ran")


async def main():
    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0.1)
    print("cancel() says", task.cancel())
    try:
        await task
    except asyncio.CancelledError:
        print("the task was cancelled:", task.cancelled(), task.done())
    print("cancel() again says", task.cancel())

    quick = asyncio.create_task(asyncio.sleep(0, result="finished"))
    await asyncio.sleep(0.01)
    print(quick.cancel(), quick.result())


asyncio.run(main())
