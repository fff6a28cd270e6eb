nums = [5, 3, 8, 1]
nums.append(7)
nums.extend([2, 2])
nums.insert(0, 9)
print(nums, len(nums), nums.index(8), nums.count(2))
nums.remove(2)
last = nums.pop()
first = nums.pop(0)
print(nums, last, first)
nums.sort()
print(nums, sorted(nums, reverse=True), list(reversed(nums)))
print(nums[1:3], nums[-2:], nums[::-1][:2])
nums[0] = 100
del nums[1]
print(nums, 100 in nums, [1, 2] + [3], [0] * 3)

t = (1, "two", 3.0)
a, b, c = t
print(t, a, b, c, t[1], len(t), t.index(3.0), (1,), ())
first, *middle, last = range(6)
print(first, middle, last)

d = {"one": 1, "two": 2}
d["three"] = 3
print(d, d["two"], d.get("four"), d.get("four", 4), len(d), "one" in d)
print(list(d.keys()), list(d.values()), list(d.items()))
for k, v in d.items():
    print(k, v)
d.update({"one": 10}, four=4)
print(d.pop("two"), d.setdefault("five", 5), d)
print({k: v * 2 for k, v in d.items() if v > 3})

s = {3, 1, 2}
s.add(4)
s.discard(1)
print(sorted(s), 2 in s, len(s), sorted(s | {9}), sorted(s & {2, 3}), sorted(s - {2}))
print(set(), dict(), list(), tuple(), set("aab") == {"a", "b"})

matrix = [[r * 3 + c for c in range(3)] for r in range(3)]
print(matrix, [row[1] for row in matrix], list(zip(*matrix)))
print(list(enumerate("abc", start=1)), dict(zip("ab", [1, 2])), any([0, 1]), all([1, []]))
print({n % 3 for n in range(10)}, sum(x * x for x in range(4)), list(range(10, 0, -3)))
