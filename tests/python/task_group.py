import asyncio


async def job(n):
    await asyncio.sleep(0.1 * n)
    if n == 3:
        raise RuntimeError("job 3 broke")
    print(f"job {n} done")
    return n


async def main():
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(job(n)) for n in (1, 2)]
    print("all done:", [t.result() for t in tasks])
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(job(1))
            tg.create_task(job(3))
            tg.create_task(job(5))
    except ExceptionGroup as group:
        print("group failed:", [str(e) for e in group.exceptions])


asyncio.run(main())
