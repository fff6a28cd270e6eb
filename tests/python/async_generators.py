import asyncio


async def ticks(n, delay):
    for i in range(n):
        await asyncio.sleep(delay)
        yield i


async def squares(source):
    async for x in source:
        yield x * x


async def main():
    async for t in ticks(3, 0.1):
        print("tick", t)
    print([s async for s in squares(ticks(4, 0.05))])
    print({t % 2 async for t in ticks(4, 0)})
    evens = [t async for t in ticks(6, 0) if t % 2 == 0]
    print(evens, sum([await asyncio.sleep(0, result=t) for t in range(4)]))
    gen = ticks(2, 0)
    print(await gen.__anext__(), await anext(gen))
    try:
        await anext(gen)
    except StopAsyncIteration:
        print("exhausted")


asyncio.run(main())
