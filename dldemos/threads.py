"""One BLAS thread for the course's small matrix products (every chapter that trains the NumPy
network: chapters 1-5, 8 and 9).

NumPy multiplies matrices with OpenBLAS, which starts one thread per core and splits every
product that is not tiny between them. The course's networks multiply matrices of at most
a few hundred rows and columns per mini-batch (784-256-128-10 on a batch of 128 is the
largest). On such products a second thread gains little on an idle machine and costs a
lot on a busy one: a split product waits for the slower thread, and when other programs
hold the cores that thread waits for its turn. Measured on the course's 2-core machine
with other programs running (``benchmarks/RESULTS.md``), a 784-256-128-10 training step
(batch 128, float32) took 123 ms with both threads against 11.4 ms with one.

So ``DeepNetwork.forward`` and ``backward`` (a loop a reader writes by hand, as in hw01, calls
them), :func:`dldemos.train.train_step`, the step every NumPy training loop of the course goes
through, and :func:`dldemos.train.train`, which also evaluates the training and dev sets
after every epoch, run under :func:`one_blas_thread`: one BLAS thread inside, and the
process's own setting restored on the way out, so the reader's own code keeps all threads.
Entering costs about 20 microseconds; entering inside an open one (``train`` calls
``train_step``, which calls ``forward`` and ``backward``) costs almost nothing.
Nothing in ``dldemos.optim``, ``dldemos.nn`` or ``dldemos.train`` calls another BLAS, so a
process that imports them holds one BLAS thread pool (``tests/test_threads.py`` checks
both this and the speed in a process with no thread limits).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from threadpoolctl import ThreadpoolController

__all__ = ["one_blas_thread"]

_controller: ThreadpoolController | None = None  # finds the loaded BLAS libraries once
_depth = 0  # how many one_blas_thread() are open


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Limit every loaded BLAS library to one thread inside the ``with`` block (or the
    decorated function), and restore the previous limits afterwards."""
    global _controller, _depth
    if _depth:  # an enclosing call already limits
        yield
        return
    if _controller is None:
        _controller = ThreadpoolController()
    with _controller.limit(limits=1, user_api="blas"):
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
