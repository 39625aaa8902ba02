"""courseware.mutants: mistakes generated from a solution's answer cell."""

import json
from pathlib import Path

import numpy as np
import pytest

from courseware.mutants import describe_difference, mutants

ROOT = Path(__file__).resolve().parents[1]

RMSPROP = '''def rmsprop_step(p, g, s, lr, beta=0.9, eps=1e-8):
    """One RMSProp step."""
    ### BEGIN SOLUTION
    s = beta * s + (1 - beta) * g ** 2
    p = p - lr * g / (np.sqrt(s) + eps)
    return p, s
    ### END SOLUTION
'''


def run(source, *args):
    namespace = {"np": np}
    exec(source, namespace)
    return namespace["rmsprop_step"](*args)


def by_description(source):
    return {m.description: m for m in mutants(source)}


def test_the_classic_mistakes_are_generated_with_a_sentence_of_the_edit():
    found = by_description(RMSPROP)
    for description in [
        "your `p` puts `eps` inside the square root",
        "your `s` uses `beta` where the solution uses `1 - beta`",
        "your `s` leaves out the power `** 2`",
        "your `p` forgets the square root",
        "your code computes `p` with the old `s` (the solution updates `s` first)",
        "your code ignores the argument `eps`",
    ]:
        assert description in found, f"missing: {description}"


def test_each_mutant_is_one_edit_that_changes_behaviour_as_described():
    p, g, s = np.array([1.0, -2.0]), np.array([0.5, 3.0]), np.array([0.1, 0.2])
    right = run(RMSPROP, p, g, s, 0.01)
    inside = by_description(RMSPROP)["your `p` puts `eps` inside the square root"]
    assert "lr * g / (np.sqrt(s + eps))" in inside.source
    wrong = run(inside.source, p, g, s, 0.01, 0.9, 1e-2)
    assert not np.allclose(wrong[0], run(RMSPROP, p, g, s, 0.01, 0.9, 1e-2)[0])
    np.testing.assert_allclose(wrong[1], right[1])  # s is not touched by that edit


def test_only_the_solution_region_and_the_defaults_are_edited_and_every_mutant_differs():
    found = mutants(RMSPROP)
    assert len({m.source for m in found}) == len(found)
    for m in found:
        assert m.source != RMSPROP
        compile(m.source, "<m>", "exec")
        if m.kind == "default":  # the signature's defaults, and nothing else of it
            assert m.source.splitlines()[1:] == RMSPROP.splitlines()[1:]
            assert m.source.split("beta=")[0] == RMSPROP.split("beta=")[0]
        else:
            assert m.source.splitlines()[:3] == RMSPROP.splitlines()[:3]  # signature ... marker


def test_in_place_updates_have_their_copy_mutant():
    source = "def lion(param, v, grad, lr):\n    param -= lr * np.sign(grad)\n    v[...] = 0.9 * v + grad\n"
    found = by_description(source)
    assert "your code makes a new `param` instead of updating it in place" in found
    assert "your code makes a new `v` instead of updating it in place" in found


def test_the_wrong_norm_is_generated():
    source = (
        "def global_norm(grads):\n"
        "    return float(np.sqrt(sum(float(np.sum(g ** 2)) for g in grads)))\n"
    )
    found = by_description(source)
    wrong = found[
        "your return value adds up the norms of the parts instead of taking the root of all the squares"
    ]
    namespace = {"np": np}
    exec(wrong.source, namespace)
    assert namespace["global_norm"]([np.array([3.0]), np.array([4.0])]) == pytest.approx(7.0)


def test_a_cell_that_does_not_parse_has_no_mutants():
    assert mutants("def f(:\n") == []


@pytest.mark.parametrize(
    "notebook", sorted((ROOT / "solutions").glob("hw*/hw*.ipynb")), ids=lambda p: p.stem
)
def test_every_answer_cell_of_the_homework_has_mutants(notebook):
    cells = [
        c
        for c in json.loads(notebook.read_text())["cells"]
        if c["cell_type"] == "code" and c["metadata"].get("nbgrader", {}).get("solution")
    ]
    counts = {
        c["metadata"]["nbgrader"]["grade_id"]: len(mutants("".join(c["source"]))) for c in cells
    }
    assert sum(counts.values()) >= 5 * len(counts) * 0.5, counts


@pytest.mark.parametrize(
    "student, solution, words",
    [
        ([1.0, 2.0], [1.0, 2.0, 3.0], "shape"),
        ([-1.0, -2.0], [1.0, 2.0], "opposite sign"),
        ([2.0, 4.0], [1.0, 2.0], "constant factor of about 2"),
        ([1.5, 2.5], [1.0, 2.0], "constant offset"),
        ([0.0, 1.0, 2.0], [1.0, 2.0, 3.0], "constant offset"),
        ([5.0, 1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0], "shifted by one step"),
        ([np.inf, 1.0], [1.0, 1.0], "inf or nan"),
        ("text", [1.0], "str"),
        (None, 3, "is `None` where the solution's has type `int`; a function that ends without"),
        ((1.0, None), (1.0, 3), "in item 1 of your answer, your answer is `None`"),
        (
            np.ones(2, np.float32),
            np.ones(2),
            "dtype `float32` where the solution's has dtype `float64`",
        ),
        (np.ones(2), np.ones(2), "agrees with the solution's"),  # the same dtype: nothing said
    ],
)
def test_a_difference_is_described_in_words_without_values(student, solution, words):
    assert words in describe_difference(student, solution)


def test_parentheses_comparisons_conditions_and_in_place_updates_are_generated():
    source = (
        "def f(p, g, lr, wd):\n"
        "    p = p - lr * (g + wd * p)\n"
        "    x = 0.5 if 0 <= lr < 1 else 2.0\n"
        "    return p, x\n"
    )
    found = by_description(source)
    assert "your `p` leaves out the parentheses around `g + wd * p`" in found
    assert "your `x` uses `0 < lr < 1` where the solution uses `0 <= lr < 1`" in found
    assert "your `x` ignores the condition `0 <= lr < 1`" in found
    assert "your code updates `p` in place (`-=`), changing the caller's array" in found


def test_factors_lines_in_place_tensor_updates_and_branch_order_are_generated():
    source = (
        "def f(v, s, g, beta, t, H):\n"
        "    ### BEGIN SOLUTION\n"
        "    v.mul_(beta).add_(g, alpha=1 - beta)\n"
        "    s += g * g\n"
        "    v_hat = v / (1 - beta ** t)\n"
        "    if H[0] < 0 < H[-1]:\n"
        "        return 'saddle'\n"
        "    if abs(H[0]) < 1e-8:\n"
        "        return 'degenerate'\n"
        "    return v_hat\n"
        "    ### END SOLUTION\n"
    )
    found = by_description(source)
    assert "your `v_hat` leaves out the division by `1 - beta ** t`" in found
    assert "your `s` leaves out the factor `g`" in found
    assert "your code leaves out the line `s += g * g`" in found
    new_v = found["your code makes a new `v` instead of updating it in place"]
    assert "v = v.mul(beta).add(g, alpha=1 - beta)" in new_v.source
    assert "your code checks `abs(H[0]) < 1e-08` before `H[0] < 0 < H[-1]`" in found
    # a method of a module is not arithmetic: no tensor copy of `requires_grad_`
    assert not any(
        "new `m`" in d for d in by_description("def u(m):\n    m.requires_grad_(True)\n")
    )


def test_checks_in_the_other_order_change_what_a_point_is_called():
    source = (
        "def classify(lo, hi):\n"
        "    if lo < 0 < hi:\n"
        "        return 'saddle'\n"
        "    if abs(lo) < 1e-8:\n"
        "        return 'degenerate'\n"
        "    return 'minimum'\n"
    )
    swapped = by_description(source)["your code checks `abs(lo) < 1e-08` before `lo < 0 < hi`"]
    right, wrong = {}, {}
    exec(source, right)
    exec(swapped.source, wrong)
    assert right["classify"](-1e-9, 1.0) == "saddle"
    assert wrong["classify"](-1e-9, 1.0) == "degenerate"
    assert wrong["classify"](-1.0, 1.0) == right["classify"](-1.0, 1.0)


MOMENTUM_AND_LOOPS = """def step(p, g, v, lr, beta1=0.9, beta2=0.99, scheduler=None):
    ### BEGIN SOLUTION
    v = beta1 * v + (1 - beta1) * g
    p = p - lr * v * beta2
    for x in [1.0, 2.0]:
        p = p * 0.5 + x
    if scheduler is not None:
        p = p + scheduler
    return p, v
    ### END SOLUTION
"""


def test_a_skipped_value_a_swapped_sibling_an_ignored_guard_and_a_reversed_loop():
    found = by_description(MOMENTUM_AND_LOOPS)

    def step(source, *args):
        namespace = {}
        exec(source, namespace)
        try:
            return namespace["step"](*args)
        except TypeError as error:  # None added to p: the guard ignored
            return str(error)

    for description, old, new in [
        ("your `p` uses `g` where the solution uses `v`", "lr * v *", "lr * g *"),
        ("your `p` uses `beta1` where the solution uses `beta2`", "v * beta2", "v * beta1"),
        ("your loop runs over `[1.0, 2.0]` in reverse order", "[1.0, 2.0]", "[2.0, 1.0]"),
        (
            "your code ignores the condition `scheduler is not None` (it always runs its branch)",
            "if scheduler is not None:",
            "if True:",
        ),
    ]:
        by_hand = MOMENTUM_AND_LOOPS.replace(old, new)
        for args in [(1.0, 2.0, 0.5, 0.1), (1.0, 2.0, 0.5, 0.1, 0.9, 0.99, 3.0)]:
            assert step(found[description].source, *args) == step(by_hand, *args), description
    # the hyperparameters (defaults) and exponents never stand in for a computed value
    assert not any("uses `beta1` where the solution uses `v`" in d for d in found)


def test_two_calls_in_the_other_order():
    source = "def epoch(opt, g):\n    ### BEGIN SOLUTION\n    opt.zero()\n    opt.add(g)\n    ### END SOLUTION\n"
    swapped = by_description(source)["your code swaps the order of `opt.zero()` and `opt.add(g)`"]
    assert "opt.add(g)\n    opt.zero()" in swapped.source


def test_updates_in_place_together_and_a_root_where_the_value_belongs():
    found = by_description(
        "def step(p, g, v, lr, beta=0.9):\n    ### BEGIN SOLUTION\n"
        "    v = beta * v + (1 - beta) * g\n    p = p - lr * v\n    return p, v\n"
        "    ### END SOLUTION\n"
    )
    both = found["your code updates `v` and `p` in place, changing the caller's arrays"]
    p, g, v = np.ones(2), np.full(2, 2.0), np.zeros(2)
    namespace = {}
    exec(both.source, namespace)
    namespace["step"](p, g, v, 0.5)
    np.testing.assert_allclose(v, 0.2)  # the caller's arrays changed
    np.testing.assert_allclose(p, 0.9)
    root = by_description(
        "def rate(lo, hi):\n    ### BEGIN SOLUTION\n    kappa = hi / lo\n"
        "    return (kappa - 1) / (kappa + 1)\n    ### END SOLUTION\n"
    )["your return value takes the square root of `kappa` where the solution uses `kappa` itself"]
    exec(root.source, namespace)
    assert namespace["rate"](1.0, 9.0) == pytest.approx(0.5)


def test_an_average_started_at_the_first_value_instead_of_zeros():
    found = by_description(
        "def ema(xs, beta):\n    ### BEGIN SOLUTION\n    v = np.zeros(np.shape(xs[0]))\n"
        "    for x in xs:\n        v = beta * v + (1 - beta) * x\n    return v\n"
        "    ### END SOLUTION\n"
    )
    started = found["your `v` starts from `xs[0]` instead of zeros"]
    namespace = {"np": np}
    exec(started.source, namespace)
    np.testing.assert_allclose(namespace["ema"]([np.ones(2), np.ones(2)], 0.5), [1.0, 1.0])


def _function(source, name):
    namespace = {"np": np, "math": __import__("math")}
    exec(source, namespace)
    return namespace[name]


def test_compounding_a_product_a_half_life_counting_whether_and_the_whole_point():
    """Edits that stand for whole ideas: a decay compounded where it adds up (and back), a
    matrix made symmetric by a product, the half-life for the 1/e time, whether a milestone
    passed for how many, and the size of the whole point for one coordinate's."""
    schedule = by_description(
        "def lr(lr0, t, rate):\n    ### BEGIN SOLUTION\n"
        "    return lr0 / (1 + rate * (t // 10))\n    ### END SOLUTION\n"
    )[
        "your return value uses `(1 + rate) ** (t // 10)` where the solution uses `1 + rate * (t // 10)`"
    ]
    assert _function(schedule.source, "lr")(1.0, 20, 1.0) == pytest.approx(1 / 4)  # not 1 / 3
    added = by_description(
        "def grow(a, n):\n    ### BEGIN SOLUTION\n    return (1 + a) ** n\n    ### END SOLUTION\n"
    )["your return value uses `1 + a * n` where the solution uses `(1 + a) ** n`"]
    assert _function(added.source, "grow")(1.0, 3) == 4
    product = by_description(
        "def sym(B):\n    ### BEGIN SOLUTION\n    return (B + B.T) / 2\n    ### END SOLUTION\n"
    )["your return value uses `B @ B.T` where the solution uses `B + B.T`"]
    B = np.array([[0.0, 1.0], [0.0, 0.0]])
    np.testing.assert_allclose(_function(product.source, "sym")(B), [[0.5, 0.0], [0.0, 0.0]])
    half = by_description(
        "def window(beta):\n    ### BEGIN SOLUTION\n    k = 1\n"
        "    while beta ** k > 1 / math.e:\n        k += 1\n    return k\n    ### END SOLUTION\n"
    )["your condition uses `0.5` where the solution uses `1 / math.e`"]
    assert _function(half.source, "window")(0.9) == 7  # the half-life; the 1/e window is 10
    whether = by_description(
        "def count(ms, t):\n    ### BEGIN SOLUTION\n"
        "    return 0.1 ** sum(1 for m in ms if m <= t)\n    ### END SOLUTION\n"
    )[
        "your return value uses `any((1 for m in ms if m <= t))` where the solution uses "
        "`sum((1 for m in ms if m <= t))`"
    ]
    assert _function(whether.source, "count")([1, 2], 5) == pytest.approx(0.1)
    whole = by_description(
        "def escape(path):\n    ### BEGIN SOLUTION\n    for i, (x, y) in enumerate(path):\n"
        "        if abs(y) >= 1:\n            return i\n    return None\n    ### END SOLUTION\n"
    )["your code measures the norm of the whole `(x, y)` where the solution uses `abs(y)`"]
    assert _function(whole.source, "escape")([(0.0, 0.0), (0.8, 0.8), (0.0, 1.0)]) == 1


def call(source, name, *args, **kwargs):
    namespace = {"np": np, "math": __import__("math")}
    exec(source, namespace)
    return namespace[name](*args, **kwargs)


LOOPS = """def train(batches, epochs, log):
    ### BEGIN SOLUTION
    total = 0
    for _ in range(epochs):
        for b in batches:
            step = 2 * b
            total += step
        log.append(total)
    return total
    ### END SOLUTION
"""


@pytest.mark.parametrize(
    "description, total, log",
    [
        (
            "your code sets `total` again in every pass of `for _ in range(epochs)` (the solution "
            "sets it once, before the loop)",
            6,
            [6, 6],
        ),
        (
            "your code runs `log.append(total)` in every pass of `for b in batches` (the solution "
            "runs it once, after the loop)",
            12,
            [2, 6, 8, 12],
        ),
        (
            "your code runs `total += step` once, after `for b in batches`, where the solution runs "
            "it in every pass",
            8,
            [4, 8],
        ),
        (
            "your code returns inside `for _ in range(epochs)`, after its first pass (the solution "
            "returns after the loop)",
            6,
            [6],
        ),
    ],
)
def test_a_statement_on_the_wrong_side_of_a_loop(description, total, log):
    assert call(LOOPS, "train", [1, 2], 2, right := []) == 12 and right == [6, 12]
    wrong = by_description(LOOPS)[description]
    assert wrong.kind == "loop"
    assert (call(wrong.source, "train", [1, 2], 2, got := []), got) == (total, log)


def test_a_value_computed_once_before_the_loop_that_changes_in_it():
    source = (
        "def walk(p, n):\n    ### BEGIN SOLUTION\n    for _ in range(n):\n"
        "        g = 2 * p\n        p = p - 0.25 * g\n    return p\n    ### END SOLUTION\n"
    )
    wrong = by_description(source)[
        "your code computes `g` once, before `for _ in range(n)`, where the solution computes it "
        "in every pass"
    ]
    assert call(source, "walk", 1.0, 2) == 0.25 and call(wrong.source, "walk", 1.0, 2) == 0.0


ADAM_LIKE = """def adam_like(g, t, beta1=0.9, beta2=0.999):
    ### BEGIN SOLUTION
    return beta1 * g + beta2 / t
    ### END SOLUTION
"""


def test_defaults_a_nine_off_and_siblings_swapped():
    found = by_description(ADAM_LIKE)
    for description, value in [
        ("your default `beta1=0.99` is not the solution's `beta1=0.9`", 0.99 + 0.999),
        ("your default `beta2=0.9999` is not the solution's `beta2=0.999`", 0.9 + 0.9999),
        ("your defaults swap `beta1` and `beta2` (`beta1=0.999, beta2=0.9`)", 0.999 + 0.9),
        ("your code swaps `beta1` and `beta2`", 0.999 + 0.9),
    ]:
        assert call(found[description].source, "adam_like", 1.0, 1.0) == pytest.approx(value)
    # with the hyperparameters passed, a wrong default changes nothing
    assert call(
        found["your defaults swap `beta1` and `beta2` (`beta1=0.999, beta2=0.9`)"].source,
        "adam_like",
        1.0,
        1.0,
        0.9,
        0.999,
    ) == pytest.approx(1.899)


def test_a_ratio_upside_down_a_power_read_as_a_product_and_rounding_up():
    source = (
        "def rate(lam_max, lam_min, t, interval, gamma=0.5):\n    ### BEGIN SOLUTION\n"
        "    kappa = lam_max / lam_min\n    return kappa * gamma ** (t // interval)\n"
        "    ### END SOLUTION\n"
    )
    found = by_description(source)
    for description, value in [
        (
            "your `kappa` divides `lam_min` by `lam_max` where the solution divides `lam_max` by "
            "`lam_min`",
            0.25 * 0.25,
        ),
        (
            "your return value multiplies by `t // interval` where the solution raises to the power "
            "`t // interval`",
            4 * 0.5 * 2,
        ),
        ("your return value rounds `t / interval` up where the solution rounds it down", 4 * 0.125),
    ]:
        assert call(found[description].source, "rate", 4.0, 1.0, 5, 2) == pytest.approx(value)
    assert call(source, "rate", 4.0, 1.0, 5, 2) == pytest.approx(1.0)
    assert not any("divides `2`" in d or "by `lam_max * " in d for d in found)


def test_arguments_swapped_keywords_left_out_transposes_and_conditions():
    source = (
        "def f(model, X, Y, B, rng, m):\n    ### BEGIN SOLUTION\n"
        "    if m < 1 or len(X) < 1:\n        raise ValueError('m')\n"
        "    order = rng.choice(m, size=m, replace=False)\n"
        "    H = (B + np.swapaxes(B, 1, 2)) / 2\n"
        "    return model.loss(Y, X), order, H, math.ceil(m / 2)\n    ### END SOLUTION\n"
    )
    found = by_description(source)
    for description in [
        "your return value passes `X` and `Y` to `loss` in the other order",
        "your `order` leaves out `replace=False`",
        "your `H` reverses all the axes of `B` (`.T`) where the solution swaps only some of them",
        "your condition joins its conditions with `and` where the solution uses `or`",
        "your condition uses `m > 1` where the solution uses `m < 1`",
        "your return value uses `math.floor(m / 2)` where the solution uses `math.ceil(m / 2)`",
    ]:
        assert description in found, f"missing: {description}"
    B = np.arange(8.0).reshape(2, 2, 2)
    transposed = found[
        "your `H` reverses all the axes of `B` (`.T`) where the solution swaps only some of them"
    ]
    model = type("M", (), {"loss": staticmethod(lambda a, b: a[0] - b[0])})
    rng = np.random.default_rng(0)
    right = call(source, "f", model, [1.0], [3.0], B, rng, 3)
    wrong = call(transposed.source, "f", model, [1.0], [3.0], B, np.random.default_rng(0), 3)
    assert not np.allclose(right[2], wrong[2])
    swapped = found["your return value passes `X` and `Y` to `loss` in the other order"]
    assert call(swapped.source, "f", model, [1.0], [3.0], B, rng, 3)[0] == -right[0] == -2.0


OPTIMIZER = """class Scaled(torch.optim.Optimizer):
    def __init__(self, params, lr=0.1):
        super().__init__(params, dict(lr=lr))

    @torch.no_grad()
    def step(self, closure=None):
        ### BEGIN SOLUTION
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                p.sub_(group["lr"] * p.grad)
        return loss
        ### END SOLUTION
"""


def test_a_class_s_methods_a_group_read_from_the_defaults_and_a_context_left_out():
    torch = pytest.importorskip("torch")
    found = by_description(OPTIMIZER)
    defaults = found[
        "your code reads `lr` from `self.defaults` where the solution reads each group's "
        "`group['lr']` (every group gets the same `lr`)"
    ]
    assert (
        "with torch.enable_grad():"
        not in found["your code leaves out `with torch.enable_grad():`"].source
    )
    namespace = {"torch": torch}
    exec(defaults.source, namespace)
    a, b = torch.nn.Parameter(torch.ones(1)), torch.nn.Parameter(torch.ones(1))
    optimizer = namespace["Scaled"]([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    a.grad, b.grad = torch.ones(1), torch.ones(1)
    optimizer.step()
    assert a.item() == pytest.approx(0.9) and b.item() == pytest.approx(0.9)  # not 0.5
    assert any(m.kind == "loop" for m in mutants(OPTIMIZER)), "the methods are mutated too"


def test_a_permutation_drawn_with_replacement_and_the_norm_for_the_spectral_radius():
    source = (
        "def f(rng, m, M):\n    ### BEGIN SOLUTION\n    order = rng.permutation(m)\n"
        "    return order, float(np.max(np.abs(np.linalg.eigvals(M))))\n    ### END SOLUTION\n"
    )
    found = by_description(source)
    drawn = found[
        "your `order` draws with replacement (`rng.choice(m, size=m)`) where the solution draws "
        "a permutation: some examples repeat and others are left out"
    ]
    order, _ = call(drawn.source, "f", np.random.default_rng(1), 50, np.eye(2))
    assert len(set(order.tolist())) < 50
    radius = found[
        "your return value takes the 2-norm of `M` where the solution takes its spectral radius "
        "(the largest absolute eigenvalue)"
    ]
    M = np.array([[0.0, 1.0], [0.0, 0.0]])
    assert call(source, "f", np.random.default_rng(1), 3, M)[1] == pytest.approx(0.0)
    assert call(radius.source, "f", np.random.default_rng(1), 3, M)[1] == pytest.approx(1.0)


def test_past_the_limit_every_kind_of_edit_keeps_some_mutants():
    every = mutants(OPTIMIZER, limit=10_000)
    few = mutants(OPTIMIZER, limit=len({m.kind for m in every}))
    assert {m.kind for m in few} == {m.kind for m in every}
    assert [m for m in every if m in few] == few  # in the order they were made


def test_a_check_of_the_input_left_out():
    source = (
        "def window_mean(x, window):\n    ### BEGIN SOLUTION\n    if window < 1:\n"
        "        raise ValueError('window')\n    return sum(x[-window:]) / window\n"
        "    ### END SOLUTION\n"
    )
    unchecked = by_description(source)[
        "your code leaves out the check `if window < 1:` and never raises its `ValueError`"
    ]
    with pytest.raises(ValueError):
        call(source, "window_mean", [1.0, 2.0], -1)
    assert call(unchecked.source, "window_mean", [1.0, 2.0], -1) == -2.0


def test_a_list_emptied_in_every_pass_and_a_block_after_the_loop_run_in_it():
    source = (
        "def record(batches, rates):\n    ### BEGIN SOLUTION\n    losses = []\n"
        "    for b in batches:\n        losses.append(2 * b)\n    if rates is not None:\n"
        "        rates.append(len(losses))\n    return losses\n    ### END SOLUTION\n"
    )
    found = by_description(source)
    emptied = found[
        "your code sets `losses` again in every pass of `for b in batches` (the solution sets it "
        "once, before the loop)"
    ]
    per_pass = found[
        "your code runs `if rates is not None: ...` in every pass of `for b in batches` (the "
        "solution runs it once, after the loop)"
    ]
    assert call(source, "record", [1, 2, 3], right := []) == [2, 4, 6] and right == [3]
    assert call(emptied.source, "record", [1, 2, 3], None) == [6]
    assert (call(per_pass.source, "record", [1, 2, 3], got := []), got) == ([2, 4, 6], [1, 2, 3])


def test_a_sum_overwritten_returned_values_swapped_and_a_closure_s_parameters_swapped():
    source = (
        "def stats(xs):\n    ### BEGIN SOLUTION\n    total = 0\n    for x in xs:\n"
        "        total += x\n    return total, len(xs), max(xs)\n    ### END SOLUTION\n"
    )
    found = by_description(source)
    overwritten = found[
        "your code sets `total` to each new value where the solution adds them up (`+=`)"
    ]
    assert overwritten.kind == "accumulate"
    assert call(overwritten.source, "stats", [1, 5, 2]) == (2, 3, 5)
    swapped = found["your code returns `len(xs)` and `max(xs)` in each other's places"]
    assert call(swapped.source, "stats", [1, 5, 2]) == (8, 5, 3)
    schedule = (
        "def halving(every):\n    ### BEGIN SOLUTION\n    def schedule(lr0, t):\n"
        "        return lr0 / 2 ** (t // every)\n    return schedule\n    ### END SOLUTION\n"
    )
    inner = by_description(schedule)[
        "your `schedule` takes `t` before `lr0` where the solution takes `lr0` first"
    ]
    assert call(schedule, "halving", 10)(1.0, 20) == 0.25
    assert call(inner.source, "halving", 10)(1.0, 20) == 20.0


def test_the_new_value_where_its_source_belongs_rows_for_columns_and_a_tolerance_ignored():
    source = (
        "def moments(g, v, s, beta=0.5):\n    ### BEGIN SOLUTION\n"
        "    v = beta * v + (1 - beta) * g\n    s = beta * s + (1 - beta) * g ** 2\n"
        "    return v, s\n    ### END SOLUTION\n"
    )
    fed = by_description(source)["your `s` uses `v` where the solution uses `g`"]
    assert call(fed.source, "moments", 2.0, 0.0, 0.0) == (1.0, 0.5)
    split = (
        "def first_batch(X, Y, k):\n    ### BEGIN SOLUTION\n"
        "    return X[:, :k], Y[:, :k]\n    ### END SOLUTION\n"
    )
    X, Y = np.arange(12).reshape(3, 4), np.arange(4).reshape(1, 4)
    rows = by_description(split)[
        "your code indexes the rows of `X` and `Y` (`[:k]`) where the solution indexes their "
        "columns"
    ]
    assert rows.kind == "axis"
    wrong = call(rows.source, "first_batch", X, Y, 2)
    assert wrong[0].shape == (2, 4) and wrong[1].shape == (1, 4)
    saddle = (
        "def is_saddle(low, high, tol=1e-8):\n    ### BEGIN SOLUTION\n"
        "    return low < -tol and high > tol\n    ### END SOLUTION\n"
    )
    ignored = {m.description: m for m in mutants(saddle) if m.kind == "tolerance"}
    assert "your return value compares with 0 where the solution compares with `tol`" in ignored
    both = ignored[
        "your return value compares with 0 in every comparison where the solution compares with "
        "`tol` (or `-tol`)"
    ]
    assert "low < 0 and high > 0" in both.source
    assert call(saddle, "is_saddle", -1e-12, 1.0) is False
    assert call(both.source, "is_saddle", -1e-12, 1.0) is True


def test_a_condition_left_out_a_length_or_range_off_by_one_and_a_call_made_once():
    check = (
        "def check(beta, m, k):\n    ### BEGIN SOLUTION\n    if not 0 <= beta < 1:\n"
        "        raise ValueError('beta')\n    if m < 1 or k < 1:\n        raise ValueError('m, k')\n"
        "    return [r for r in range(k)], beta ** len(range(m))\n    ### END SOLUTION\n"
    )
    found = by_description(check)
    upper = found["your condition checks only `beta < 1` (not all of `0 <= beta < 1`)"]
    assert call(upper.source, "check", -0.5, 1, 1) == ([0], -0.5)
    either = found["your condition leaves out the condition `k < 1`"]
    assert call(either.source, "check", 0.5, 1, 0) == ([], 0.5)
    from_one = found[
        "your return value counts from 1 to `k` where the solution counts from 0 to `k - 1`"
    ]
    assert call(from_one.source, "check", 0.5, 2, 3)[0] == [1, 2, 3]
    lengths = [m for m in mutants(check) if "len(range(m)) - 1" in m.source]
    assert lengths and lengths[0].kind == "off by one"
    assert call(lengths[0].source, "check", 0.5, 2, 1)[1] == 0.5
    epochs = (
        "def train(batches, log):\n    ### BEGIN SOLUTION\n    for b in batches:\n"
        "        log.clear()\n        log.append(b)\n    return list(log)\n    ### END SOLUTION\n"
    )
    once = by_description(epochs)[
        "your code runs `log.clear()` once, before `for b in batches`, where the solution runs it "
        "in every pass"
    ]
    assert call(epochs, "train", [1, 2], []) == [2] and call(once.source, "train", [1, 2], []) == [
        1,
        2,
    ]


def test_a_name_for_another_that_starts_alike_only_where_it_is_defined():
    source = (
        "def corrected(v, t, beta=0.5):\n    ### BEGIN SOLUTION\n"
        "    v_hat = v / (1 - beta ** t)\n    return 2 * v_hat\n    ### END SOLUTION\n"
    )
    found = by_description(source)
    raw = found["your return value uses `v` where the solution uses `v_hat`"]
    assert raw.kind == "name"
    assert call(source, "corrected", 1.0, 1) == 4.0 and call(raw.source, "corrected", 1.0, 1) == 2.0
    # v_hat does not exist yet where v is read: no mutant reads it there
    assert "your `v_hat` uses `v_hat` where the solution uses `v`" not in found


def test_the_remainder_of_the_other_division():
    source = (
        "def shares(m, K):\n    ### BEGIN SOLUTION\n    if m % K:\n        raise ValueError('K')\n"
        "    return m // K\n    ### END SOLUTION\n"
    )
    swapped = by_description(source)[
        "your condition takes `K % m` where the solution takes `m % K`"
    ]
    assert swapped.kind == "ratio"
    assert call(source, "shares", 96, 4) == 24
    with pytest.raises(ValueError):
        call(swapped.source, "shares", 96, 4)


def test_quotient_for_remainder_swapped_outcomes_a_denominator_s_parentheses_and_break():
    source = (
        "def f(t, n, xs, h):\n    ### BEGIN SOLUTION\n    total = 0.0\n    for x in xs:\n"
        "        if x is None:\n            continue\n        total += x / (2 * h)\n"
        "    label = 'up' if total > 0 else 'down'\n    return t // n, label, total\n"
        "    ### END SOLUTION\n"
    )
    found = by_description(source)
    assert call(source, "f", 7, 3, [1.0, None, 3.0], 0.5) == (2, "up", 4.0)
    remainder = found["your return value takes `t % n` where the solution takes `t // n`"]
    assert call(remainder.source, "f", 7, 3, [1.0], 0.5)[0] == 1
    outcomes = found[
        "your `label` swaps `'up'` and `'down'` (which one the condition `total > 0` picks)"
    ]
    assert call(outcomes.source, "f", 7, 3, [1.0], 0.5)[1] == "down"
    flat = found["your `total` leaves out the parentheses around `2 * h`"]
    assert call(flat.source, "f", 7, 3, [1.0], 0.5)[2] == 0.25
    stop = found["your code uses `break` where the solution uses `continue`"]
    assert call(stop.source, "f", 7, 3, [1.0, None, 3.0], 0.5)[2] == 1.0


def test_calls_in_the_other_order_any_for_all_a_factor_two_and_an_edit_in_every_copy():
    source = (
        "def g(x, lam, X, Y, k):\n    ### BEGIN SOLUTION\n    radius = np.max(np.abs(x))\n"
        "    flat = np.any(x == 0)\n    alpha = 2.0 / lam\n"
        "    return radius, flat, alpha, (X[:, k:k + 2], Y[:, k:k + 2])\n    ### END SOLUTION\n"
    )
    found = by_description(source)
    x, X, Y = np.array([1.0, -3.0, 0.0]), np.arange(8).reshape(2, 4), np.arange(4).reshape(1, 4)
    swapped = found["your `radius` takes `abs` of `max` where the solution takes `max` of `abs`"]
    assert call(swapped.source, "g", x, 1.0, X, Y, 1)[0] == 1.0
    every = found["your `flat` uses `np.all(x == 0)` where the solution uses `np.any(x == 0)`"]
    assert not call(every.source, "g", x, 1.0, X, Y, 1)[1]
    half = found["your `alpha` uses `1.0` where the solution uses `2.0`"]
    assert call(half.source, "g", x, 4.0, X, Y, 1)[2] == 0.25
    both = found["your return value leaves out `k` (in all 2 places)"]
    X_t, Y_t = call(both.source, "g", x, 1.0, X, Y, 1)[3]
    assert X_t.shape == (2, 1) and Y_t.shape == (1, 1)  # k:2, not k:k + 2, in both


def test_the_branches_of_an_if_swapped():
    source = (
        "def decay(p, wd):\n    ### BEGIN SOLUTION\n    if p.ndim >= 2:\n        return wd\n"
        "    else:\n        return 0.0\n    ### END SOLUTION\n"
    )
    swapped = by_description(source)[
        "your code swaps the branches of `if p.ndim >= 2:` (runs the `else` branch when it holds)"
    ]
    assert call(source, "decay", np.zeros((2, 2)), 0.1) == 0.1
    assert call(swapped.source, "decay", np.zeros((2, 2)), 0.1) == 0.0
    assert call(swapped.source, "decay", np.zeros(2), 0.1) == 0.1


def test_true_division_for_the_whole_quotient():
    source = "def half(T):\n    ### BEGIN SOLUTION\n    return T // 2\n    ### END SOLUTION\n"
    float_half = by_description(source)[
        "your return value divides with `/` (a float) where the solution takes the whole quotient "
        "`T // 2`"
    ]
    assert call(source, "half", 5) == 2 and call(float_half.source, "half", 5) == 2.5


def test_the_other_order_a_share_of_counts_floored_a_generator_and_a_return_in_the_loop():
    source = (
        "def h(a, b, pair, xs, X, m):\n    ### BEGIN SOLUTION\n    first, second = pair\n"
        "    H = a + 0.5\n    total = []\n    for x in xs:\n        total.append(x)\n"
        "    total.append(X.shape[1] / m)\n"
        "    return a - b, first, H, [t for t in total]\n    ### END SOLUTION\n"
    )
    found = by_description(source)
    args = (3.0, 1.0, (1, 2), [5.0, 6.0], np.zeros((2, 3)), 4)
    assert call(source, "h", *args) == (2.0, 1, 3.5, [5.0, 6.0, 0.75])
    other = found[
        "your return value subtracts in the other order (`b - a` where the solution has `a - b`)"
    ]
    assert call(other.source, "h", *args)[0] == -2.0
    unpacked = found["your code unpacks `pair` into `second` and `first` in the other order"]
    assert call(unpacked.source, "h", *args)[1] == 2
    source_for_value = found["your return value uses `a` where the solution uses `H`"]
    assert call(source_for_value.source, "h", *args)[2] == 3.0
    floored = found[
        "your code takes the whole quotient `//` where the solution divides (`X.shape[1] / m`)"
    ]
    assert call(floored.source, "h", *args)[3][-1] == 0
    lazy = found[
        "your return value builds a generator (round brackets) where the solution builds a list: "
        "it has no `len`, no indexing and runs out after one pass"
    ]
    with pytest.raises(TypeError):
        len(call(lazy.source, "h", *args)[3])
    early = found[
        "your code returns inside `for x in xs`, after its first pass (the solution runs "
        "`total.append(X.shape[1] / m)` ... and returns after the loop)"
    ]
    assert call(early.source, "h", *args)[3] == [5.0, 0.75]
    step_back = by_description("def f(t):\n    return t - 1\n")
    assert not any("other order" in d for d in step_back), "`1 - t` is no one's `t - 1`"


def test_one_use_of_an_argument_left_at_its_default_and_a_list_overwritten_not_appended():
    source = (
        "def f(xs, floor=0.0):\n    ### BEGIN SOLUTION\n    kept, groups = [], {}\n"
        "    for x in xs:\n        kept.append(max(x, floor))\n"
        "        groups.setdefault(x > 0, []).append(x)\n"
        "    return kept, groups, floor\n    ### END SOLUTION\n"
    )
    found = by_description(source)
    assert call(source, "f", [1.0, -2.0, 3.0], 0.5) == (
        [1.0, 0.5, 3.0],
        {True: [1.0, 3.0], False: [-2.0]},
        0.5,
    )
    one_use = found["your return value uses `0.0` (the default) where the solution uses `floor`"]
    assert call(one_use.source, "f", [1.0], 0.5) == ([1.0], {True: [1.0]}, 0.0)
    last = found[
        "your code sets `kept` to `[max(x, floor)]` where the solution appends to it (only the "
        "last is kept)"
    ]
    assert call(last.source, "f", [1.0, -2.0, 3.0], 0.5)[0] == [3.0]
    grouped = found[
        "your code sets `groups[x > 0]` to `[x]` where the solution appends to it (only the last "
        "is kept)"
    ]
    assert call(grouped.source, "f", [1.0, -2.0, 3.0], 0.5)[1] == {True: [3.0], False: [-2.0]}


def test_zeros_of_the_default_dtype_where_the_solution_keeps_the_input_s():
    source = (
        "def f(x):\n    ### BEGIN SOLUTION\n    return np.zeros_like(x)\n    ### END SOLUTION\n"
    )
    default = by_description(source)[
        "your return value makes zeros of the default dtype (`np.zeros(x.shape)`) where the "
        "solution makes them of `x`'s dtype"
    ]
    x = np.arange(3, dtype=np.float32)
    assert call(source, "f", x).dtype == np.float32
    assert call(default.source, "f", x).dtype == np.float64


def test_list_pieces_swapped_a_widened_division_rounding_a_power_and_argmax():
    source = (
        "def f(m, b, ma, x, n, t, k, r):\n    ### BEGIN SOLUTION\n    full, rest = divmod(m, b)\n"
        "    sizes = [b] * full + [rest]\n    ma = ma + x / n\n    stair = t // k\n"
        "    beta = (r / 2) ** 2\n    best = int(np.argmin(np.array([3, 1, 2])))\n"
        "    return sizes, ma, stair, beta, best\n    ### END SOLUTION\n"
    )
    found = by_description(source)
    args = (10, 4, 1.0, 3.0, 2, 6, 10, 4.0)
    assert call(source, "f", *args) == ([4, 4, 2], 2.5, 0, 4.0, 1)
    first = found["your `sizes` puts `[rest]` before `[b] * full` (the solution puts it after)"]
    assert call(first.source, "f", *args)[0] == [2, 4, 4]
    widened = found["your `ma` divides all of `ma + x` by `n` where the solution divides only `x`"]
    assert call(widened.source, "f", *args)[1] == 2.0
    nearest = found[
        "your `stair` rounds `t / k` to the nearest integer where the solution rounds it down"
    ]
    assert call(nearest.source, "f", *args)[2] == 1
    numerator = found[
        "your `beta` raises only `r` to the power `2` (the solution raises the whole ratio `r / 2`)"
    ]
    assert call(numerator.source, "f", *args)[3] == 8.0
    largest = found[
        "your `best` uses `np.argmax(np.array([3, 1, 2]))` where the solution uses "
        "`np.argmin(np.array([3, 1, 2]))`"
    ]
    assert call(largest.source, "f", *args)[4] == 0


def test_at_a_milestone_only_a_stride_from_0_the_stems_a_loop_item_and_the_last_match():
    source = (
        "def f(ms, t, X, Y, r, K, snapshots):\n    ### BEGIN SOLUTION\n"
        "    count = sum(1 for m in ms if m <= t)\n    X_shuffled, Y_shuffled = X[::-1], Y[::-1]\n"
        "    part = (X_shuffled[r::K], Y_shuffled[r::K])\n    total = 0\n"
        "    for theta in snapshots:\n        total += theta[0]\n"
        "    mean = total / len(snapshots)\n    return count, part, mean\n\n\n"
        "def first(path):\n    ### BEGIN SOLUTION\n    for i, y in enumerate(path):\n"
        "        if abs(y) >= 1:\n            return i\n    return None\n    ### END SOLUTION\n"
    )
    found = by_description(source)
    X, Y = np.arange(6), np.arange(6) * 10
    args = ([30, 80], 50, X, Y, 1, 3, [[1.0, 2.0, 3.0], [3.0, 0.0, 0.0]], [0.5, 2.0, 3.0])
    args, path = args[:-1], args[-1]
    count, part, mean = call(source, "f", *args)
    assert (count, list(part[0]), mean, call(source, "first", path)) == (1, [4, 1], 2.0, 1)
    only_at = found["your `count` uses `m == t` where the solution uses `m <= t`"]
    assert call(only_at.source, "f", *args)[0] == 0
    from_0 = found[
        "your `part` starts the slice at 0 where the solution starts it at `r` (in all 2 places)"
    ]
    assert list(call(from_0.source, "f", *args)[1][1]) == [50, 20]
    stems = found[
        "your `part` uses `X` and `Y` where the solution uses `X_shuffled` and `Y_shuffled`"
    ]
    assert list(call(stems.source, "f", *args)[1][0]) == [1, 4]
    item = found[
        "your `mean` uses `theta`, the loop's last item, where the solution uses `snapshots`"
    ]
    assert call(item.source, "f", *args)[2] == 4 / 3
    last = found[
        "your code keeps the last `i` that passes where the solution returns the first (it goes "
        "on looping)"
    ]
    assert call(last.source, "first", path) == 2 and call(last.source, "first", [0.0]) is None


def test_a_new_value_added_onto_an_array_updated_in_place():
    source = (
        "def f(v, g):\n    ### BEGIN SOLUTION\n    v[...] = 0.5 * v + g\n    ### END SOLUTION\n"
    )
    added = by_description(source)[
        "your code adds the new value onto `v` (`+=`) where the solution overwrites it"
    ]
    v = np.ones(2)
    call(added.source, "f", v, np.ones(2))
    assert list(v) == [2.5, 2.5]


def test_beta_and_one_minus_beta_swapped_is_said_so():
    source = (
        "def f(v, g, beta):\n    ### BEGIN SOLUTION\n    return beta * v + (1 - beta) * g\n"
        "    ### END SOLUTION\n"
    )
    found = by_description(source)
    swapped = found["your return value swaps `beta` and `1 - beta`"]
    assert call(swapped.source, "f", 1.0, 0.0, 0.9) == pytest.approx(0.1)
    twice = [d for d, m in found.items() if "1 - (1 - beta)" in m.source]
    assert twice == ["your return value swaps `beta` and `1 - beta`"], (
        "1 - (1 - beta) alone is beta"
    )


def test_a_power_of_the_difference_a_slice_s_stop_a_returned_error_and_a_square_of_the_sum():
    source = (
        "def f(beta, t, xs, start, b, w, T):\n    ### BEGIN SOLUTION\n"
        "    if t < 1:\n        raise ValueError('t counts from 1')\n"
        "    correction = 1 - beta ** t\n    part = xs[start:start + b]\n"
        "    total = np.sum(np.square(xs, dtype=np.float64))\n    stair = 2.0 * (t // 2)\n"
        "    progress = (t - w) / (T - w)\n"
        "    return correction, part, total, stair, progress\n    ### END SOLUTION\n"
    )
    found = by_description(source)
    xs = np.array([1.0, -1.0, 2.0])
    args = (0.5, 3, xs, 0, 2, 1, 5)
    correction, part, total, stair, progress = call(source, "f", *args)
    assert (correction, list(part), total, stair, progress) == (0.875, [1.0, -1.0], 6.0, 2.0, 0.5)
    whole = found[
        "your `correction` raises `1 - beta` to the power `t` where the solution raises only `beta`"
    ]
    assert call(whole.source, "f", *args)[0] == 0.125
    early = found[
        "your `part` ends the slice one early (at `start + b - 1` where the solution stops at "
        "`start + b`)"
    ]
    assert list(call(early.source, "f", *args)[1]) == [1.0]
    returned = found["your code returns the `ValueError` where the solution raises it"]
    assert isinstance(call(returned.source, "f", 0.5, 0, *args[2:]), ValueError)
    squared = found[
        "your `total` squares the sum (`np.square(np.sum(xs))`) where the solution takes the sum "
        "of the squares"
    ]
    assert call(squared.source, "f", *args)[2] == 4.0
    flat = found["your `stair` leaves out the parentheses around `t // 2`"]
    assert call(flat.source, "f", *args)[3] == 3.0
    floored = found[
        "your `progress` takes the whole quotient `//` where the solution divides "
        "(`(t - w) / (T - w)`)"
    ]
    assert call(floored.source, "f", *args)[4] == 0


def test_a_list_started_once_before_the_loop_and_arguments_that_are_calls_swapped():
    source = (
        "def f(epochs, batches):\n    ### BEGIN SOLUTION\n    means = []\n"
        "    for _ in range(epochs):\n        losses = []\n        for b in batches:\n"
        "            losses.append(b)\n        means.append(np.divide(sum(losses), len(batches)))\n"
        "    return means\n    ### END SOLUTION\n"
    )
    found = by_description(source)
    assert call(source, "f", 2, [1.0, 3.0]) == [2.0, 2.0]
    once = found[
        "your code sets `losses` once, before `for _ in range(epochs)`, where the solution starts "
        "it afresh in every pass"
    ]
    assert call(once.source, "f", 2, [1.0, 3.0]) == [2.0, 4.0]
    swapped = found[
        "your code passes `len(batches)` and `sum(losses)` to `divide` in the other order"
    ]
    assert call(swapped.source, "f", 1, [1.0, 3.0]) == [0.5]


def test_an_assert_or_another_error_for_the_solutions_raise():
    source = (
        "def window(x, n):\n    ### BEGIN SOLUTION\n    if n < 1:\n"
        "        raise ValueError(f'n must be at least 1, got {n}')\n    return x[-n:]\n"
        "    ### END SOLUTION\n"
    )
    found = by_description(source)
    checked = found[
        "your code guards against `n < 1` with an `assert`, which raises `AssertionError`, where "
        "the solution raises `ValueError`"
    ]
    assert checked.kind == "condition"
    assert call(checked.source, "window", [1, 2, 3], 2) == [2, 3]
    with pytest.raises(AssertionError, match="at least 1, got 0"):
        call(checked.source, "window", [1, 2, 3], 0)
    for other in ("TypeError", "Exception"):
        raised = found[f"your code raises `{other}` where the solution raises `ValueError`"]
        with pytest.raises(Exception) as error:
            call(raised.source, "window", [1, 2, 3], 0)
        assert type(error.value).__name__ == other and "got 0" in str(error.value)
    # an error that has no usual other: only the assert
    plain = by_description(source.replace("ValueError", "RuntimeError"))
    assert not [d for d in plain if d.startswith("your code raises `")]
    assert any("with an `assert`" in d for d in plain)


def test_conditions_in_the_other_order_and_entries_counted_from_the_other_end():
    source = (
        "def check(K, m, values):\n    ### BEGIN SOLUTION\n    if K < 1 or m % K:\n"
        "        raise ValueError('K')\n    return values[0] - values[-1]\n    ### END SOLUTION\n"
    )
    found = by_description(source)
    guarded = found[
        "your condition tests `m % K` before `K < 1`; the solution tests `K < 1` first, and `or` "
        "stops at the first true part, so `m % K` is never evaluated once `K < 1` is true"
    ]
    assert guarded.kind == "order"
    with pytest.raises(ValueError):
        call(source, "check", 0, 4, [1])
    with pytest.raises(ZeroDivisionError):  # the guard comes too late
        call(guarded.source, "check", 0, 4, [1])
    assert call(source, "check", 2, 4, [5, 1, 3]) == 2
    edits = {
        "uses `values[1]`, counted from the start, where the solution uses `values[-1]`, "
        "counted from the end": 4,
        "uses the first entry (`values[0]`) where the solution uses the last (`values[-1]`)": 0,
        "uses the last entry (`values[-1]`) where the solution uses the first (`values[0]`)": 0,
    }
    for phrase, expected in edits.items():
        mutant = found[f"your return value {phrase}"]
        assert mutant.kind == "index" and call(mutant.source, "check", 2, 4, [5, 1, 3]) == expected
    assert "your return value flips the sign" not in found  # said as an index instead


def test_a_list_started_in_the_function_taken_as_a_shared_default():
    source = (
        "def epoch(xs, scale=1.0):\n    ### BEGIN SOLUTION\n    losses = []\n    total = 0\n"
        "    for x in xs:\n        losses.append(scale * x)\n    return losses\n"
        "    ### END SOLUTION\n"
    )
    shared = by_description(source)[
        "your code makes `losses` a default argument (`losses=[]`) instead of creating it inside "
        "the function: Python creates a default only once, so every call shares the same list and "
        "sees what earlier calls added"
    ]
    assert shared.kind == "accumulate" and "def epoch(xs, scale=1.0, losses=[]):" in shared.source
    namespace = {}
    exec(shared.source, namespace)
    assert namespace["epoch"]([1, 2]) == [1.0, 2.0]
    assert namespace["epoch"]([3]) == [1.0, 2.0, 3.0]  # the first call's losses kept
    assert call(source, "epoch", [3]) == [3.0]
    assert not any("`total` a default" in d for d in by_description(source))  # a 0 is not
