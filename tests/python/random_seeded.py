# random.seed(n) gives CPython's own numbers: the Mersenne Twister as
# CPython seeds it, and randint, random, uniform, choice and shuffle as
# CPython draws from it.
import random

for seed in [0, 1, 42, -3, 2**32 + 7, 2**40 + 5, 2**62 + (2**62 - 1)]:
    random.seed(seed)
    print(seed, [random.randint(1, 6) for _ in range(8)])
    print("  random:", random.random(), random.random())
    print("  uniform:", round(random.uniform(0.5, 2.5), 12))
    print("  choice:", random.choice("abcdefg"), random.choice([10, 20, 30]))
    deck = list(range(12))
    random.shuffle(deck)
    print("  shuffle:", deck)
    print("  wide:", random.randint(0, 2**62), random.randint(-2**40, 2**40))

random.seed(7)
first = [random.random() for _ in range(3)]
random.seed(7)
print("same seed, same numbers:", first == [random.random() for _ in range(3)])

try:
    random.randint(5, 1)
except ValueError as e:
    print("ValueError:", e)
try:
    random.choice([])
except IndexError as e:
    print("IndexError:", e)
