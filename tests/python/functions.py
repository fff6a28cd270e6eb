def greet(name, greeting="Hello", *rest, punctuation="!", **extra):
    line = f"{greeting}, {name}{punctuation}"
    if rest:
        line += " " + " ".join(str(r) for r in rest)
    if extra:
        line += " " + ", ".join(f"{k}={v}" for k, v in sorted(extra.items()))
    return line


print(greet("Ada"))
print(greet("Ada", "Hi"))
print(greet("Ada", "Hi", 1, 2, punctuation="?"))
print(greet(name="Bob", mood="good", age=3))
args = ["Cy", "Hey"]
kwargs = {"punctuation": "."}
print(greet(*args, **kwargs))


def make_counter():
    count = 0

    def counter():
        nonlocal count
        count += 1
        return count

    return counter


c = make_counter()
print(c(), c(), c())

total = 0


def add(n):
    global total
    total += n


add(3)
add(4)
print("total", total)

square = lambda x: x * x
print(list(map(square, range(5))))
print(list(map(lambda a, b: a + b, [1, 2], [10, 20])))
print(sorted(["pear", "fig", "apple"], key=lambda s: (len(s), s)))
print(list(filter(None, [0, 1, "", "a", None, []])))


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


print([fib(n) for n in range(10)])


def only(a, b, /, c, *, d):
    return a + b + c + d


print(only(1, 2, 3, d=4), only(1, 2, c=3, d=4))
