class Managed:
    def __init__(self, name, swallow=False):
        self.name = name
        self.swallow = swallow

    def __enter__(self):
        print(f"enter {self.name}")
        return self.name.upper()

    def __exit__(self, exc_type, exc, tb):
        print(f"exit {self.name}: {exc_type.__name__ if exc_type else None}")
        return self.swallow


with Managed("a") as a, Managed("b") as b:
    print("inside", a, b)

with Managed("quiet", swallow=True):
    raise ValueError("swallowed")
print("after the swallowed error")

try:
    with Managed("loud"):
        raise KeyError("passes through")
except KeyError as e:
    print("caught", repr(e))
