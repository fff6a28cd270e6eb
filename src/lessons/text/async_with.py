import asyncio
import time


class Connection:
    """A connection that must be closed, with a goodbye, when done."""

    def __init__(self, name):
        self.name = name

    async def __aenter__(self):
        print(f"opening {self.name}")
        await asyncio.sleep(0.5)
        return self

    async def __aexit__(self, exc_type, exc, tb):
        print(f"closing {self.name}")
        await asyncio.sleep(0.5)  # send the goodbye
        print(f"{self.name} closed")
        return False  # an exception from the body carries on


async def query(name, fail=False):
    async with Connection(name) as conn:
        print(f"query on {conn.name}")
        await asyncio.sleep(1)
        if fail:
            raise ValueError("bad row")


async def main():
    start = time.perf_counter()
    await query("db")
    try:
        await query("cache", fail=True)
    except ValueError as e:
        print(f"error: {e}")

    task = asyncio.create_task(query("log"))
    await asyncio.sleep(1)  # halfway through the query
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("log task: cancelled")
    print(f"Total time elapsed: {time.perf_counter() - start:.2f} seconds")


asyncio.run(main())
