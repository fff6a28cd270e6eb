# Five GET requests at once with httpx (pip install httpx), against the
# files served beside the tour: python3 scripts/serve.py, then run this.
import asyncio

import httpx

BASE = "http://localhost:8000/"
URLS = [
    "demo/hello.txt",
    "demo/tasks.json",
    "demo/page.html",
    "demo/loop.txt",
    "demo/missing.txt",
]


async def get_async(client, url):
    return await client.get(BASE + url)


async def launch():
    async with httpx.AsyncClient(timeout=5.0) as client:
        responses = await asyncio.gather(*(get_async(client, url) for url in URLS))
    for url, response in zip(URLS, responses):
        print(url, response.status_code)


asyncio.run(launch())
