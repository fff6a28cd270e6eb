class AppError(Exception):
    pass


class NotFound(AppError):
    def __init__(self, key):
        super().__init__(f"no such key: {key}")
        self.key = key


def lookup(table, key):
    try:
        return table[key]
    except KeyError:
        raise NotFound(key) from None


table = {"a": 1}
for key in ["a", "b"]:
    try:
        value = lookup(table, key)
    except NotFound as e:
        print("not found:", e, e.key)
    except AppError:
        print("never")
    else:
        print("found", value)
    finally:
        print("looked up", key)

try:
    1 / 0
except (ValueError, ZeroDivisionError) as e:
    print(type(e).__name__, e)

try:
    int("x")
except ValueError as e:
    print(e)

try:
    [][1]
except IndexError as e:
    print(e)

try:
    {}["k"]
except KeyError as e:
    print(repr(e))

try:
    None.x
except AttributeError as e:
    print(e)


def f():
    try:
        return "from try"
    finally:
        print("finally runs first")


print(f())

try:
    raise ValueError("bad")
except Exception as e:
    print(repr(e), e.args)

try:
    assert 1 + 1 == 3, "math is broken"
except AssertionError as e:
    print("assert:", e)
