import asyncio


async def worker(seconds):
    me = asyncio.current_task()
    print(f"{me.get_name()} starts")
    await asyncio.sleep(seconds)
    print(f"{me.get_name()} ends")
    return seconds * 10


async def main():
    print("main is", asyncio.current_task().get_name())
    a = asyncio.create_task(worker(0.2), name="slow")
    b = asyncio.create_task(worker(0.1), name="fast")
    print(a.done(), b.done())
    await asyncio.sleep(0)
    print(await a, await b, a.result(), b.done(), a.cancelled())


asyncio.run(main())
