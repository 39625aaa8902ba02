"""Mistakes generated from a solution: the error model behind feedback that names a mistake.

A student's wrong answer is usually the right one with one small edit: ``beta`` where
``1 - beta`` belongs, ``t`` off by one, a term left out, the square root around the wrong
thing, a sign flipped, a copy where the update must happen in place, the wrong axis, an
argument ignored, the wrong norm. Listing such mistakes by hand (``mistakes.json``) only names
the ones somebody thought of; this module makes them mechanically from each answer cell of the
solution, as *mutants* in the sense of mutation testing (DeMillo, Lipton & Sayward 1978):

    >>> [m.description for m in mutants("def f(v, g, beta):\\n    return beta * v + (1 - beta) * g\\n")][:2]
    ['your return value uses `1 - beta` where the solution uses `beta`', ...]

Each mutant is one edit of the solution's code between ``### BEGIN SOLUTION`` and ``### END
SOLUTION`` (the whole cell when there are no markers), given as the edited source and a
sentence generated from the edit. The grader runs every mutant once per assignment, in the
sandbox, and names the mutant whose test records agree with the student's.

Edits are made on the text: the node's source segment is replaced by the new expression in
parentheses, so the rest of the cell (comments, layout) is untouched and the edit is exactly
what the sentence says. Mutants that do not compile, or that repeat another's code, are left
out.
"""

from __future__ import annotations

import ast
import copy
import itertools
import math
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Mutant", "mutants"]

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


@dataclass(frozen=True)
class Mutant:
    """The solution's cell with one edit, and what the edit means in words."""

    source: str
    description: str
    kind: str


# -- where the edit may go ---------------------------------------------------------------------


def _solution_lines(source: str) -> range:
    """Line numbers (1-based, inclusive start, exclusive stop) of the solution region."""
    lines = source.splitlines()
    begin = next((i for i, line in enumerate(lines, 1) if BEGIN in line), 0)
    end = next((i for i, line in enumerate(lines, 1) if END in line), len(lines) + 1)
    return range(begin + 1, end)


def _offsets(source: str) -> list[int]:
    """Character offset of the start of each line (1-based lines: index 0 unused)."""
    starts, total = [0, 0], 0
    for line in source.splitlines(keepends=True):
        total += len(line)
        starts.append(total)
    return starts


def _span(node: ast.AST, starts: list[int]) -> tuple[int, int]:
    return (starts[node.lineno] + node.col_offset, starts[node.end_lineno] + node.end_col_offset)


def _text(node: ast.AST) -> str:
    return ast.unparse(node)


# -- the sentence --------------------------------------------------------------------------------


def _where(statement: ast.stmt) -> str:
    """'your `v`', 'your return value', 'your condition' ...: what the edited line computes."""
    if isinstance(statement, ast.Return):
        return "your return value"
    if isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target
        name = target.value if isinstance(target, ast.Subscript) else target
        return f"your `{_text(name)}`"
    if isinstance(statement, (ast.If, ast.While)):
        return "your condition"
    if isinstance(statement, ast.For):
        return "your loop"
    return "your code"


def _uses(where: str, new: str, old: str) -> str:
    return f"{where} uses `{new}` where the solution uses `{old}`"


# -- the edits ------------------------------------------------------------------------------------

_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}
_OPERATOR_PHRASES = {
    ast.Add: "subtracts `{}` where the solution adds it",
    ast.Sub: "adds `{}` where the solution subtracts it",
    ast.Mult: "divides by `{}` where the solution multiplies by it",
    ast.Div: "multiplies by `{}` where the solution divides by it",
}
_COMPARE_SWAPS = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}
_PRODUCTS = (ast.Mult, ast.Div, ast.MatMult)
_COMPARE_FLIPS = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE}
_CALL_SWAPS = {
    "ceil": "floor",
    "floor": "ceil",
    "min": "max",
    "max": "min",
    "maximum": "minimum",
    "minimum": "maximum",
    "sum": "mean",
    "mean": "sum",
    "any": "all",
    "all": "any",
    "argmin": "argmax",
    "argmax": "argmin",
    "standard_normal": "random",  # uniform on [0, 1) where Gaussian noise belongs
    "randn": "rand",
}
_DROPPED_CALLS = {
    "sqrt": "forgets the square root",
    "square": "forgets to square",
    "abs": "forgets the absolute value",
    "sign": "uses the value instead of its sign",
    "astype": "forgets the dtype conversion",
    "copy": "forgets the copy",
    "clone": "forgets the copy",
    "deepcopy": "forgets the copy",
}
_METHODS = ("astype", "copy", "clone")
# functions of one array whose order in f(g(x)) a student may swap
_ONE_ARGUMENT = {"abs", "max", "min", "sum", "mean", "sqrt", "square", "exp", "log", "sign", "norm"}
# calls whose two first arguments may change places without changing the result, or that no
# student writes the other way round
_ORDERLESS = {
    "max",
    "min",
    "maximum",
    "minimum",
    "add",
    "multiply",
    "hypot",
    "isclose",
    "allclose",
    "array_equal",
    "zip",
    "range",
    "isinstance",
    "getattr",
    "setattr",
    "print",
    "enumerate",
    "full",
    "linspace",
    "arange",
}


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _is_one(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value == 1 and not isinstance(node.value, bool)


def _expression_edits(
    node: ast.expr, complements: set[str], counters: set[str]
) -> Iterator[tuple[ast.expr, str, str]]:
    """(new expression, phrase or '' for the default 'uses new where old', kind) for one node."""
    if isinstance(node, ast.BinOp):
        # 1 - beta -> beta
        if isinstance(node.op, ast.Sub) and _is_one(node.left):
            yield node.right, "", "complement"
        # a + b -> a ; a + b -> b (a term left out) ; + <-> - ; * <-> /
        if isinstance(node.op, (ast.Add, ast.Sub)):
            yield node.left, f"leaves out `{_text(node.right)}`", "term"
            if isinstance(node.op, ast.Add):
                yield node.right, f"leaves out `{_text(node.left)}`", "term"
        if type(node.op) in _SWAPS:
            phrase = _OPERATOR_PHRASES[type(node.op)].format(_text(node.right))
            yield ast.BinOp(node.left, _SWAPS[type(node.op)](), node.right), phrase, "operator"
        # a * b -> a ; a * b -> b ; a / b -> a (a factor left out)
        if isinstance(node.op, ast.Mult):
            yield node.left, f"leaves out the factor `{_text(node.right)}`", "factor"
            yield node.right, f"leaves out the factor `{_text(node.left)}`", "factor"
        if isinstance(node.op, ast.Div):
            yield node.left, f"leaves out the division by `{_text(node.right)}`", "factor"
        if isinstance(node.op, ast.Pow):
            yield node.left, f"leaves out the power `** {_text(node.right)}`", "power"
            # gamma ** k -> gamma * k: a power read as a product
            yield (
                ast.BinOp(node.left, ast.Mult(), node.right),
                f"multiplies by `{_text(node.right)}` where the solution raises to the power "
                f"`{_text(node.right)}`",
                "power",
            )
        # a / b -> b / a: the ratio upside down
        if (
            isinstance(node.op, ast.Div)
            and not isinstance(node.left, ast.Constant)
            and not isinstance(node.right, ast.Constant)
            and not (isinstance(node.left, ast.BinOp) and isinstance(node.left.op, _PRODUCTS))
        ):  # (lr * g / d -> d / (lr * g) is no one's mistake)
            yield (
                ast.BinOp(node.right, ast.Div(), node.left),
                f"divides `{_text(node.right)}` by `{_text(node.left)}` where the solution "
                f"divides `{_text(node.left)}` by `{_text(node.right)}`",
                "ratio",
            )
        # t // n <-> t % n: the quotient for the remainder
        if isinstance(node.op, (ast.FloorDiv, ast.Mod)):
            other, word = (
                (ast.Mod(), "%") if isinstance(node.op, ast.FloorDiv) else (ast.FloorDiv(), "//")
            )
            yield (
                ast.BinOp(node.left, other, node.right),
                f"takes `{_text(node.left)} {word} {_text(node.right)}` where the solution takes "
                f"`{_text(node)}`",
                "operator",
            )
        # T // 2 -> T / 2: a float where the solution takes the whole quotient
        if isinstance(node.op, ast.FloorDiv):
            yield (
                ast.BinOp(node.left, ast.Div(), node.right),
                f"divides with `/` (a float) where the solution takes the whole quotient "
                f"`{_text(node)}`",
                "rounding",
            )
        # X_j.shape[1] / m, (t - w) / (T - w) -> //: a share of counts taken as a whole quotient
        if isinstance(node.op, ast.Div) and _counted(node.left, node.right):
            yield (
                ast.BinOp(node.left, ast.FloorDiv(), node.right),
                f"takes the whole quotient `//` where the solution divides (`{_text(node)}`)",
                "rounding",
            )
        # 1 - beta -> beta - 1, f(p + h) - f(p - h) -> f(p - h) - f(p + h): the other order
        if isinstance(node.op, ast.Sub) and not isinstance(node.right, ast.Constant):
            reversed_ = ast.BinOp(node.right, ast.Sub(), node.left)
            yield (
                reversed_,
                f"subtracts in the other order (`{_text(reversed_)}` where the solution has "
                f"`{_text(node)}`)",
                "sign",
            )
        # 1 - beta ** t -> (1 - beta) ** t: the power taken of the whole difference
        if (
            isinstance(node.op, (ast.Add, ast.Sub))
            and isinstance(node.right, ast.BinOp)
            and isinstance(node.right.op, ast.Pow)
        ):
            base = ast.BinOp(node.left, node.op, node.right.left)
            yield (
                ast.BinOp(base, ast.Pow(), node.right.right),
                f"raises `{_text(base)}` to the power `{_text(node.right.right)}` where the "
                f"solution raises only `{_text(node.right.left)}`",
                "parentheses",
            )
        # [b] * n + [r] -> [r] + [b] * n: the pieces of a list in the other order
        if isinstance(node.op, ast.Add) and any(_is_list(side) for side in (node.left, node.right)):
            yield (
                ast.BinOp(node.right, ast.Add(), node.left),
                f"puts `{_text(node.right)}` before `{_text(node.left)}` (the solution puts it "
                "after)",
                "order",
            )
        # a + b / n -> (a + b) / n: the whole sum divided where the solution divides one term
        if isinstance(node.op, (ast.Add, ast.Sub)) and (
            isinstance(node.right, ast.BinOp) and isinstance(node.right.op, ast.Div)
        ):
            widened = ast.BinOp(
                ast.BinOp(node.left, node.op, node.right.left), ast.Div(), node.right.right
            )
            yield (
                widened,
                f"divides all of `{_text(widened.left)}` by `{_text(node.right.right)}` where the "
                f"solution divides only `{_text(node.right.left)}`",
                "parentheses",
            )
        # t // n -> round(t / n): rounded to the nearest where the solution rounds down
        if isinstance(node.op, ast.FloorDiv):
            yield (
                ast.Call(ast.Name("round"), [ast.BinOp(node.left, ast.Div(), node.right)], []),
                f"rounds `{_text(node.left)} / {_text(node.right)}` to the nearest integer where "
                "the solution rounds it down",
                "rounding",
            )
        # (a / b) ** 2 -> a ** 2 / b: only the numerator raised to the power
        if (
            isinstance(node.op, ast.Pow)
            and isinstance(node.left, ast.BinOp)
            and isinstance(node.left.op, ast.Div)
        ):
            yield (
                ast.BinOp(
                    ast.BinOp(node.left.left, ast.Pow(), node.right), ast.Div(), node.left.right
                ),
                f"raises only `{_text(node.left.left)}` to the power `{_text(node.right)}` (the "
                f"solution raises the whole ratio `{_text(node.left)}`)",
                "power",
            )
        # m % K -> K % m: the remainder of the other division
        if isinstance(node.op, ast.Mod) and not isinstance(node.left, ast.Constant):
            yield (
                ast.BinOp(node.right, ast.Mod(), node.left),
                f"takes `{_text(node.right)} % {_text(node.left)}` where the solution takes "
                f"`{_text(node.left)} % {_text(node.right)}`",
                "ratio",
            )
        # a // b -> -(-a // b): rounded up where the solution rounds down
        if isinstance(node.op, ast.FloorDiv):
            up = ast.UnaryOp(
                ast.USub(), ast.BinOp(ast.UnaryOp(ast.USub(), node.left), node.op, node.right)
            )
            yield (
                up,
                f"rounds `{_text(node.left)} / {_text(node.right)}` up where the solution "
                "rounds it down",
                "rounding",
            )
        # a * (b + c) -> a * b + c, a / (2 * h) -> a / 2 * h: the parentheses left out
        if (
            isinstance(node.op, (ast.Mult, ast.Div))
            and isinstance(node.right, ast.BinOp)
            and isinstance(node.right.op, (ast.Add, ast.Sub))
            or isinstance(node.op, ast.Div)
            and isinstance(node.right, ast.BinOp)
            and isinstance(node.right.op, (ast.Mult, ast.Div))
            or isinstance(node.op, ast.Mult)  # rate * (t // k) -> rate * t // k
            and isinstance(node.right, ast.BinOp)
            and isinstance(node.right.op, (ast.FloorDiv, ast.Mod))
        ):
            flat = ast.BinOp(
                ast.BinOp(node.left, node.op, node.right.left), node.right.op, node.right.right
            )
            yield flat, f"leaves out the parentheses around `{_text(node.right)}`", "parentheses"
        # 1 + a * n <-> (1 + a) ** n: growth added up or compounded (a decay per stair)
        if (
            isinstance(node.op, ast.Add)
            and _is_one(node.left)
            and isinstance(node.right, ast.BinOp)
            and isinstance(node.right.op, ast.Mult)
        ):
            compounded = ast.BinOp(
                ast.BinOp(node.left, ast.Add(), node.right.left), ast.Pow(), node.right.right
            )
            yield compounded, "", "power"
        if (
            isinstance(node.op, ast.Pow)
            and isinstance(node.left, ast.BinOp)
            and isinstance(node.left.op, ast.Add)
            and _is_one(node.left.left)
        ):
            added = ast.BinOp(
                node.left.left, ast.Add(), ast.BinOp(node.left.right, ast.Mult(), node.right)
            )
            yield added, "", "power"
        # a + a.T -> a @ a.T: a matrix made symmetric by a product (never indefinite)
        if isinstance(node.op, ast.Add) and _text(node.left) == _transposed(node.right):
            yield ast.BinOp(node.left, ast.MatMult(), node.right), "", "operator"
        # 1 / e -> 0.5: a half-life where the 1/e time belongs
        if isinstance(node.op, ast.Div) and _is_one(node.left) and _is_e(node.right):
            yield ast.Constant(0.5), "", "constant"
        # sqrt(a) + b -> sqrt(a + b): eps inside the square root
        if (
            isinstance(node.op, ast.Add)
            and isinstance(node.left, ast.Call)
            and _call_name(node.left) == "sqrt"
            and len(node.left.args) == 1
        ):
            inner = ast.BinOp(node.left.args[0], ast.Add(), node.right)
            moved = ast.Call(node.left.func, [inner], [])
            yield moved, f"puts `{_text(node.right)}` inside the square root", "sqrt"
    elif isinstance(node, ast.Name):
        if node.id in complements:
            yield ast.BinOp(ast.Constant(1), ast.Sub(), ast.Name(node.id)), "", "complement"
        if node.id in counters:
            for op in (ast.Sub(), ast.Add()):
                yield ast.BinOp(ast.Name(node.id), op, ast.Constant(1)), "", "off by one"
    elif isinstance(node, ast.ListComp):  # [f(x) for x in xs] -> (f(x) for x in xs)
        yield (
            ast.GeneratorExp(node.elt, node.generators),
            "builds a generator (round brackets) where the solution builds a list: it has no "
            "`len`, no indexing and runs out after one pass",
            "container",
        )
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield node.operand, "flips the sign", "sign"
    elif isinstance(node, ast.Compare):
        # x < -tol -> x < 0: the tolerance ignored
        for index, comparator in enumerate(node.comparators):
            if _signed_name(comparator) and _signed_name(comparator) not in counters:
                compared = list(node.comparators)
                compared[index] = ast.Constant(0)
                yield (
                    ast.Compare(node.left, node.ops, compared),
                    f"compares with 0 where the solution compares with `{_text(comparator)}`",
                    "tolerance",
                )
        if len(node.ops) > 1:  # 0 <= beta < 1 -> beta < 1: one side of the range checked
            operands = [node.left, *node.comparators]
            for index, op in enumerate(node.ops):
                link = ast.Compare(operands[index], [op], [operands[index + 1]])
                yield link, f"checks only `{_text(link)}` (not all of `{_text(node)}`)", "condition"
        for index, op in enumerate(node.ops):  # 0 <= beta < 1: each comparison on its own
            for swaps in (_COMPARE_SWAPS, _COMPARE_FLIPS):  # < for <=, and < for >
                if type(op) in swaps:
                    ops = list(node.ops)
                    ops[index] = swaps[type(op)]()
                    yield ast.Compare(node.left, ops, node.comparators), "", "comparison"
            if type(op) in (ast.LtE, ast.GtE):  # milestone <= t -> milestone == t: only at it
                ops = list(node.ops)
                ops[index] = ast.Eq()
                yield ast.Compare(node.left, ops, node.comparators), "", "comparison"
    elif isinstance(node, ast.BoolOp):  # a or b -> a and b
        for left_out in node.values:  # a or b -> a: one condition left out
            kept = [value for value in node.values if value is not left_out]
            yield (
                kept[0] if len(kept) == 1 else ast.BoolOp(node.op, kept),
                f"leaves out the condition `{_text(left_out)}`",
                "condition",
            )
        # x < -tol and y > tol -> x < 0 and y > 0: a tolerance ignored in every comparison
        tolerances = [
            (compare, index, _signed_name(comparator))
            for compare in node.values
            if isinstance(compare, ast.Compare)
            for index, comparator in enumerate(compare.comparators)
            if _signed_name(comparator) and _signed_name(comparator) not in counters
        ]
        for name in dict.fromkeys(found for _, _, found in tolerances):
            places = [(c, i) for c, i, found in tolerances if found == name]
            if len(places) > 1:
                changed = copy.deepcopy(node)
                for compare, index in places:
                    at = node.values.index(compare)
                    changed.values[at].comparators[index] = ast.Constant(0)
                yield (
                    changed,
                    f"compares with 0 in every comparison where the solution compares with "
                    f"`{name}` (or `-{name}`)",
                    "tolerance",
                )
        for i in range(len(node.values) - 1):  # K < 1 or m % K -> m % K or K < 1
            values = list(node.values)
            values[i], values[i + 1] = values[i + 1], values[i]
            word, stops = ("or", "true") if isinstance(node.op, ast.Or) else ("and", "false")
            yield (
                ast.BoolOp(node.op, values),
                f"tests `{_text(values[i])}` before `{_text(values[i + 1])}`; the solution tests "
                f"`{_text(values[i + 1])}` first, and `{word}` stops at the first {stops} part, "
                f"so `{_text(values[i])}` is never evaluated once `{_text(values[i + 1])}` is "
                f"{stops}",
                "order",
            )
        other, word = (ast.Or(), "or") if isinstance(node.op, ast.And) else (ast.And(), "and")
        yield (
            ast.BoolOp(other, node.values),
            f"joins its conditions with `{word}` where the solution uses "
            f"`{'and' if word == 'or' else 'or'}`",
            "comparison",
        )
    elif isinstance(node, ast.IfExp):  # a if condition else b -> a, b: the condition ignored
        yield node.body, f"ignores the condition `{_text(node.test)}`", "condition"
        yield node.orelse, f"ignores the condition `{_text(node.test)}`", "condition"
        yield (  # ... or its two outcomes swapped
            ast.IfExp(node.test, node.orelse, node.body),
            f"swaps `{_text(node.body)}` and `{_text(node.orelse)}` (which one the condition "
            f"`{_text(node.test)}` picks)",
            "condition",
        )
    elif isinstance(node, ast.Call):
        name = _call_name(node)
        if name == "len" and isinstance(node.func, ast.Name) and len(node.args) == 1:
            for op in (ast.Sub(), ast.Add()):  # len(x) -> len(x) - 1: one too many or few
                yield ast.BinOp(node, op, ast.Constant(1)), "", "off by one"
        if name == "range" and isinstance(node.func, ast.Name) and len(node.args) == 1:
            stop = node.args[0]  # range(K) -> range(1, K + 1): counted from 1
            yield (
                ast.Call(
                    node.func, [ast.Constant(1), ast.BinOp(stop, ast.Add(), ast.Constant(1))], []
                ),
                f"counts from 1 to `{_text(stop)}` where the solution counts from 0 to "
                f"`{_text(stop)} - 1`",
                "off by one",
            )
            yield (
                ast.Call(node.func, [ast.Constant(1), stop], []),
                f"starts at 1 where the solution starts at 0 (`range(1, {_text(stop)})`)",
                "off by one",
            )
        if name in _CALL_SWAPS and (
            name not in ("sum", "mean") or isinstance(node.func, ast.Attribute)
        ):
            swapped = copy.deepcopy(node)
            if isinstance(swapped.func, ast.Attribute):
                swapped.func.attr = _CALL_SWAPS[name]
            else:
                swapped.func.id = _CALL_SWAPS[name]
            yield swapped, "", "function"
        # sum(1 for m in milestones if m <= t) -> any(...): whether, not how many
        if (
            name == "sum"
            and isinstance(node.func, ast.Name)
            and len(node.args) == 1
            and isinstance(node.args[0], ast.GeneratorExp)
        ):
            yield ast.Call(ast.Name("any"), node.args, []), "", "function"
        if name in _DROPPED_CALLS:
            if name in _METHODS and isinstance(node.func, ast.Attribute):
                yield node.func.value, _DROPPED_CALLS[name], "call"
            elif name not in _METHODS and len(node.args) == 1:
                yield node.args[0], _DROPPED_CALLS[name], "call"
        # sqrt(sum(x ** 2 for x in xs)) -> sum(sqrt(x ** 2) for x in xs): the wrong norm
        if name == "sqrt" and len(node.args) == 1:
            inner = node.args[0]
            while isinstance(inner, ast.Call) and _call_name(inner) == "float" and inner.args:
                inner = inner.args[0]
            if (
                isinstance(inner, ast.Call)
                and _call_name(inner) == "sum"
                and inner.args
                and isinstance(inner.args[0], ast.GeneratorExp)
            ):
                generator = copy.deepcopy(inner.args[0])
                generator.elt = ast.Call(copy.deepcopy(node.func), [generator.elt], [])
                yield (
                    ast.Call(inner.func, [generator], []),
                    "adds up the norms of the parts instead of taking the root of all the squares",
                    "norm",
                )
        # rng.permutation(m) -> rng.choice(m, size=m): drawn with replacement
        if name == "permutation" and isinstance(node.func, ast.Attribute) and len(node.args) == 1:
            owner, size = _text(node.func.value), _text(node.args[0])
            yield (
                _expression(f"{owner}.choice({size}, size={size})"),
                f"draws with replacement (`{owner}.choice({size}, size={size})`) where the "
                "solution draws a permutation: some examples repeat and others are left out",
                "call",
            )
        # max(abs(eigvals(M))) -> norm(M, 2): the spectral norm for the spectral radius
        radius_of = _radius_of(node)
        if radius_of is not None:
            yield (
                _expression(f"np.linalg.norm({_text(radius_of)}, 2)"),
                f"takes the 2-norm of `{_text(radius_of)}` where the solution takes its spectral "
                "radius (the largest absolute eigenvalue)",
                "norm",
            )
        # np.zeros(np.shape(x)), np.zeros_like(x) -> x: an average started at the first value
        start = _zeros_of(node)
        if start is not None:
            yield (
                _expression(f"np.array({_text(start)}, dtype=float)"),
                f"starts from `{_text(start)}` instead of zeros",
                "start",
            )
        # torch.zeros_like(p) -> torch.zeros(p.shape): the default dtype, not p's
        if name == "zeros_like" and isinstance(node.func, ast.Attribute) and len(node.args) == 1:
            owner, like = _text(node.func.value), _text(node.args[0])
            yield (
                _expression(f"{owner}.zeros({like}.shape)"),
                f"makes zeros of the default dtype (`{owner}.zeros({like}.shape)`) where the "
                f"solution makes them of `{like}`'s dtype",
                "dtype",
            )
        # np.sum(np.square(g)) -> np.square(np.sum(g)), sum(g ** 2) -> sum(g) ** 2
        if name in ("sum", "mean") and len(node.args) == 1:
            inner = node.args[0]
            if isinstance(inner, ast.Call) and _call_name(inner) == "square" and inner.args:
                summed = ast.Call(node.func, [inner.args[0]], [])
                squared = ast.Call(inner.func, [summed], [])
            elif isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.Pow):
                summed = ast.Call(node.func, [inner.left], [])
                squared = ast.BinOp(summed, ast.Pow(), inner.right)
            else:
                squared = None
            if squared is not None:
                yield (
                    squared,
                    f"squares the {name} (`{_text(squared)}`) where the solution takes the {name} "
                    "of the squares",
                    "norm",
                )
        # np.max(np.abs(x)) -> np.abs(np.max(x)): two calls in the other order
        if (
            name in _ONE_ARGUMENT
            and len(node.args) == 1
            and not node.keywords
            and isinstance(node.args[0], ast.Call)
            and _call_name(node.args[0]) in _ONE_ARGUMENT
            and len(node.args[0].args) == 1
            and not node.args[0].keywords
        ):
            inner = node.args[0]
            outer = ast.Call(node.func, [inner.args[0]], [])
            yield (
                ast.Call(inner.func, [outer], []),
                f"takes `{_call_name(inner)}` of `{name}` where the solution takes `{name}` of "
                f"`{_call_name(inner)}`",
                "order",
            )
        # f(a, b) -> f(b, a): two arguments in the other order
        if (
            len(node.args) >= 2
            and name not in _ORDERLESS
            and all(
                isinstance(a, (ast.Name, ast.Attribute, ast.Subscript, ast.Call))
                for a in node.args[:2]
            )
            and _text(node.args[0]) != _text(node.args[1])
        ):
            swapped = copy.deepcopy(node)
            swapped.args[:2] = swapped.args[1::-1]
            yield (
                swapped,
                f"passes `{_text(node.args[1])}` and `{_text(node.args[0])}` to `{name}` in the "
                "other order",
                "arguments",
            )
        # np.swapaxes(x, -1, -2), x.transpose(0, 2, 1) -> x.T: every axis reversed
        some_axes = _some_axes_swapped(node)
        if some_axes is not None:
            yield (
                ast.Attribute(some_axes, "T", ast.Load()),
                f"reverses all the axes of `{_text(some_axes)}` (`.T`) where the solution swaps "
                "only some of them",
                "transpose",
            )
        # axis=0 <-> axis=1; any other keyword left out (its default used instead)
        for index, keyword in enumerate(node.keywords):
            changed = copy.deepcopy(node)
            if (
                keyword.arg == "axis"
                and isinstance(keyword.value, ast.Constant)
                and keyword.value.value in (0, 1)
            ):
                changed.keywords[index].value = ast.Constant(1 - keyword.value.value)
                yield (
                    changed,
                    f"sums over the other axis (`axis={1 - keyword.value.value}`)",
                    "axis",
                )
            elif keyword.arg not in (None, "axis"):
                del changed.keywords[index]
                kind = keyword.arg if keyword.arg in ("keepdims", "dtype", "start") else "call"
                yield changed, f"leaves out `{keyword.arg}={_text(keyword.value)}`", kind
    elif isinstance(node, ast.Subscript) and (k := _from_the_end(node.slice)) is not None:
        # eigenvalues[-1] -> eigenvalues[1]: counted from the start, not from the end
        counted = ast.Subscript(node.value, ast.Constant(k), ast.Load())
        yield (
            counted,
            f"uses `{_text(counted)}`, counted from the start, where the solution uses "
            f"`{_text(node)}`, counted from the end",
            "index",
        )
        if k == 1:  # ... and the first for the last
            yield _other_end(node, "0", "first", "last")
    elif (
        isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Constant)
        and node.slice.value == 0
        and not isinstance(node.slice.value, bool)
    ):  # losses[0] -> losses[-1]: the last for the first
        yield _other_end(node, "-1", "last", "first")
    elif (
        isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Tuple)
        and len(node.slice.elts) == 2
        and _is_whole(node.slice.elts[0])
        and not _is_whole(node.slice.elts[1])
    ):  # X[:, start:stop] -> X[start:stop]: rows for columns
        yield (
            ast.Subscript(node.value, node.slice.elts[1], ast.Load()),
            f"indexes the rows of `{_text(node.value)}` (`{_text(node.value)}"
            f"[{_text(node.slice.elts[1])}]`) where the solution indexes its columns",
            "axis",
        )
    elif isinstance(node, ast.Slice):
        if node.lower is not None and node.step is not None:
            # X[:, r::K] -> X[:, ::K]: every stride started at 0, not at r
            yield (
                ast.Slice(None, node.upper, node.step),
                f"starts the slice at 0 where the solution starts it at `{_text(node.lower)}`",
                "start",
            )
        if node.upper is not None:  # start:start + b -> start:start + b - 1: the stop included
            for op, word in ((ast.Sub(), "one early"), (ast.Add(), "one late")):
                stop = ast.BinOp(node.upper, op, ast.Constant(1))
                yield (
                    ast.Slice(node.lower, stop, node.step),
                    f"ends the slice {word} (at `{_text(stop)}` where the solution stops at "
                    f"`{_text(node.upper)}`)",
                    "off by one",
                )
    elif isinstance(node, ast.Attribute) and node.attr == "T":
        yield node.value, "forgets the transpose", "transpose"
    elif isinstance(node, ast.Attribute) and node.attr == "mT":
        yield ast.Attribute(node.value, "T", ast.Load()), "", "transpose"
    elif (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
        and node.value in (0, 1, 2)
    ):
        for value in {node.value - 1, node.value + 1} - {-1}:
            yield ast.Constant(value), "", "constant"
    elif isinstance(node, ast.Constant) and isinstance(node.value, float):
        for value in _nines(node.value):
            yield ast.Constant(value), "", "constant"
        if node.value in (0.5, 1.0, 2.0):  # 2.0 / (a + b) -> 1.0 / (a + b): a factor 2 off
            for value in {node.value * 2, node.value / 2} - {4.0, 0.25}:
                yield ast.Constant(value), "", "constant"


def _other_end(
    node: ast.Subscript, index: str, mine: str, theirs: str
) -> tuple[ast.expr, str, str]:
    """``values[-1] -> values[0]`` (``index`` "0"): the first entry for the last, or back."""
    changed = ast.Subscript(node.value, _expression(index), ast.Load())
    return (
        changed,
        f"uses the {mine} entry (`{_text(changed)}`) where the solution uses the {theirs} "
        f"(`{_text(node)}`)",
        "index",
    )


def _from_the_end(index: ast.expr) -> int | None:
    """``k`` for an index ``-k`` (a whole number counted from the end), else None."""
    if (
        isinstance(index, ast.UnaryOp)
        and isinstance(index.op, ast.USub)
        and isinstance(index.operand, ast.Constant)
        and type(index.operand.value) is int
    ):
        return index.operand.value
    return None


def _is_complement(parent: ast.AST | None, node: ast.AST) -> bool:
    """``parent`` is ``1 - node``."""
    return (
        isinstance(parent, ast.BinOp)
        and isinstance(parent.op, ast.Sub)
        and _is_one(parent.left)
        and parent.right is node
    )


def _is_list(node: ast.expr) -> bool:
    """``node`` is a list display, or one repeated (``[b] * n``)."""
    return isinstance(node, ast.List) or (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mult)
        and isinstance(node.left, ast.List)
    )


def _integer_like(node: ast.expr) -> bool:
    """``node`` may well be an integer: names and whole numbers joined by ``+ - * //``
    (``(t - warmup) / (total - warmup)``), not powers, calls or floats."""
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv)) and all(
            _integer_like(side) for side in (node.left, node.right)
        )
    return isinstance(node, ast.Name) or (
        isinstance(node, ast.Constant) and type(node.value) is int
    )


def _counted(left: ast.expr, right: ast.expr) -> bool:
    """``left / right`` divides counts: a count by a whole number (``X_j.shape[1] / m``), or
    two differences of whole numbers (``(t - warmup) / (total - warmup)``)."""
    sides = (left, right)
    if any(_counts(side) for side in sides) and all(
        _counts(side) or _integer_like(side) for side in sides
    ):
        return True
    return all(
        _integer_like(side) and isinstance(side, ast.BinOp) and isinstance(side.op, ast.Sub)
        for side in sides
    )


def _counts(node: ast.expr) -> bool:
    """``node`` is a count: ``len(...)``, ``x.size`` or ``x.shape[1]``."""
    if isinstance(node, ast.Subscript):
        node = node.value
    return (isinstance(node, ast.Call) and _call_name(node) == "len") or (
        isinstance(node, ast.Attribute) and node.attr in ("shape", "size")
    )


def _is_whole(node: ast.expr) -> bool:
    """``:`` in ``X[:, j]``: a whole axis."""
    return isinstance(node, ast.Slice) and not (node.lower or node.upper or node.step)


def _signed_name(node: ast.expr) -> str | None:
    """``tol`` for ``tol`` and ``-tol``."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return node.id if isinstance(node, ast.Name) else None


def _nines(value: float) -> list[float]:
    """0.99 and 0.9 for 0.999 (one nine more and one less): the decay rates students mix up."""
    if not 0.5 < value < 1:
        return []
    gap = 1 - value
    digits = round(-math.log10(gap))
    if not math.isclose(gap, 10.0**-digits, rel_tol=1e-9):
        return []
    return [
        round(1 - 10.0 ** -(digits + step), digits + 1) for step in (1, -1) if digits + step > 0
    ]


def _some_axes_swapped(node: ast.Call) -> ast.expr | None:
    """``x`` for ``np.swapaxes(x, 1, 2)``, ``x.swapaxes(1, 2)`` or ``x.transpose(0, 2, 1)``: a
    transpose of chosen axes, where ``x.T`` reverses them all."""
    if _call_name(node) not in ("swapaxes", "transpose") or not isinstance(
        node.func, ast.Attribute
    ):
        return None
    owner = node.func.value
    if isinstance(owner, ast.Name) and owner.id in ("np", "numpy", "torch"):
        return node.args[0] if len(node.args) >= 2 else None
    return owner if node.args else None


def _expression(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


def _transposed(node: ast.expr) -> str | None:
    """The text of ``a`` for ``a.T``, ``a.mT`` or ``a.transpose(...)``."""
    if isinstance(node, ast.Attribute) and node.attr in ("T", "mT"):
        return _text(node.value)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "transpose":
            return _text(node.func.value)
    return None


def _is_e(node: ast.expr) -> bool:
    """``math.e`` or ``np.e``."""
    return isinstance(node, ast.Attribute) and node.attr == "e" and isinstance(node.value, ast.Name)


def _radius_of(node: ast.Call) -> ast.expr | None:
    """``M`` for ``np.max(np.abs(np.linalg.eigvals(M)))`` (or ``max(abs(...))``)."""
    inner = node
    for name in ("max", "abs", "eigvals"):
        if not (isinstance(inner, ast.Call) and _call_name(inner) == name and inner.args):
            return None
        inner = inner.args[0] if name != "eigvals" else inner
        if name == "eigvals":
            return inner.args[0]
    return None


def _zeros_of(node: ast.Call) -> ast.expr | None:
    """``x`` for ``np.zeros_like(x)``, ``np.zeros(np.shape(x))`` or ``np.zeros(x.shape)``."""
    name = _call_name(node)
    if name == "zeros_like" and node.args:
        return node.args[0]
    if name == "zeros" and node.args:
        shape = node.args[0]
        if isinstance(shape, ast.Call) and _call_name(shape) == "shape" and shape.args:
            return shape.args[0]
        if isinstance(shape, ast.Attribute) and shape.attr == "shape":
            return shape.value
    return None


# PyTorch's in-place arithmetic, each with a method of the same name less the `_` that
# returns a new tensor
_IN_PLACE_ARITHMETIC = {
    f"{op}_" for op in "add sub mul div addcmul addcdiv lerp pow sqrt neg abs clamp sign".split()
}


def _in_place_chain(call: ast.expr) -> str | None:
    """``v`` for ``v.mul_(beta).add_(g)``: a chain of in-place methods on one name."""
    names = []
    while isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
        names.append(call.func.attr)
        call = call.func.value
    if names and isinstance(call, ast.Name) and set(names) <= _IN_PLACE_ARITHMETIC:
        return call.id
    return None


def _statement_edits(statement: ast.stmt, arguments: set[str]) -> Iterator[tuple[str, str, str]]:
    """(new statement text, description, kind) for edits of whole statements: in place vs a
    new array, the operator of an augmented assignment, and a line left out."""
    if isinstance(statement, (ast.AugAssign, ast.Expr)) and not (
        isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
    ):
        yield "pass", f"your code leaves out the line `{_text(statement)}`", "line"
    if isinstance(statement, ast.Raise) and statement.exc is not None:
        yield (  # raise ValueError(...) -> return ValueError(...): the error handed back
            f"return {_text(statement.exc)}",
            f"your code returns the `{_raised(statement)}` where the solution raises it",
            "condition",
        )
    if (
        isinstance(statement, ast.If)
        and not statement.orelse
        and len(statement.body) == 1
        and isinstance(statement.body[0], ast.Raise)
        and statement.body[0].exc is not None
    ):  # if m < 1: raise ValueError(msg) -> assert not (m < 1), msg: an AssertionError instead
        raised = statement.body[0].exc
        message = raised.args[0] if isinstance(raised, ast.Call) and raised.args else None
        yield (
            f"assert not ({_text(statement.test)})"
            + (f", {_text(message)}" if message is not None else ""),
            f"your code guards against `{_text(statement.test)}` with an `assert`, which raises "
            f"`AssertionError`, where the solution raises `{_raised(statement.body[0])}`",
            "condition",
        )
    if isinstance(statement, ast.Raise) and _raised(statement) in _OTHER_ERRORS:
        error = _raised(statement)
        arguments = statement.exc.args if isinstance(statement.exc, ast.Call) else []
        for other in _OTHER_ERRORS[error]:
            yield (
                f"raise {other}({', '.join(_text(a) for a in arguments)})",
                f"your code raises `{other}` where the solution raises `{error}`",
                "condition",
            )
    if isinstance(statement, (ast.Continue, ast.Break)):  # the rest of the loop skipped too
        other = "break" if isinstance(statement, ast.Continue) else "continue"
        yield (
            other,
            f"your code uses `{other}` where the solution uses `{_text(statement)}`",
            "loop",
        )
    if isinstance(statement, ast.Expr) and (name := _in_place_chain(statement.value)):
        chain = _text(statement.value)
        new = re.sub(r"\.(\w+)_\(", r".\1(", chain)
        yield (
            f"{name} = {new}",
            f"your code makes a new `{name}` instead of updating it in place",
            "in place",
        )
    if isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
        name, op = statement.target.id, _OPERATOR_TEXT.get(type(statement.op))
        if op is not None:
            yield (
                f"{name} = {name} {op} ({_text(statement.value)})",
                f"your code makes a new `{name}` instead of updating it in place",
                "in place",
            )
        if type(statement.op) in _SWAPS:
            other = _OPERATOR_TEXT[_SWAPS[type(statement.op)]]
            yield (
                f"{name} {other}= {_text(statement.value)}",
                f"your `{name}` uses `{other}=` where the solution uses `{op}=`",
                "operator",
            )
    if (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and isinstance(statement.value.func, ast.Attribute)
        and statement.value.func.attr == "append"
        and len(statement.value.args) == 1
    ):  # losses.append(x) -> losses = [x], groups.setdefault(k, []).append(p) -> groups[k] = [p]
        grown, item = statement.value.func.value, _text(statement.value.args[0])
        if isinstance(grown, ast.Call) and _call_name(grown) == "setdefault" and grown.args:
            target = f"{_text(grown.func.value)}[{_text(grown.args[0])}]"
        else:
            target = _text(grown)
        yield (
            f"{target} = [{item}]",
            f"your code sets `{target}` to `[{item}]` where the solution appends to it (only the "
            "last is kept)",
            "accumulate",
        )
    if isinstance(statement, ast.AugAssign) and isinstance(statement.op, ast.Add):
        target = _text(statement.target)  # total += g -> total = g: a sum overwritten
        yield (
            f"{target} = {_text(statement.value)}",
            f"your code sets `{target}` to each new value where the solution adds them up (`+=`)",
            "accumulate",
        )
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and isinstance(statement.value, ast.BinOp)
        and isinstance(statement.value.left, ast.Name)
        and statement.value.left.id == statement.targets[0].id
        and type(statement.value.op) in _OPERATOR_TEXT
    ):
        name, op = statement.targets[0].id, _OPERATOR_TEXT[type(statement.value.op)]
        yield (
            f"{name} {op}= {_text(statement.value.right)}",
            f"your code updates `{name}` in place (`{op}=`), changing the caller's array",
            "in place",
        )
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and statement.targets[0].id in arguments
        and statement.targets[0].id
        in {n.id for n in ast.walk(statement.value) if isinstance(n, ast.Name)}
        and not (
            isinstance(statement.value, ast.BinOp)
            and isinstance(statement.value.left, ast.Name)
            and statement.value.left.id == statement.targets[0].id
        )
    ):  # v = beta * v + (1 - beta) * g -> v[...] = ...: the caller's v overwritten
        name = statement.targets[0].id
        yield (
            f"{name}[...] = {_text(statement.value)}",
            f"your code updates `{name}` in place, changing the caller's array",
            "in place",
        )
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Tuple)
        and len(statement.targets[0].elts) >= 2
        and all(isinstance(e, ast.Name) for e in statement.targets[0].elts)
    ):  # beta1, beta2 = group["betas"] -> beta2, beta1 = ...: unpacked in the other order
        names = [e.id for e in statement.targets[0].elts]
        for i in range(len(names) - 1):
            swapped = names[:i] + [names[i + 1], names[i]] + names[i + 2 :]
            yield (
                f"{', '.join(swapped)} = {_text(statement.value)}",
                f"your code unpacks `{_text(statement.value)}` into `{names[i + 1]}` and "
                f"`{names[i]}` in the other order",
                "order",
            )
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        if (
            isinstance(target, ast.Subscript)
            and isinstance(target.value, ast.Name)
            and isinstance(target.slice, ast.Constant)
            and target.slice.value is Ellipsis
        ):
            name = target.value.id
            yield (
                f"{name} = {_text(statement.value)}",
                f"your code makes a new `{name}` instead of updating it in place",
                "in place",
            )
            yield (  # v[...] = beta * v + ... -> v += beta * v + ...: the new value added on
                f"{name} += {_text(statement.value)}",
                f"your code adds the new value onto `{name}` (`+=`) where the solution "
                "overwrites it",
                "accumulate",
            )


# the error a student raises instead of the solution's: the other usual one for a bad value
# (a wrong type or a wrong value), and the catch-all
_OTHER_ERRORS = {
    "ValueError": ("TypeError", "Exception"),
    "TypeError": ("ValueError", "Exception"),
    "KeyError": ("ValueError",),
    "IndexError": ("ValueError",),
}

_OPERATOR_TEXT = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
    ast.FloorDiv: "//",
    ast.Mod: "%",
}


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}


def _statement_of(node: ast.AST, parents: dict) -> ast.stmt | None:
    while node is not None and not isinstance(node, ast.stmt):
        node = parents.get(node)
    return node


def _editable(node: ast.AST, parents: dict) -> bool:
    """Expressions that are read (not assigned to, not inside f-strings, not keyword names)."""
    if getattr(node, "ctx", ast.Load()).__class__ is not ast.Load:
        return False
    parent = parents.get(node)
    while parent is not None:
        if isinstance(parent, (ast.JoinedStr, ast.FunctionDef, ast.Lambda)) and parent is not node:
            return not isinstance(parent, ast.JoinedStr) and not (
                isinstance(parent, ast.FunctionDef) and node in parent.args.defaults
            )
        if isinstance(parent, ast.Raise):
            return False
        parent = parents.get(parent)
    return True


def _names(function: ast.FunctionDef) -> tuple[set[str], set[str]]:
    """(names used as ``1 - name`` somewhere, names that count: loop variables, ``t``, ``k``)."""
    complements = {
        node.right.id
        for node in ast.walk(function)
        if isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Sub)
        and _is_one(node.left)
        and isinstance(node.right, ast.Name)
    }
    counters = set()
    for node in ast.walk(function):  # for i in range(...), for i, x in enumerate(...)
        if isinstance(node, ast.For) and isinstance(node.iter, ast.Call):
            target = node.target
            if _call_name(node.iter) == "enumerate" and isinstance(target, ast.Tuple):
                target = target.elts[0]
            if _call_name(node.iter) in ("range", "enumerate") and isinstance(target, ast.Name):
                counters.add(target.id)
    counters |= {
        node.id
        for node in ast.walk(function)
        if isinstance(node, ast.Name)
        and (node.id in ("t", "k", "n") or re.search(_COUNTING, node.id))
    }
    counters |= {  # range(warmup_steps): a number of steps
        argument.id
        for node in ast.walk(function)
        if isinstance(node, ast.Call) and _call_name(node) == "range"
        for argument in node.args
        if isinstance(argument, ast.Name)
    }
    return complements, counters


# names that count steps, epochs or passes
_COUNTING = re.compile(r"(^|_)(steps?|epochs?|iterations?|count|warmup)(_|$)")


def _argument_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """Each argument with a default ignored: its uses replaced by the default (all of them, or
    one of several: ``return 0.0`` where the solution returns ``eta_min``)."""
    arguments = function.args.args[len(function.args.args) - len(function.args.defaults) :]
    for argument, default in zip(arguments, function.args.defaults):
        uses = [
            node
            for node in ast.walk(function)
            if isinstance(node, ast.Name)
            and node.id == argument.arg
            and isinstance(node.ctx, ast.Load)
            and node.lineno in region
        ]
        if not uses:
            continue
        edited = _replace_all(source, uses, f"({_text(default)})")
        yield Mutant(edited, f"your code ignores the argument `{argument.arg}`", "argument")
        for use in uses if len(uses) > 1 else ():
            yield Mutant(
                _replace_all(source, [use], f"({_text(default)})"),
                f"{_where_line(function, use.lineno)} uses `{_text(default)}` (the default) "
                f"where the solution uses `{argument.arg}`",
                "argument",
            )


def _parameter_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """A function defined inside the answer (a schedule's ``def schedule(lr0, t)``, a
    ``lambda``) that takes two of its parameters in the other order."""
    for inner in ast.walk(function):
        if inner is function or not isinstance(inner, (ast.FunctionDef, ast.Lambda)):
            continue
        parameters = inner.args.args
        if inner.lineno not in region or len(parameters) < 2:
            continue
        name = inner.name if isinstance(inner, ast.FunctionDef) else "lambda"
        for first, second in zip(parameters, parameters[1:]):
            yield Mutant(
                _replace_each(source, [(first, second.arg), (second, first.arg)]),
                f"your `{name}` takes `{second.arg}` before `{first.arg}` where the solution "
                f"takes `{first.arg}` first",
                "arguments",
            )


def _shared_default_edits(
    function: ast.FunctionDef, region: range, source: str
) -> Iterator[Mutant]:
    """An empty list or dict started in the function (``losses = []``) taken as a default
    argument instead (``def f(..., losses=[])``): Python makes the default once, so every call
    shares it and adds to what the earlier calls left."""
    arguments = function.args
    if arguments.vararg or arguments.kwarg or arguments.kwonlyargs or not arguments.args:
        return
    starts = _offsets(source)
    last = max([arguments.args[-1], *arguments.defaults], key=lambda n: _span(n, starts))
    signature_end = _span(last, starts)[1]
    for statement in function.body:
        if (
            statement.lineno in region
            and isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(statement.value, (ast.List, ast.Dict))  # (a 0 is not shared)
            and _is_empty(statement.value)
        ):
            name, empty = statement.targets[0].id, _text(statement.value)
            container = "list" if isinstance(statement.value, ast.List) else "dict"
            start, stop = _span(statement, starts)
            edited = source[:start] + "pass" + source[stop:]
            yield Mutant(
                edited[:signature_end] + f", {name}={empty}" + edited[signature_end:],
                f"your code makes `{name}` a default argument (`{name}={empty}`) instead of "
                "creating it inside the function: Python creates a default only once, so every "
                f"call shares the same {container} and sees what earlier calls added",
                "accumulate",
            )


def _axis_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """Every array of a statement indexed along its rows where the solution indexes the
    columns, all alike (``X[:, order], Y[:, order]`` -> ``X[order], Y[order]``)."""
    for statement in ast.walk(function):
        if not isinstance(statement, ast.stmt) or statement.lineno not in region:
            continue
        if isinstance(statement, (ast.FunctionDef, ast.For, ast.While, ast.If, ast.With)):
            continue
        by_index: dict[str, list[ast.Subscript]] = {}
        for node in ast.walk(statement):
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.slice, ast.Tuple)
                and len(node.slice.elts) == 2
                and _is_whole(node.slice.elts[0])
            ):
                by_index.setdefault(_text(node.slice.elts[1]), []).append(node)
        for index, nodes in by_index.items():
            if len(nodes) > 1:
                names = " and ".join(f"`{_text(n.value)}`" for n in nodes)
                yield Mutant(
                    _replace_each(source, [(n, f"{_text(n.value)}[{index}]") for n in nodes]),
                    f"your code indexes the rows of {names} (`[{index}]`) where the solution "
                    "indexes their columns",
                    "axis",
                )


def _replace_all(source: str, nodes: list[ast.AST], text: str) -> str:
    return _replace_each(source, [(node, text) for node in nodes])


def _replace_each(source: str, replacements: list[tuple[ast.AST, str]]) -> str:
    """``source`` with each node's text replaced by its own new text."""
    starts = _offsets(source)
    for node, text in sorted(replacements, key=lambda r: _span(r[0], starts), reverse=True):
        start, stop = _span(node, starts)
        source = source[:start] + text + source[stop:]
    return source


def _defaults(function: ast.FunctionDef) -> list[tuple[str, ast.expr]]:
    """(argument name, default) for every argument with a default."""
    arguments = function.args.args[len(function.args.args) - len(function.args.defaults) :]
    pairs = [(a.arg, d) for a, d in zip(arguments, function.args.defaults)]
    return pairs + [
        (a.arg, d) for a, d in zip(function.args.kwonlyargs, function.args.kw_defaults) if d
    ]


def _default_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """A default with a nine more or less (``beta=0.99`` for ``0.9``), and the defaults of two
    numbered siblings swapped (Adam's ``beta1=0.999, beta2=0.9``). The signature is the
    student's to type too: the tests that call with the defaults see it."""
    defaults = dict(_defaults(function))
    for name, default in defaults.items():
        if isinstance(default, ast.Constant) and isinstance(default.value, float):
            for value in _nines(default.value):
                yield Mutant(
                    _replace_all(source, [default], repr(value)),
                    f"your default `{name}={value}` is not the solution's `{name}={default.value}`",
                    "default",
                )
    for first, second in _sibling_pairs(defaults):
        a, b = defaults[first], defaults[second]
        if _text(a) != _text(b):
            yield Mutant(
                _replace_each(source, [(a, _text(b)), (b, _text(a))]),
                f"your defaults swap `{first}` and `{second}` (`{first}={_text(b)}, "
                f"{second}={_text(a)}`)",
                "default",
            )


def _target_name(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
    elif isinstance(statement, ast.AugAssign):
        target = statement.target
    else:
        return None
    target = target.value if isinstance(target, ast.Subscript) else target
    return target.id if isinstance(target, ast.Name) else None


def _neighbours(function: ast.FunctionDef) -> Iterator[tuple[ast.stmt, ast.stmt]]:
    """Every two consecutive statements of one block of ``function``."""
    for block in ast.walk(function):
        body = getattr(block, "body", None)
        if isinstance(body, list):
            yield from zip(body, body[1:])


def _order_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """Two updates in the wrong order: the second reads what the first computed, and the
    student's code computes it first with the old value (``p`` moved with the old ``v``);
    and two calls in the wrong order (``optimizer.zero_grad()`` after ``add_grad``)."""
    starts = _offsets(source)
    for first, second in _neighbours(function):
        if (
            all(isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) for s in (first, second))
            and first.lineno in region
            and second.end_lineno in region
            and first.end_lineno == second.lineno - 1
        ):  # optimizer.zero_grad() after optimizer.add_grad(...)
            yield Mutant(
                _swapped(source, first, second, starts),
                f"your code swaps the order of `{_text(first)}` and `{_text(second)}`",
                "order",
            )
            continue
        a, b = _target_name(first), _target_name(second)
        if (
            not a
            or not b
            or a == b
            or first.lineno not in region
            or second.end_lineno not in region
        ):
            continue
        reads = {
            n.id
            for n in ast.walk(second)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
        }
        if a not in reads or first.end_lineno != second.lineno - 1:
            continue
        yield Mutant(
            _swapped(source, first, second, starts),
            f"your code computes `{b}` with the old `{a}` (the solution updates `{a}` first)",
            "order",
        )


def _swapped(source: str, first: ast.stmt, second: ast.stmt, starts: list[int]) -> str:
    """``source`` with two consecutive statements in the other order."""
    (start, middle), (_, stop) = _span(first, starts), _span(second, starts)
    second_start = starts[second.lineno] + second.col_offset
    gap = source[middle:second_start]
    return source[:start] + source[second_start:stop] + gap + source[start:middle] + source[stop:]


def _branch_order_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """Two ``if ...: return`` checks in the other order (the zero eigenvalue tested before the
    saddle): what the first catches, the second never sees."""
    starts = _offsets(source)
    for first, second in _neighbours(function):
        if not all(
            isinstance(s, ast.If)
            and not s.orelse
            and isinstance(s.body[-1], ast.Return)
            and s.lineno in region
            and s.end_lineno in region
            for s in (first, second)
        ):
            continue
        yield Mutant(
            _swapped(source, first, second, starts),
            f"your code checks `{_text(second.test)}` before `{_text(first.test)}`",
            "order",
        )


def _return_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """``return x`` -> ``return y`` for another name the function computed, and two of the
    values a function returns in each other's places (``return alpha, rate, beta``)."""
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Return)
            and isinstance(node.value, ast.Tuple)
            and node.lineno in region
        ):
            values = node.value.elts
            for first, second in itertools.combinations(values, 2):
                yield Mutant(
                    _replace_each(source, [(first, _text(second)), (second, _text(first))]),
                    f"your code returns `{_text(first)}` and `{_text(second)}` in each other's "
                    "places",
                    "return",
                )
    assigned = []
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and node.lineno in region:
            assigned += [t.id for t in node.targets if isinstance(t, ast.Name)]
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Return)
            and isinstance(node.value, ast.Name)
            and node.lineno in region
        ):
            for other in dict.fromkeys(assigned):
                if other != node.value.id:
                    yield Mutant(
                        _replace_all(source, [node.value], other),
                        f"your code returns `{other}` where the solution returns `{node.value.id}`",
                        "return",
                    )


def _assigned(function: ast.FunctionDef) -> set[str]:
    """The names ``function`` computes (assigns to)."""
    return {
        t.id
        for node in ast.walk(function)
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }


def _data_flow_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """A computed value skipped: where the solution's update (or return value) reads ``v``,
    computed from ``g``, the student's reads ``g`` itself (the raw gradient where the velocity
    belongs; ``B`` where ``H``, made from it, belongs). Only the
    function's arguments without a default and the names it computes stand in (not its
    hyperparameters, nor a step count in an exponent)."""
    data = {
        a.arg for a in function.args.args[: len(function.args.args) - len(function.args.defaults)]
    }
    data |= _assigned(function)
    for assign in ast.walk(function):
        if not (
            isinstance(assign, ast.Assign)
            and len(assign.targets) == 1
            and isinstance(assign.targets[0], ast.Name)
            and assign.lineno in region
        ):
            continue
        name = assign.targets[0].id
        exponents = {
            n.id
            for pow_ in ast.walk(assign.value)
            if isinstance(pow_, ast.BinOp) and isinstance(pow_.op, ast.Pow)
            for n in ast.walk(pow_.right)
            if isinstance(n, ast.Name)
        }
        sources = [
            n.id
            for n in ast.walk(assign.value)
            if isinstance(n, ast.Name) and n.id in data and n.id not in exponents | {name}
        ]
        uses = [
            n
            for statement in ast.walk(function)
            if isinstance(statement, (ast.Assign, ast.AugAssign, ast.Return, ast.Expr))
            and statement.value is not None
            and statement.lineno > assign.end_lineno
            and statement.lineno in region
            for n in ast.walk(statement.value)
            if isinstance(n, ast.Name) and n.id == name
        ]
        for use in uses:
            for other in dict.fromkeys(sources):
                yield Mutant(
                    _replace_all(source, [use], other),
                    _uses(_where_line(function, use.lineno), other, name),
                    "name",
                )
        # ... and the other way round: `s` fed the new `v` where the solution feeds it `g`
        for statement in ast.walk(function):
            if not (
                isinstance(statement, ast.Assign)
                and statement.lineno > assign.end_lineno
                and statement.lineno in region
                and name not in _stored(statement)
            ):
                continue
            for use in ast.walk(statement.value):
                if isinstance(use, ast.Name) and use.id in sources:
                    yield Mutant(
                        _replace_all(source, [use], name),
                        _uses(_where_line(function, use.lineno), name, use.id),
                        "name",
                    )


def _where_line(function: ast.FunctionDef, line: int) -> str:
    statement = next(
        (
            n
            for n in ast.walk(function)
            if isinstance(n, ast.stmt)
            and not isinstance(n, (ast.FunctionDef, ast.For, ast.While, ast.If, ast.With))
            and n.lineno <= line <= n.end_lineno
        ),
        None,
    )
    return _where(statement) if statement is not None else "your code"


def _root_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """The square root of a computed value where the value itself belongs (``kappa ** 0.5``
    for ``kappa``: momentum's rate where gradient descent's is asked), in one statement."""
    computed = _assigned(function)
    for statement in ast.walk(function):
        if not isinstance(statement, (ast.Assign, ast.Return)) or statement.lineno not in region:
            continue
        if statement.value is None:
            continue
        uses = [
            n for n in ast.walk(statement.value) if isinstance(n, ast.Name) and n.id in computed
        ]
        for name in dict.fromkeys(n.id for n in uses):
            yield Mutant(
                _replace_all(source, [n for n in uses if n.id == name], f"({name} ** 0.5)"),
                f"{_where(statement)} takes the square root of `{name}` where the solution "
                f"uses `{name}` itself",
                "sqrt",
            )


_NUMBERED = re.compile(r"(\w*?[A-Za-z_])(\d+)")


def _stems(names) -> dict[str, list[str]]:
    """``{"beta": ["beta1", "beta2"]}``: numbered names grouped by what precedes the number."""
    stems: dict[str, list[str]] = {}
    for name in sorted(names):
        found = _NUMBERED.fullmatch(name)
        if found:
            stems.setdefault(found.group(1), []).append(name)
    return stems


def _sibling_pairs(names) -> list[tuple[str, str]]:
    """Pairs of numbered siblings, where a stem has exactly two: ``(beta1, beta2)``."""
    return [tuple(group) for group in _stems(names).values() if len(group) == 2]


def _sibling_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """One of two numbered names for the other: ``beta1`` where ``beta2`` belongs, and the two
    swapped everywhere."""
    names = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)}
    names |= {a.arg for a in function.args.args}
    stems = _stems(names)
    loads = [
        n
        for n in ast.walk(function)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.lineno in region
    ]
    for first, second in _sibling_pairs(names):
        swaps = {first: second, second: first}
        uses = [(n, swaps[n.id]) for n in loads if n.id in swaps]
        if {n.id for n, _ in uses} == {first, second}:
            yield Mutant(
                _replace_each(source, uses), f"your code swaps `{first}` and `{second}`", "name"
            )
    for node in ast.walk(function):
        if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)):
            continue
        found = _NUMBERED.fullmatch(node.id)
        if not found or node.lineno not in region:
            continue
        for other in stems.get(found.group(1), []):
            if other != node.id:
                yield Mutant(
                    _replace_all(source, [node], other),
                    _uses(_where_line(function, node.lineno), other, node.id),
                    "name",
                )


def _confusable_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """One name for another that starts alike (``Y_hat`` where ``Y_t`` belongs, ``X`` for
    ``X_shuffled``, ``v`` for ``v_hat``): a name typed from memory. Only names defined by then
    stand in."""
    defined = {a.arg: 0 for a in function.args.args}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            defined[node.id] = min(defined.get(node.id, node.lineno), node.lineno)
    groups: dict[str, list[str]] = {}
    for name in sorted(defined):
        groups.setdefault(name.split("_")[0], []).append(name)
    for node in ast.walk(function):
        if not (
            isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Load)
            and node.lineno in region
            and node.id in defined
        ):
            continue
        for other in groups[node.id.split("_")[0]]:
            if other != node.id and defined[other] < node.lineno:
                yield Mutant(
                    _replace_all(source, [node], other),
                    _uses(_where_line(function, node.lineno), other, node.id),
                    "name",
                )
    # ... and in a line, every name with the same ending (`X_shuffled`, `Y_shuffled`) for its
    # stem (`X`, `Y`): the original arrays sliced where the shuffled copies belong
    for statement in ast.walk(function):
        if not isinstance(statement, ast.stmt) or statement.lineno not in region:
            continue
        by_ending: dict[str, list[ast.Name]] = {}
        for node in ast.walk(statement):
            stem, _, ending = getattr(node, "id", "").partition("_")
            if (
                isinstance(node, ast.Name)
                and isinstance(node.ctx, ast.Load)
                and ending
                and defined.get(stem, node.lineno) < node.lineno
                and not isinstance(statement, (ast.For, ast.While, ast.If, ast.With))
            ):
                by_ending.setdefault(ending, []).append(node)
        for ending, nodes in by_ending.items():
            names = list(dict.fromkeys(n.id for n in nodes))
            stems = [name.partition("_")[0] for name in names]
            if len(names) > 1:
                yield Mutant(
                    _replace_each(source, [(n, n.id.partition("_")[0]) for n in nodes]),
                    f"{_where_line(function, statement.lineno)} uses "
                    f"{' and '.join(f'`{n}`' for n in stems)} where the solution uses "
                    f"{' and '.join(f'`{n}`' for n in names)}",
                    "name",
                )


def _control_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """A guard ignored (``if scheduler is not None:`` always taken), the branches of an ``if``
    swapped, a check of the input left out (``if window < 1: raise ValueError(...)``) and a
    loop run backwards (the newest snapshot first)."""
    lines = source.splitlines(keepends=True)
    for node in ast.walk(function):
        if isinstance(node, ast.If) and node.lineno in region:
            yield Mutant(
                _replace_all(source, [node.test], "True"),
                f"your code ignores the condition `{_text(node.test)}` (it always runs its branch)",
                "condition",
            )
            if node.orelse:  # the two branches swapped: the condition read the other way
                yield Mutant(
                    _replace_all(source, [node.test], f"not ({_text(node.test)})"),
                    f"your code swaps the branches of `if {_text(node.test)}:` (runs the `else` "
                    "branch when it holds)",
                    "condition",
                )
            if not node.orelse and all(isinstance(s, ast.Raise) for s in node.body):
                yield Mutant(  # the input never checked
                    "".join(lines[: node.lineno - 1] + lines[node.end_lineno :]),
                    f"your code leaves out the check `if {_text(node.test)}:` and never raises "
                    f"its `{_raised(node.body[0])}`",
                    "condition",
                )
        if isinstance(node, ast.For) and node.lineno in region:
            yield Mutant(
                _replace_all(source, [node.iter], f"reversed(list({_text(node.iter)}))"),
                f"your loop runs over `{_text(node.iter)}` in reverse order",
                "order",
            )


def _moved(
    source: str, statement: ast.stmt, line: int, indent: int, through: ast.stmt | None = None
) -> str:
    """``source`` with ``statement``'s lines (through those of ``through``, a later statement
    of the same block) taken out and put before line ``line`` (numbered as in ``source``; one
    past the last line puts them at the end), indented by ``indent``."""
    lines = source.splitlines(keepends=True)
    lines[-1] = lines[-1] if lines[-1].endswith("\n") else lines[-1] + "\n"
    end = (through or statement).end_lineno
    block = lines[statement.lineno - 1 : end]
    shift = indent - statement.col_offset
    block = [
        (" " * shift + text if shift >= 0 else text[-shift:]) if text.strip() else text
        for text in block
    ]
    moved = []
    for number, text in enumerate(lines, 1):
        if number == line:
            moved += block
        if not statement.lineno <= number <= end:
            moved.append(text)
    if line > len(lines):
        moved += block
    return "".join(moved)


def _is_empty(node: ast.expr) -> bool:
    """``[]``, ``{}``, ``0``, ``0.0``: a total or a list started empty."""
    return (
        isinstance(node, (ast.List, ast.Dict))
        and not (node.elts if isinstance(node, ast.List) else node.keys)
        or isinstance(node, ast.Constant)
        and node.value == 0
        and type(node.value) in (int, float)
    )


def _loop_header(loop: ast.stmt) -> str:
    if isinstance(loop, ast.For):
        return f"for {_text(loop.target)} in {_text(loop.iter)}"
    return f"while {_text(loop.test)}"


def _stored(node: ast.AST) -> set[str]:
    """The names ``node`` assigns to, in place included (``a[t] = ...``, ``a += ...``)."""
    found = set()
    for child in ast.walk(node):
        targets = []
        if isinstance(child, ast.Assign):
            targets = child.targets
        elif isinstance(child, (ast.AugAssign, ast.AnnAssign, ast.For)):
            targets = [child.target]
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    found.add(name.id)
    return found


def _grown(node: ast.AST) -> set[str]:
    """The names ``node`` adds to by a method (``losses.append(...)``)."""
    return {
        call.func.value.id
        for call in ast.walk(node)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in ("append", "extend", "insert", "add", "update")
        and isinstance(call.func.value, ast.Name)
    }


def _read(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _loop_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """A statement on the wrong side of a loop's edge: state set again in every pass (``v = 0``
    moved into the loop), a value computed once before the loop where the solution computes it
    in every pass, a step taken in every pass that belongs once after the loop (the scheduler
    stepped per mini-batch, not per epoch; a ``return`` inside the loop), and the other way
    round."""

    def inside(*statements: ast.stmt) -> bool:
        return all(s.lineno in region and s.end_lineno in region for s in statements)

    for block in ast.walk(function):
        body = getattr(block, "body", None)
        if not isinstance(body, list):
            continue
        for before, loop in zip(body, body[1:]):
            if not isinstance(loop, (ast.For, ast.While)) or not inside(before, loop):
                continue
            header = _loop_header(loop)
            name = _target_name(before)
            if isinstance(before, ast.Assign) and name and name in _stored(loop) | _grown(loop):
                yield Mutant(
                    _moved(source, before, loop.body[0].lineno, loop.body[0].col_offset),
                    f"your code sets `{name}` again in every pass of `{header}` (the solution "
                    "sets it once, before the loop)",
                    "loop",
                )
        for loop, after in zip(body, body[1:]):
            if not isinstance(loop, (ast.For, ast.While)) or not inside(loop, after):
                continue
            header, last = _loop_header(loop), loop.body[-1]
            first = loop.body[0]
            if (
                isinstance(first, ast.Assign)
                and len(loop.body) > 1
                and not _read(first) & _stored(loop.target if isinstance(loop, ast.For) else loop)
                and _read(first) & _stored(loop)
            ):
                yield Mutant(
                    _moved(source, first, loop.lineno, loop.col_offset),
                    f"your code computes `{_text(first.targets[0])}` once, before `{header}`, where "
                    "the solution computes it in every pass",
                    "loop",
                )
            if (
                isinstance(first, ast.Assign)
                and len(loop.body) > 1
                and _is_empty(first.value)
                and _target_name(first) in _stored(loop) | _grown(loop)
            ):  # losses = [] at the top of every epoch -> once, before the epochs
                yield Mutant(
                    _moved(source, first, loop.lineno, loop.col_offset),
                    f"your code sets `{_target_name(first)}` once, before `{header}`, where the "
                    "solution starts it afresh in every pass",
                    "loop",
                )
            if (
                isinstance(first, ast.Expr)
                and len(loop.body) > 1
                and not _read(first) & _stored(loop.target if isinstance(loop, ast.For) else loop)
            ):  # optimizer.zero_grad() once per epoch, not per mini-batch
                yield Mutant(
                    _moved(source, first, loop.lineno, loop.col_offset),
                    f"your code runs `{_text(first)}` once, before `{header}`, where the "
                    "solution runs it in every pass",
                    "loop",
                )
            if isinstance(after, (ast.Expr, ast.Assign, ast.AugAssign, ast.Return, ast.If)):
                what = f"if {_text(after.test)}: ..." if isinstance(after, ast.If) else _text(after)
                sentence = (
                    f"your code returns inside `{header}`, after its first pass (the solution "
                    "returns after the loop)"
                    if isinstance(after, ast.Return)
                    else f"your code runs `{what}` in every pass of `{header}` (the "
                    "solution runs it once, after the loop)"
                )
                yield Mutant(
                    _moved(source, after, last.end_lineno + 1, last.col_offset), sentence, "loop"
                )
            final = body[-1]
            if isinstance(final, ast.Return) and final is not after and inside(final):
                # the lines after the loop, its `return` included, indented into it
                yield Mutant(
                    _moved(source, after, last.end_lineno + 1, last.col_offset, through=final),
                    f"your code returns inside `{header}`, after its first pass (the solution "
                    f"runs `{_text(after)}` ... and returns after the loop)",
                    "loop",
                )
            if len(loop.body) > 1 and isinstance(last, (ast.Expr, ast.Assign, ast.AugAssign)):
                yield Mutant(
                    _moved(source, last, loop.end_lineno + 1, loop.col_offset),
                    f"your code runs `{_text(last)}` once, after `{header}`, where the solution "
                    "runs it in every pass",
                    "loop",
                )


def _item_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """A loop's item where its collection belongs, after the loop (``len(theta)`` for
    ``len(snapshots)``, after ``for theta in snapshots``), and the last match kept where the
    solution returns the first (``if abs(y) >= d: return i`` becomes ``found = i``)."""
    body = function.body
    for loop, after in zip(body, body[1:]):
        if not isinstance(loop, ast.For) or loop.lineno not in region:
            continue
        if isinstance(loop.target, ast.Name) and isinstance(loop.iter, ast.Name):
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Name)
                    and isinstance(node.ctx, ast.Load)
                    and node.id == loop.iter.id
                    and node.lineno > loop.end_lineno
                    and node.lineno in region
                ):
                    yield Mutant(
                        _replace_all(source, [node], loop.target.id),
                        f"{_where_line(function, node.lineno)} uses `{loop.target.id}`, the "
                        f"loop's last item, where the solution uses `{loop.iter.id}`",
                        "name",
                    )
        early = [
            statement
            for branch in loop.body
            if isinstance(branch, ast.If) and not branch.orelse
            for statement in branch.body
            if isinstance(statement, ast.Return) and statement.value is not None
        ]
        nothing_found = isinstance(after, ast.Return) and (
            after.value is None or _text(after.value) == "None"
        )
        if len(early) == 1 and nothing_found and after.lineno in region:
            (first_return,) = early
            lines = _replace_each(
                source,
                [(first_return, f"found = {_text(first_return.value)}"), (after, "return found")],
            ).splitlines(keepends=True)
            lines.insert(loop.lineno - 1, " " * loop.col_offset + "found = None\n")
            yield Mutant(
                "".join(lines),
                f"your code keeps the last `{_text(first_return.value)}` that passes where the "
                "solution returns the first (it goes on looping)",
                "loop",
            )


def _context_edits(function: ast.AST, region: range, source: str) -> Iterator[Mutant]:
    """A context left out: the body of ``with torch.no_grad():`` run without it."""
    lines = source.splitlines(keepends=True)
    for node in ast.walk(function):
        if isinstance(node, ast.With) and node.lineno in region and node.end_lineno in region:
            header = range(node.lineno, node.body[0].lineno)
            shift = node.body[0].col_offset - node.col_offset
            kept = [
                text[shift:]
                if node.body[0].lineno <= number <= node.end_lineno and text.strip()
                else text
                for number, text in enumerate(lines, 1)
                if number not in header
            ]
            items = ", ".join(_text(item) for item in node.items)
            yield Mutant("".join(kept), f"your code leaves out `with {items}:`", "line")


def _group_edits(function: ast.AST, region: range, source: str) -> Iterator[Mutant]:
    """A hyperparameter read from the optimizer's defaults where each parameter group has its
    own: ``self.defaults["lr"]`` for ``group["lr"]`` (every group gets the same)."""
    for loop in ast.walk(function):
        if not (
            isinstance(loop, ast.For)
            and isinstance(loop.target, ast.Name)
            and isinstance(loop.iter, ast.Attribute)
            and loop.iter.attr == "param_groups"
        ):
            continue
        group, owner = loop.target.id, _text(loop.iter.value)
        reads: dict[str, list[ast.AST]] = {}
        for node in ast.walk(loop):
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Name)
                and node.value.id == group
                and isinstance(node.slice, ast.Constant)
                and isinstance(node.slice.value, str)
                and node.slice.value != "params"
                and isinstance(node.ctx, ast.Load)
                and node.lineno in region
            ):
                reads.setdefault(node.slice.value, []).append(node)
        for key, nodes in reads.items():
            yield Mutant(
                _replace_all(source, nodes, f"{owner}.defaults[{key!r}]"),
                f"your code reads `{key}` from `{owner}.defaults` where the solution reads each "
                f"group's `{group}[{key!r}]` (every group gets the same `{key}`)",
                "argument",
            )


def _raised(statement: ast.Raise) -> str:
    """``ValueError`` for ``raise ValueError(...)``."""
    error = statement.exc
    error = error.func if isinstance(error, ast.Call) else error
    return _text(error) if error is not None else "error"


def _component_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """The size of the whole point where one coordinate's belongs: in ``for x, y in points``,
    ``abs(y)`` measured as the norm of ``(x, y)``."""
    for loop in ast.walk(function):
        target = getattr(loop, "target", None)
        if isinstance(loop, ast.For) and isinstance(target, ast.Tuple):
            # for i, (x, y) in enumerate(...): the innermost tuple of names
            while isinstance(target, ast.Tuple) and isinstance(target.elts[-1], ast.Tuple):
                target = target.elts[-1]
            names = [e.id for e in target.elts if isinstance(e, ast.Name)]
            if len(names) != len(target.elts) or len(names) < 2:
                continue
            whole = f"({', '.join(names)})"
            for node in ast.walk(loop):
                if (
                    isinstance(node, ast.Call)
                    and _call_name(node) == "abs"
                    and len(node.args) == 1
                    and isinstance(node.args[0], ast.Name)
                    and node.args[0].id in names
                    and node.lineno in region
                ):
                    yield Mutant(
                        _replace_all(source, [node], f"sum(c ** 2 for c in {whole}) ** 0.5"),
                        f"{_where_line(function, node.lineno)} measures the norm of the whole "
                        f"`{whole}` where the solution uses `{_text(node)}`",
                        "norm",
                    )


def _copies_together(
    source: str, copies: list[tuple[int, int, str, str]], new: bool = True
) -> Iterator[Mutant]:
    """Two or more updates made on new arrays at once (``v`` and ``s`` rebuilt, the state never
    updated), or with ``new=False`` in place at once (the caller's ``v`` and ``p`` changed):
    every combination of the first four."""
    copies = list({name: edit for *edit, name in copies}.items())[:4]
    for size in range(2, len(copies) + 1):
        for chosen in itertools.combinations(copies, size):
            edited = source
            for start, stop, text in sorted((edit for _, edit in chosen), reverse=True):
                edited = edited[:start] + text + edited[stop:]
            names = [f"`{name}`" for name, _ in chosen]
            both = f"{', '.join(names[:-1])} and {names[-1]}"
            yield Mutant(
                edited,
                f"your code makes new {both} instead of updating them in place"
                if new
                else f"your code updates {both} in place, changing the caller's arrays",
                "in place",
            )


def mutants(source: str, limit: int = 120) -> list[Mutant]:
    """The mutants of an answer cell's ``source`` (at most ``limit``, first edits first).

    Only code inside the solution region is edited; each mutant differs from the solution and
    from every other mutant, and compiles.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    region, starts, parents = _solution_lines(source), _offsets(source), _parents(tree)
    found: dict[str, Mutant] = {}

    def keep(mutant: Mutant) -> None:
        if mutant.source == source or mutant.source in found:
            return
        try:
            with warnings.catch_warnings():  # "'NoneType' object is not callable"
                warnings.simplefilter("ignore", SyntaxWarning)
                compile(mutant.source, "<mutant>", "exec")
        except SyntaxError:
            return
        found[mutant.source] = mutant

    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    functions += [  # an optimizer's step(): the methods of a class
        method
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        for method in node.body
        if isinstance(method, ast.FunctionDef)
    ]
    for function in functions or [tree]:
        complements, counters = (
            _names(function) if isinstance(function, ast.FunctionDef) else (set(), set())
        )
        arguments = (
            {a.arg for a in function.args.args} if isinstance(function, ast.FunctionDef) else set()
        )
        copies = []  # every update made on a new array, for the mutant that makes them all
        in_place = []  # ... and every update made in place, for the mutant that makes them all
        for node in ast.walk(function):
            if isinstance(node, ast.stmt) and node.lineno in region and node.end_lineno in region:
                for text, description, kind in _statement_edits(node, arguments):
                    start, stop = _span(node, starts)
                    keep(Mutant(source[:start] + text + source[stop:], description, kind))
                    if description.startswith("your code makes a new"):
                        copies.append((start, stop, text, description.split("`")[1]))
                    elif description.endswith("changing the caller's array"):
                        in_place.append((start, stop, text, description.split("`")[1]))
            if (
                not isinstance(node, ast.expr)
                or node.lineno not in region
                or not _editable(node, parents)
            ):
                continue
            statement = _statement_of(node, parents)
            where = _where(statement) if statement is not None else "your code"
            # the same expression elsewhere in the statement (X and Y sliced alike): a student
            # who copies a line makes the edit in every copy
            alike = [
                other
                for other in (ast.walk(statement) if statement is not None else ())
                if other is not node
                and type(other) is type(node)
                and _text(other) == _text(node)
                and _editable(other, parents)
            ]
            for new, phrase, kind in _expression_edits(node, complements, counters):
                old_text, new_text = _text(node), _text(new)
                start, stop = _span(node, starts)
                description = f"{where} {phrase}" if phrase else _uses(where, new_text, old_text)
                atom = isinstance(
                    new, (ast.Name, ast.Constant, ast.Call, ast.Attribute, ast.Subscript, ast.Slice)
                )
                replacement = new_text if atom else f"({new_text})"
                if not (kind == "complement" and _is_complement(parents.get(node), node)):
                    # (1 - beta -> 1 - (1 - beta) is the edit `beta` for `1 - beta`)
                    keep(Mutant(source[:start] + replacement + source[stop:], description, kind))
                if alike and not any(_span(c, starts) < (start, stop) for c in alike):
                    everywhere = f"{description} (in all {len(alike) + 1} places)"
                    if kind == "complement" and any(
                        _is_complement(parents.get(c), c) for c in [node, *alike]
                    ):  # beta * v + (1 - beta) * g -> (1 - beta) * v + beta * g
                        everywhere = f"{where} swaps `{old_text}` and `{new_text}`"
                    keep(
                        Mutant(_replace_all(source, [node, *alike], replacement), everywhere, kind)
                    )
        for mutant in _copies_together(source, copies):
            keep(mutant)
        for mutant in _copies_together(source, in_place, new=False):
            keep(mutant)
        for edits in (_context_edits, _group_edits):
            for mutant in edits(function, region, source):
                keep(mutant)
        if isinstance(function, ast.FunctionDef):
            for mutant in _argument_edits(function, region, source):
                keep(mutant)
            for mutant in _parameter_edits(function, region, source):
                keep(mutant)
            for mutant in _shared_default_edits(function, region, source):
                keep(mutant)
            for mutant in _axis_edits(function, region, source):
                keep(mutant)
            for mutant in _order_edits(function, region, source):
                keep(mutant)
            for mutant in _branch_order_edits(function, region, source):
                keep(mutant)
            for mutant in _return_edits(function, region, source):
                keep(mutant)
            for edits in (
                _loop_edits,
                _item_edits,
                _default_edits,
                _data_flow_edits,
                _sibling_edits,
                _confusable_edits,
                _root_edits,
                _control_edits,
                _component_edits,
            ):
                for mutant in edits(function, region, source):
                    keep(mutant)
    return _first_of_each_kind(list(found.values()), limit)


def _first_of_each_kind(found: list[Mutant], limit: int) -> list[Mutant]:
    """At most ``limit`` mutants, taken in turns from each kind of edit (the first of every
    kind, then the second ...), in the order they were made."""
    kinds: dict[str, list[Mutant]] = {}
    for mutant in found:
        kinds.setdefault(mutant.kind, []).append(mutant)
    turns = itertools.chain.from_iterable(itertools.zip_longest(*kinds.values()))
    chosen = {id(m) for m in itertools.islice((m for m in turns if m is not None), limit)}
    return [m for m in found if id(m) in chosen]


def describe_difference(student, solution, nested: bool = False) -> str:
    """What differs between a student's value and the solution's, in words (no values shown):
    None, type, shape, dtype, sign, a constant factor, an offset, a shift by one step, or only
    some entries. Used when no mutant matched, instead of a bare exception. ``nested``: the
    values are an item of the answer (of a tuple or a dict), not the whole answer."""
    import numpy as np

    if isinstance(solution, dict) and isinstance(student, dict):
        if student.keys() != solution.keys():
            return "your answer has other keys than the solution's"
        for key in solution:
            words = describe_difference(student[key], solution[key], nested=True)
            if "agrees with the solution" not in words:
                return f"in [{key!r}], {words}"
    if (
        isinstance(solution, tuple)
        and isinstance(student, tuple)
        and len(student) == len(solution)
        and len(solution) <= 8
    ):
        for index, (mine, theirs) in enumerate(zip(student, solution)):
            words = describe_difference(mine, theirs, nested=True)
            if "agrees with the solution" not in words:
                return f"in item {index} of your answer, {words}"
    if isinstance(solution, str) and isinstance(student, str):
        return "your answer is another text than the solution's"
    if student is None and solution is not None:
        words = f"your answer is `None` where the solution's has type `{type(solution).__name__}`"
        return words if nested else f"{words}; a function that ends without `return` gives `None`"
    try:
        mine = np.asarray(student, dtype=float)
        theirs = np.asarray(solution, dtype=float)
    except (TypeError, ValueError):
        return (
            f"your answer has type `{type(student).__name__}` where the solution's has type "
            f"`{type(solution).__name__}`"
        )
    if mine.shape != theirs.shape:
        return f"your answer has shape {mine.shape}, the solution's has shape {theirs.shape}"
    if not np.isfinite(mine).all() and np.isfinite(theirs).all():
        return "your answer contains inf or nan where the solution's is finite"
    if mine.size == 0 or np.allclose(mine, theirs, rtol=1e-6, atol=1e-9):
        mine_dtype, their_dtype = getattr(student, "dtype", None), getattr(solution, "dtype", None)
        # (not `None in (...)`: NumPy reads None as float64, so a dtype can equal None)
        if mine_dtype is not None and their_dtype is not None and mine_dtype != their_dtype:
            return (
                f"your answer has dtype `{mine_dtype}` where the solution's has dtype "
                f"`{their_dtype}` (the values agree within the tolerance)"
            )
        return "your answer agrees with the solution's within the tolerance; the test checks something else"
    if np.allclose(mine, -theirs, rtol=1e-6, atol=1e-9):
        return "your answer has the opposite sign"
    nonzero = np.abs(theirs) > 1e-12
    if nonzero.any():
        ratio = mine[nonzero] / theirs[nonzero]
        if np.allclose(ratio, ratio.flat[0], rtol=1e-6) and np.allclose(
            mine[~nonzero], 0, atol=1e-9
        ):
            return f"your answer is the solution's times a constant factor of about {ratio.flat[0]:.3g}"
    offset = (mine - theirs).ravel()
    if np.allclose(offset, offset[0], rtol=1e-6, atol=1e-9):
        return "your answer differs from the solution's by a constant offset"
    flat_mine, flat_theirs = mine.ravel(), theirs.ravel()
    if flat_mine.size > 1 and (
        np.allclose(flat_mine[1:], flat_theirs[:-1]) or np.allclose(flat_mine[:-1], flat_theirs[1:])
    ):
        return "your answer is the solution's shifted by one step"
    wrong = int(np.sum(~np.isclose(mine, theirs, rtol=1e-6, atol=1e-9)))
    return f"{wrong} of {mine.size} entries differ from the solution's"
