import asyncio


async def task(n):
    await asyncio.sleep(0.1)
    if n == 2:
        return {"a": 1}["b" * n]
    return n


async def main():
    print("gathering")
    results = await asyncio.gather(task(1), task(2))
    print("never printed", results)


asyncio.run(main())
