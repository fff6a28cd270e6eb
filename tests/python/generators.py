def countdown(n):
    print("starting")
    while n > 0:
        yield n
        n -= 1
    return "liftoff"


def chain(*iterables):
    for it in iterables:
        result = yield from it
        if result:
            print("inner returned", result)


gen = countdown(3)
print(gen.__class__.__name__)
print(next(gen), next(gen))
print(list(gen))
print(list(chain(countdown(2), "ab", [None])))


def running_total():
    total = 0
    while True:
        value = yield total
        if value is None:
            return total
        total += value


acc = running_total()
next(acc)
print(acc.send(5), acc.send(10))
try:
    acc.send(None)
except StopIteration as stop:
    print("returned", stop.value)

squares = (x * x for x in range(5))
print(next(squares), sum(squares))
it = iter([1, 2])
print(next(it), next(it), next(it, "done"))
