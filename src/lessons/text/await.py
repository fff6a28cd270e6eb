import asyncio
import time


class Timer:
    """An awaitable that gives `value` after `secs` seconds."""

    def __init__(self, secs, value):
        self.secs = secs
        self.value = value
        self.polls = 0

    def __await__(self):
        loop = asyncio.get_running_loop()
        woken = loop.create_future()
        self.polls += 1
        print(f"poll {self.polls}: timer set, pending")
        loop.call_later(self.secs, woken.set_result, "the timer")
        by = yield from woken  # suspends the caller until the timer fires
        self.polls += 1
        print(f"poll {self.polls}: woken by {by}, ready({self.value})")
        return self.value


async def main():
    start = time.perf_counter()
    timer = Timer(1, 42)
    print("made a Timer: nothing runs until it is awaited")
    await asyncio.sleep(1)
    print(f"after a sleep it had been polled {timer.polls} times")
    value = await timer
    print(f"await gave {value} after {timer.polls} polls")
    print(f"Total time elapsed: {time.perf_counter() - start:.2f} seconds")


asyncio.run(main())
