# The tour's httpx against the real one: a JSON file, a missing file and
# a text file from the server beside the page (the tests put its address
# in BASE, as the page does).
import asyncio

import httpx

BASE = "http://localhost:8000/"


async def main():
    async with httpx.AsyncClient(timeout=30.0) as client:
        r = await client.get(BASE + "demo/tasks.json")
        print(r.status_code, r.reason_phrase, r.is_success, repr(r))
        data = r.json()
        print(data)
        print([t["name"] for t in data["tasks"] if t["sleeps"] > 1], data["gathered"])
        missing = await client.get(BASE + "demo/missing.txt")
        # (Not its reason phrase: that is the server's own words.)
        print(missing.status_code, missing.is_error, missing.is_success)
        try:
            missing.raise_for_status()
        except httpx.HTTPStatusError as e:
            print("HTTPStatusError:", e.response.status_code, str(e).split("'")[0])
        hello = await client.get(BASE + "demo/hello.txt")
        print(repr(hello.text.splitlines()[0]))
        try:
            hello.json()
        except ValueError as e:
            print("not JSON:", type(e).__name__, e)
    print("closed:", client.is_closed)


asyncio.run(main())
