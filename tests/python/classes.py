class Animal:
    """A base class with a class attribute and dunder methods."""

    kind = "animal"

    def __init__(self, name, legs=4):
        self.name = name
        self.legs = legs

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r}, legs={self.legs})"

    def __eq__(self, other):
        return isinstance(other, Animal) and self.name == other.name

    def __lt__(self, other):
        return self.name < other.name

    def speak(self):
        return "..."


class Bird(Animal):
    kind = "bird"

    def __init__(self, name):
        super().__init__(name, legs=2)

    def speak(self):
        return "tweet"


class Counter:
    def __init__(self):
        self.items = {}

    def __len__(self):
        return len(self.items)

    def __getitem__(self, key):
        return self.items.get(key, 0)

    def __setitem__(self, key, value):
        self.items[key] = value

    def __contains__(self, key):
        return key in self.items

    def __iter__(self):
        return iter(sorted(self.items))

    def __bool__(self):
        return bool(self.items)


zoo = [Animal("cat"), Bird("robin"), Animal("ant", legs=6)]
for a in sorted(zoo):
    print(a, a.kind, a.speak())
print(Bird("robin") == zoo[1], Animal("cat") == "cat")
print(isinstance(zoo[1], Animal), isinstance(zoo[0], Bird), type(zoo[1]).__name__)

c = Counter()
print(bool(c), len(c))
for word in "the cat and the hat and the bat".split():
    c[word] += 1
print(bool(c), len(c), "the" in c, "dog" in c, c["the"], c["dog"])
print(list(c))
