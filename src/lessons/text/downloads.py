import asyncio


async def download_file(name):
    print(f"Downloading {name}")
    await asyncio.sleep(2)  # stands in for the network <1>
    print(f"{name} downloaded")


async def main():
    files = ["file1", "file2", "file3"]
    await asyncio.gather(*map(download_file, files))  # <2>


asyncio.run(main())
