def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n % 2 == 0:
        return "even"
    else:
        return "odd"


for n in range(-2, 4):
    print(n, classify(n))

total = 0
i = 0
while True:
    i += 1
    if i % 3 == 0:
        continue
    if i > 10:
        break
    total += i
print("total", total)

for n in range(2, 20):
    for d in range(2, n):
        if n % d == 0:
            break
    else:
        print(n, "is prime")

count = 0
while count < 3:
    count += 1
else:
    print("while ended after", count)

x = 5
print("big" if x > 3 else "small", "yes" if x == 4 else "no" if x == 6 else "other")
print(1 < x <= 5, x is None, x is not None, not x, 3 in [1, 2, 3], 4 not in (1, 2))
print(0 or "default", 1 and 2, None or 0 or [], "" and "never")
