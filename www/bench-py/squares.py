import time


def squares(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


start = time.perf_counter()
squares(1_000_000)
print((time.perf_counter() - start) * 1000)
