"""dldemos: the code behind the course *How neural networks are optimized*.

Each module is one idea of the book and can be read as an appendix beside its chapter:

========================  =====================================================
module                    chapter
========================  =====================================================
``dldemos.data``          datasets, mini-batch splitting (ch. 1)
``dldemos.averages``      moving averages, EWMA, bias correction (ch. 2)
``dldemos.nn``            the NumPy ``DeepNetwork`` trained in every chapter
``dldemos.optim``         ``BaseOptimizer`` and every optimizer (ch. 3)
``dldemos.schedules``     learning-rate schedules as pure functions (ch. 4)
``dldemos.lr_finder``     the learning-rate range test (ch. 4)
``dldemos.surfaces``      2-D test functions and optimizer trajectories (ch. 3, 5)
``dldemos.hessian``       Hessian-vector products, Lanczos: a network's curvature (ch. 5)
``dldemos.train``         the NumPy training loop, history and checkpoints
``dldemos.quadratic``     rates on the quadratic model, Newton's step (ch. 8)
``dldemos.noise``         gradient noise scale, critical batch size (ch. 8)
``dldemos.clipping``      gradient clipping by value and by global norm (ch. 9)
``dldemos.averaging``     EMA of weights, Polyak averaging, SWA (ch. 9)
``dldemos.online``        Reddi et al.'s problem where Adam fails (ch. 9)
``dldemos.warmup``        the size of Adam's first steps (ch. 9)
``dldemos.plots``         the book's figures and animations
``dldemos.torch``         the same ideas in PyTorch (ch. 6, 7)
========================  =====================================================

and the helpers the chapters' experiments call: ``compare`` (optimizers and schedules side
by side, ch. 3, 4), ``timing`` (what a step costs, ch. 1), ``fusion`` (fused update rules,
ch. 3), ``seeding`` (every seed, and the switch that moves them), ``threads`` (one BLAS
thread) and ``files`` (writes that survive a crash).

What runs the course -- checked claims, live coding, slides, the homework checks and the
grader -- is the package ``courseware``, which imports ``dldemos``; ``dldemos`` never
imports it (tests/test_imports.py).

Submodules are imported on demand so that ``import dldemos`` stays cheap and never
requires PyTorch.
"""

__version__ = "0.1.0"


def show_source(obj):
    """The source code of a ``dldemos`` function, class or method, highlighted in a notebook.

    The chapters show the code they explain with this instead of re-typing it, so what the
    book shows is always what the tests check.
    """
    import inspect

    from IPython.display import Code

    return Code(inspect.getsource(obj), language="python")
