"""Prints CPython's tree of a Python file in the shape tests/py_parser.rs
prints the tour's: one node per parenthesis, positions as
line:col-line:col (columns in UTF-8 bytes, as CPython's ast has them).

Usage: python3 ast_shape.py FILE.py

What the tour's parser settles at parse time is settled here the same
way: annotations are dropped (`x: int = 1` is an Assign, `x: int` a Pass),
a lambda's body is its expression, floats are their bits, strings their
UTF-8 in hex. Inside an f-string, positions are left out: CPython 3.11's
are not those of the text.
"""

import ast
import struct
import sys


def pos(node):
    return f"{node.lineno}:{node.col_offset}-{node.end_lineno}:{node.end_col_offset}"


def const(value):
    if value is None or value is Ellipsis or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return f"int {value}"
    if isinstance(value, float):
        return f"float {struct.unpack('<Q', struct.pack('<d', value))[0]}"
    if isinstance(value, str):
        return f"str {value.encode('utf-8', 'surrogatepass').hex()}"
    if isinstance(value, bytes):
        return f"bytes {value.hex()}"
    raise ValueError(f"a constant the tour has no shape for: {value!r}")


def many(nodes, fstr=False):
    return "[" + " ".join(shape(n, fstr) for n in nodes) + "]"


def opt(node, fstr=False):
    return "-" if node is None else shape(node, fstr)


def names(ids):
    return "[" + " ".join(ids) + "]"


def params(a):
    defaults = many(a.defaults)
    kw = "[" + " ".join(opt(d) for d in a.kw_defaults) + "]"
    star = a.vararg.arg if a.vararg else "-"
    dstar = a.kwarg.arg if a.kwarg else "-"
    return (
        f"(params {names(p.arg for p in a.posonlyargs)} {names(p.arg for p in a.args)} "
        f"{defaults} {star} {names(p.arg for p in a.kwonlyargs)} {kw} {dstar})"
    )


def shape(node, fstr=False):
    kind = type(node).__name__
    at = "" if fstr else " " + pos(node) if hasattr(node, "lineno") else ""
    n = node
    if isinstance(n, ast.AnnAssign):
        if n.value is None:
            return f"(Pass{at})"
        return f"(Assign{at} [{shape(n.target)}] {shape(n.value)})"
    if isinstance(n, ast.Expr):
        body = shape(n.value)
    elif isinstance(n, ast.Assign):
        body = f"{many(n.targets)} {shape(n.value)}"
    elif isinstance(n, ast.AugAssign):
        body = f"{shape(n.target)} {type(n.op).__name__} {shape(n.value)}"
    elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
        body = f"{n.name} {params(n.args)} {many(n.body)} {many(n.decorator_list)}"
    elif isinstance(n, ast.ClassDef):
        body = f"{n.name} {many(n.bases)} {many(n.keywords)} {many(n.body)} {many(n.decorator_list)}"
    elif isinstance(n, ast.Return):
        body = opt(n.value)
    elif isinstance(n, ast.Delete):
        body = many(n.targets)
    elif isinstance(n, (ast.Pass, ast.Break, ast.Continue)):
        body = ""
    elif isinstance(n, (ast.If, ast.While)):
        body = f"{shape(n.test)} {many(n.body)} {many(n.orelse)}"
    elif isinstance(n, (ast.For, ast.AsyncFor)):
        body = f"{shape(n.target)} {shape(n.iter)} {many(n.body)} {many(n.orelse)}"
    elif isinstance(n, (ast.With, ast.AsyncWith)):
        items = " ".join(f"({shape(i.context_expr)} {opt(i.optional_vars)})" for i in n.items)
        body = f"[{items}] {many(n.body)}"
    elif isinstance(n, ast.Try):
        body = f"{many(n.body)} {many(n.handlers)} {many(n.orelse)} {many(n.finalbody)}"
    elif isinstance(n, ast.ExceptHandler):
        body = f"{opt(n.type)} {n.name or '-'} {many(n.body)}"
    elif isinstance(n, ast.Raise):
        body = f"{opt(n.exc)} {opt(n.cause)}"
    elif isinstance(n, ast.Assert):
        body = f"{shape(n.test)} {opt(n.msg)}"
    elif isinstance(n, ast.Import):
        body = many(n.names)
    elif isinstance(n, ast.ImportFrom):
        body = f"{n.module or '-'} {many(n.names)} {n.level}"
    elif isinstance(n, ast.alias):
        return f"(alias {n.name} {n.asname or '-'})"
    elif isinstance(n, (ast.Global, ast.Nonlocal)):
        body = names(n.names)
    elif isinstance(n, ast.Name):
        body = n.id
    elif isinstance(n, ast.Constant):
        body = const(n.value)
    elif isinstance(n, ast.JoinedStr):
        body = many(n.values, True)
    elif isinstance(n, ast.FormattedValue):
        conv = "-" if n.conversion == -1 else chr(n.conversion)
        body = f"{shape(n.value)} {conv} {opt(n.format_spec, True)}"
    elif isinstance(n, ast.Attribute):
        body = f"{shape(n.value, fstr)} {n.attr}"
    elif isinstance(n, ast.Subscript):
        body = f"{shape(n.value, fstr)} {shape(n.slice, fstr)}"
    elif isinstance(n, ast.Slice):
        body = f"{opt(n.lower)} {opt(n.upper)} {opt(n.step)}"
    elif isinstance(n, ast.Call):
        body = f"{shape(n.func)} {many(n.args)} {many(n.keywords)}"
    elif isinstance(n, ast.keyword):
        return f"(keyword {n.arg or '-'} {shape(n.value)})"
    elif isinstance(n, ast.BinOp):
        body = f"{shape(n.left)} {type(n.op).__name__} {shape(n.right)}"
    elif isinstance(n, ast.UnaryOp):
        body = f"{type(n.op).__name__} {shape(n.operand)}"
    elif isinstance(n, ast.BoolOp):
        body = f"{type(n.op).__name__} {many(n.values)}"
    elif isinstance(n, ast.Compare):
        ops = " ".join(type(o).__name__ for o in n.ops)
        body = f"{shape(n.left)} [{ops}] {many(n.comparators)}"
    elif isinstance(n, ast.IfExp):
        body = f"{shape(n.test)} {shape(n.body)} {shape(n.orelse)}"
    elif isinstance(n, ast.Lambda):
        body = f"{params(n.args)} {shape(n.body)}"
    elif isinstance(n, (ast.List, ast.Tuple, ast.Set)):
        body = many(n.elts)
    elif isinstance(n, ast.Dict):
        body = "[" + " ".join(f"({opt(k)} {shape(v)})" for k, v in zip(n.keys, n.values)) + "]"
    elif isinstance(n, ast.Starred):
        body = shape(n.value)
    elif isinstance(n, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        body = f"{shape(n.elt)} {many(n.generators)}"
    elif isinstance(n, ast.DictComp):
        body = f"{shape(n.key)} {shape(n.value)} {many(n.generators)}"
    elif isinstance(n, ast.comprehension):
        return f"(for {shape(n.target)} {shape(n.iter)} {many(n.ifs)} {n.is_async})"
    elif isinstance(n, (ast.Await, ast.YieldFrom)):
        body = shape(n.value)
    elif isinstance(n, ast.Yield):
        body = opt(n.value)
    elif isinstance(n, ast.NamedExpr):
        body = f"{n.target.id} {shape(n.value)}"
    else:
        raise ValueError(f"a node the tour has no shape for: {kind}")
    return f"({kind}{at}{' ' if body else ''}{body})"


with open(sys.argv[1], encoding="utf-8") as f:
    tree = ast.parse(f.read(), sys.argv[1])
for stmt in tree.body:
    print(shape(stmt))
