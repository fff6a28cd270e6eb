import asyncio


async def mul(x, y):
    return x * y


async def sleeper(n):
    await asyncio.sleep(n)  # <1>


def status(task):
    if task.cancelled():
        return "cancelled"
    return "done" if task.done() else "pending"


async def cancel_a_sleeper():
    job = asyncio.create_task(sleeper(10))
    await asyncio.sleep(1)  # <2>
    print("sleeper:", status(job))
    job.cancel()
    try:
        await job
    except asyncio.CancelledError:
        print("sleeper:", status(job))


loop = asyncio.new_event_loop()
task = loop.create_task(mul(10, 10))  # scheduled at once
print("task:", status(task))
print(loop.run_until_complete(task))
print("task:", status(task))
loop.run_until_complete(cancel_a_sleeper())
loop.close()
