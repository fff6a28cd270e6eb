s = "Hello, World"
print(s.lower(), s.upper(), s.title(), s.swapcase())
print(s.split(", "), s.split(), "a,b,,c".split(","), "  pad  ".strip(), "xxhixx".strip("x"))
print(s.replace("l", "L"), s.replace("l", "L", 1), s.find("o"), s.find("z"), s.count("l"))
print(s.startswith("Hell"), s.endswith("!"), "42".isdigit(), "abc".isalpha(), " ".isspace())
print("-".join(["a", "b", "c"]), ", ".join(str(n) for n in range(3)))
print(s[0], s[-1], s[:5], s[7:], s[::2], s[::-1], s[1:10:3], len(s))
print("ab" * 3, "a" + "b", "abc" < "abd", "b" in "abc", "x" not in "abc")
print("{} and {}".format("this", "that"), "{0}{1}{0}".format("a", "b"), "{name}!".format(name="hi"))
print(repr("it's"), repr('say "hi"'), repr("tab\tnew\nline"), str(None), repr(None))
print("line1\nline2".splitlines(), "a b".partition(" "), "left".ljust(6, ".") + "|", "7".zfill(3))
print("é".upper(), ord("A"), chr(97), "%d items" % 3, "%s and %r" % ("a", "b"))
print(f"{s!r} {s!s:>14} {'nested ' + 'expr'} {s[:5].upper()=}")
print(
    "multi"
    "-part"
    f"-{len(s)}"
)
print("""triple
quoted""", '''single
triple''')
print("straße".upper(), "ΟΔΟΣ ΚΑΙ".lower(), "émile zola".title(), "éCOLE".swapcase(), "über".capitalize())
print("café".isalpha(), "٣4".isdigit(), "ÀB".isupper(), "àb".islower(), "àB".islower(), "x٣".isalnum())
café = "naïve"
print(café.upper(), len(café), café[2], [c.upper() for c in "ñö"])
