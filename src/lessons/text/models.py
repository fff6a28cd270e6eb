import asyncio
import time
from concurrent.futures import ProcessPoolExecutor


def is_prime(n):
    if n < 4:
        return n >= 2
    if n % 2 == 0:
        return False
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def count_primes(n):
    return sum(1 for k in range(n) if is_prime(k))


async def count_primes_chunked(n):
    count = 0
    for k in range(n):
        count += is_prime(k)
        if k % 1024 == 0:
            await asyncio.sleep(0)  # let the loop run other tasks
    return count


async def main():
    n = 200_000  # CPython is far slower than wasm: a smaller N
    loop = asyncio.get_running_loop()

    start = time.perf_counter()
    count = count_primes(n)  # blocks the loop: no other task runs
    print(f"one go: {count} primes below {n} in {time.perf_counter() - start:.2f} s")

    start = time.perf_counter()
    count = await count_primes_chunked(n)  # other tasks run between chunks
    print(f"chunked: {count} primes below {n} in {time.perf_counter() - start:.2f} s")

    # Threads would share the GIL and be no faster: use a process.
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=1) as pool:
        count = await loop.run_in_executor(pool, count_primes, n)
    print(f"process: {count} primes below {n} in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
