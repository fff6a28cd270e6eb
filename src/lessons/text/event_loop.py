import asyncio
import time


async def main():
    loop = asyncio.get_running_loop()
    start = time.perf_counter()

    def ran(what):
        ms = (time.perf_counter() - start) * 1000
        print(f"{what} ran at +{ms:.1f} ms")

    async def task():
        ran("create_task")

    print("main: schedule four things, then wait")
    loop.call_later(0, ran, "call_later(0)")  # a timer, due at once
    asyncio.create_task(task())  # its first step: the next turn
    loop.call_soon(ran, "call_soon")  # the next turn of the loop
    done = loop.create_future()
    done.add_done_callback(lambda _: ran("future callback"))
    done.set_result(None)  # callbacks are scheduled with call_soon
    print("main: back to the loop")
    await asyncio.sleep(0.01)

    # One queue of ready callbacks, one heap of timers: no microtasks,
    # and asyncio never holds a zero-delay timer back.
    before = time.perf_counter()
    for _ in range(10):
        await asyncio.sleep(0)
    ms = (time.perf_counter() - before) * 1000
    print(f"10 sleep(0) in a row took {ms:.1f} ms")


asyncio.run(main())
