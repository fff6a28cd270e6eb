import asyncio
import time


def report(what, loop, start):
    print(f"{what} at {round(time.perf_counter() - start, 1)}, loop time moves: {loop.time() >= 0}")


async def main():
    loop = asyncio.get_running_loop()
    start = time.perf_counter()
    loop.call_later(0.2, report, "later", loop, start)
    loop.call_soon(report, "soon", loop, start)
    fut = loop.create_future()
    fut.add_done_callback(lambda f: print("callback saw", f.result()))
    loop.call_later(0.1, fut.set_result, 42)
    print("awaiting the future; done?", fut.done())
    print("it gave", await fut, "done?", fut.done())
    await asyncio.sleep(0.2)
    failing = loop.create_future()
    failing.set_exception(KeyError("k"))
    try:
        await failing
    except KeyError as e:
        print("the future raised", repr(e), repr(failing.exception()))


loop = asyncio.new_event_loop()
loop.run_until_complete(main())
print(loop.run_until_complete(asyncio.sleep(0.1, result="slept")))
loop.close()
print("closed:", loop.is_closed())
