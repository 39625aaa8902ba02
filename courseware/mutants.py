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
import re
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
_CALL_SWAPS = {
    "min": "max",
    "max": "min",
    "maximum": "minimum",
    "minimum": "maximum",
    "sum": "mean",
    "mean": "sum",
}
_DROPPED_CALLS = {
    "sqrt": "forgets the square root",
    "square": "forgets to square",
    "abs": "forgets the absolute value",
    "sign": "uses the value instead of its sign",
    "astype": "forgets the dtype conversion",
    "copy": "forgets the copy",
}
_METHODS = ("astype", "copy")


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
        # a * (b + c) -> a * b + c: the parentheses left out
        if (
            isinstance(node.op, (ast.Mult, ast.Div))
            and isinstance(node.right, ast.BinOp)
            and isinstance(node.right.op, (ast.Add, ast.Sub))
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
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield node.operand, "flips the sign", "sign"
    elif isinstance(node, ast.Compare):
        for index, op in enumerate(node.ops):  # 0 <= beta < 1: each comparison on its own
            if type(op) in _COMPARE_SWAPS:
                ops = list(node.ops)
                ops[index] = _COMPARE_SWAPS[type(op)]()
                yield ast.Compare(node.left, ops, node.comparators), "", "comparison"
    elif isinstance(node, ast.IfExp):  # a if condition else b -> a, b: the condition ignored
        yield node.body, f"ignores the condition `{_text(node.test)}`", "condition"
        yield node.orelse, f"ignores the condition `{_text(node.test)}`", "condition"
    elif isinstance(node, ast.Call):
        name = _call_name(node)
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
        # np.zeros(np.shape(x)), np.zeros_like(x) -> x: an average started at the first value
        start = _zeros_of(node)
        if start is not None:
            yield (
                ast.parse(f"np.array({_text(start)}, dtype=float)", mode="eval").body,
                f"starts from `{_text(start)}` instead of zeros",
                "start",
            )
        # axis=0 <-> axis=1, keepdims and dtype left out
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
            elif keyword.arg in ("keepdims", "dtype", "start"):
                del changed.keywords[index]
                yield changed, f"leaves out `{keyword.arg}={_text(keyword.value)}`", keyword.arg
    elif isinstance(node, ast.Attribute) and node.attr == "T":
        yield node.value, "forgets the transpose", "transpose"
    elif (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
        and node.value in (0, 1, 2)
    ):
        for value in {node.value - 1, node.value + 1} - {-1}:
            yield ast.Constant(value), "", "constant"


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
        if isinstance(node, ast.Name) and node.id in ("t", "k", "n", "step", "epoch")
    }
    return complements, counters


def _argument_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """Each argument with a default ignored: its uses replaced by the default."""
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


def _replace_all(source: str, nodes: list[ast.AST], text: str) -> str:
    starts = _offsets(source)
    for node in sorted(nodes, key=lambda n: _span(n, starts), reverse=True):
        start, stop = _span(node, starts)
        source = source[:start] + text + source[stop:]
    return source


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
    """``return x`` -> ``return y`` for another name the function computed."""
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
    """A computed value skipped: where the solution's update reads ``v``, computed from ``g``,
    the student's reads ``g`` itself (the raw gradient where the velocity belongs). Only the
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
            if isinstance(statement, (ast.Assign, ast.AugAssign))
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


def _sibling_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """One of two numbered names for the other: ``beta1`` where ``beta2`` belongs."""
    names = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)}
    names |= {a.arg for a in function.args.args}
    stems: dict[str, list[str]] = {}
    for name in sorted(names):
        found = re.fullmatch(r"(\w*?[A-Za-z_])(\d+)", name)
        if found:
            stems.setdefault(found.group(1), []).append(name)
    for node in ast.walk(function):
        if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)):
            continue
        found = re.fullmatch(r"(\w*?[A-Za-z_])(\d+)", node.id)
        if not found or node.lineno not in region:
            continue
        for other in stems.get(found.group(1), []):
            if other != node.id:
                yield Mutant(
                    _replace_all(source, [node], other),
                    _uses(_where_line(function, node.lineno), other, node.id),
                    "name",
                )


def _control_edits(function: ast.FunctionDef, region: range, source: str) -> Iterator[Mutant]:
    """A guard ignored (``if scheduler is not None:`` always taken) and a loop run backwards
    (the newest snapshot first)."""
    for node in ast.walk(function):
        if isinstance(node, ast.If) and node.lineno in region:
            yield Mutant(
                _replace_all(source, [node.test], "True"),
                f"your code ignores the condition `{_text(node.test)}` (it always runs its branch)",
                "condition",
            )
        if isinstance(node, ast.For) and node.lineno in region:
            yield Mutant(
                _replace_all(source, [node.iter], f"reversed(list({_text(node.iter)}))"),
                f"your loop runs over `{_text(node.iter)}` in reverse order",
                "order",
            )


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
        if mutant.source == source or mutant.source in found or len(found) >= limit:
            return
        try:
            compile(mutant.source, "<mutant>", "exec")
        except SyntaxError:
            return
        found[mutant.source] = mutant

    for function in [node for node in tree.body if isinstance(node, ast.FunctionDef)] or [tree]:
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
            for new, phrase, kind in _expression_edits(node, complements, counters):
                old_text, new_text = _text(node), _text(new)
                start, stop = _span(node, starts)
                description = f"{where} {phrase}" if phrase else _uses(where, new_text, old_text)
                atom = isinstance(
                    new, (ast.Name, ast.Constant, ast.Call, ast.Attribute, ast.Subscript)
                )
                replacement = new_text if atom else f"({new_text})"
                keep(Mutant(source[:start] + replacement + source[stop:], description, kind))
        for mutant in _copies_together(source, copies):
            keep(mutant)
        for mutant in _copies_together(source, in_place, new=False):
            keep(mutant)
        if isinstance(function, ast.FunctionDef):
            for mutant in _argument_edits(function, region, source):
                keep(mutant)
            for mutant in _order_edits(function, region, source):
                keep(mutant)
            for mutant in _branch_order_edits(function, region, source):
                keep(mutant)
            for mutant in _return_edits(function, region, source):
                keep(mutant)
            for edits in (
                _data_flow_edits,
                _sibling_edits,
                _root_edits,
                _control_edits,
                _component_edits,
            ):
                for mutant in edits(function, region, source):
                    keep(mutant)
    return list(found.values())


def describe_difference(student, solution) -> str:
    """What differs between a student's value and the solution's, in words (no values shown):
    type, shape, sign, a constant factor, an offset, a shift by one step, or only some
    entries. Used when no mutant matched, instead of a bare exception."""
    import numpy as np

    if isinstance(solution, dict) and isinstance(student, dict):
        if student.keys() != solution.keys():
            return "your answer has other keys than the solution's"
        for key in solution:
            words = describe_difference(student[key], solution[key])
            if "agrees with the solution" not in words:
                return f"in [{key!r}], {words}"
    if (
        isinstance(solution, tuple)
        and isinstance(student, tuple)
        and len(student) == len(solution)
        and len(solution) <= 8
    ):
        for index, (mine, theirs) in enumerate(zip(student, solution)):
            words = describe_difference(mine, theirs)
            if "agrees with the solution" not in words:
                return f"in item {index} of your answer, {words}"
    if isinstance(solution, str) and isinstance(student, str):
        return "your answer is another text than the solution's"
    try:
        mine = np.asarray(student, dtype=float)
        theirs = np.asarray(solution, dtype=float)
    except (TypeError, ValueError):
        return f"your answer is a {type(student).__name__}, not a {type(solution).__name__} like the solution's"
    if mine.shape != theirs.shape:
        return f"your answer has shape {mine.shape}, the solution's has shape {theirs.shape}"
    if not np.isfinite(mine).all() and np.isfinite(theirs).all():
        return "your answer contains inf or nan where the solution's is finite"
    if mine.size == 0 or np.allclose(mine, theirs, rtol=1e-6, atol=1e-9):
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
