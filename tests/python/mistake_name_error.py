import asyncio


async def main():
    count = 1
    print(f"count is {count}")
    print(f"total is {totl}")


asyncio.run(main())
