"""What fusing an update rule buys: NumPy's one operation at a time against PyTorch's
``foreach`` and ``fused`` optimizers (the side note of chapter 3).

NumPy evaluates ``p -= lr * d`` as two loops over memory: ``tmp = lr * d`` reads ``d`` and
writes a temporary, ``p -= tmp`` reads ``p`` and the temporary and writes ``p``. PyTorch's
``p.add_(d, alpha=-lr)`` is one loop: read ``p`` and ``d``, write ``p``. On arrays larger
than the CPU's caches the time goes into moving memory, so fewer passes is faster. A whole
rule such as Adam's has about ten operations per parameter array; ``torch.optim`` offers
three ways to run them, which :func:`time_update_rules` times beside ``dldemos.optim.Adam``:

* ``foreach=False``: one tensor at a time, one kernel per operation (``_single_tensor_adam``,
  the readable reference, like ``dldemos.optim``);
* ``foreach=True`` (the default on a GPU): each operation on all tensors in one call, with
  in-place multiply-adds such as ``addcdiv_`` and no temporaries;
* ``fused=True``: the whole rule in one kernel per tensor, reading each array once and
  writing it once.
"""

from __future__ import annotations

import time

import numpy as np

from dldemos.optim import Adam
from dldemos.seeding import make_rng

__all__ = ["time_update_rules"]


def _best_seconds(step, repeats: int) -> float:
    step()  # warm-up: first-touch allocations
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def time_update_rules(
    n: int = 1_000_000, n_arrays: int = 10, repeats: int = 5, lr: float = 1e-3, seed: int = 0
) -> dict[str, float]:
    """Seconds per update of ``n`` float32 parameters in ``n_arrays`` arrays (the fastest of
    ``repeats`` after a warm-up), PyTorch on one thread like NumPy's element-wise loops:

    ``"numpy: p -= lr * d"``, ``"torch: p.add_(d, alpha=-lr)"`` (a loop over the arrays) and
    ``"torch: one _foreach_add_"`` (all arrays in one call) for one descent step, and
    ``"numpy: dldemos.optim.Adam"``, ``"torch: Adam, foreach=False"``,
    ``"torch: Adam, foreach=True"``, ``"torch: Adam, fused=True"`` (one Adam step).
    """
    import torch

    if n < n_arrays or n_arrays < 1 or repeats < 1:
        raise ValueError(
            f"need n >= n_arrays >= 1 and repeats >= 1, got n={n}, n_arrays={n_arrays}, "
            f"repeats={repeats}"
        )
    rng = make_rng(seed)
    size = n // n_arrays
    params = {f"p{i}": rng.standard_normal(size, dtype=np.float32) for i in range(n_arrays)}
    grads = {key: rng.standard_normal(size, dtype=np.float32) for key in params}

    def tensors() -> list:
        result = []
        for key, value in params.items():
            tensor = torch.tensor(value, requires_grad=True)
            tensor.grad = torch.tensor(grads[key])
            result.append(tensor)
        return result

    def numpy_descent() -> None:
        for key, p in params.items():
            p -= lr * grads[key]

    torch_params = tensors()

    def torch_descent() -> None:
        with torch.no_grad():
            for p in torch_params:
                p.add_(p.grad, alpha=-lr)

    def torch_foreach_descent() -> None:
        with torch.no_grad():
            torch._foreach_add_(torch_params, [p.grad for p in torch_params], alpha=-lr)

    adam = Adam(params, lr)
    adam.add_grad(grads)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        timings = {
            "numpy: p -= lr * d": _best_seconds(numpy_descent, repeats),
            "torch: p.add_(d, alpha=-lr)": _best_seconds(torch_descent, repeats),
            "torch: one _foreach_add_": _best_seconds(torch_foreach_descent, repeats),
            "numpy: dldemos.optim.Adam": _best_seconds(adam.step, repeats),
        }
        for option in ("foreach=False", "foreach=True", "fused=True"):
            name, value = option.split("=")
            optimizer = torch.optim.Adam(tensors(), lr, **{name: value == "True"})
            timings[f"torch: Adam, {option}"] = _best_seconds(optimizer.step, repeats)
    finally:
        torch.set_num_threads(threads)
    return timings
