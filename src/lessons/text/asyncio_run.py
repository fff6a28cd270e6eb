import asyncio


async def add(x, y):
    return x + y


async def get_results():
    a = await add(3, 4)
    b = await add(8, 5)
    print(a, b)


asyncio.run(get_results())  # create a loop, run the coroutine, close the loop
