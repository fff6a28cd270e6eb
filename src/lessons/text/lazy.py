import asyncio


async def mul(x, y):
    print(f"mul({x}, {y}) is running")
    return x * y


coro = mul(5, 5)  # only creates a coroutine object: nothing runs
print("created mul(5, 5): nothing has run yet")

# The tutorials call asyncio.get_event_loop() here; outside a running loop
# that is deprecated since Python 3.10, so make the loop explicitly.
loop = asyncio.new_event_loop()
res = loop.run_until_complete(coro)
print(res)
loop.close()
