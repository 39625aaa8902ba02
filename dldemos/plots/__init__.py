"""The book's figures and animations.

One module per kind of figure, shared by the chapters that need it:

=================================  ==========================================
``dldemos.plots.curves``           training curves and histories (ch. 1, 3, 4)
``dldemos.plots.averages``         temperatures, EWMA weights, bias (ch. 2)
``dldemos.plots.landscapes``       surfaces, trajectories, races (ch. 3, 5)
``dldemos.plots.schedules``        learning-rate schedules, LR range test (ch. 4)
``dldemos.plots.torch``            PyTorch schedulers, optimizer agreement (ch. 6)
``dldemos.plots.distributed``      linear scaling rule and warmup (ch. 7)
``dldemos.plots.rates``            rates, preconditioning, batch size (ch. 8)
``dldemos.plots.stability``        clipping, averaging, Adam's failures, warmup (ch. 9)
=================================  ==========================================

This package itself holds what every chapter uses: :func:`is_static` (are we building the
book or running the tests, where widgets cannot run?), :func:`interactive` (a widget in
JupyterLab, a default figure everywhere else) and :func:`show_animation` (an animation as
HTML/JS in the page plus a static final frame for print).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import matplotlib.pyplot as plt

#: Colours used for the same optimizer in every figure of the book.
OPTIMIZER_COLORS = {
    "SGD": "tab:blue",
    "GD": "tab:blue",
    "Momentum": "tab:orange",
    "Nesterov": "tab:green",
    "AdaGrad": "tab:red",
    "AdaDelta": "tab:purple",
    "RMSProp": "tab:brown",
    "Adam": "tab:pink",
    "AdamW": "tab:gray",
}

plt.rcParams.update(
    {
        "figure.figsize": (7.0, 4.0),
        "figure.dpi": 100,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
    }
)


def new_axes(ax=None, figsize: tuple[float, float] = (7.0, 4.0)):
    """``ax`` itself, or the axes of a new figure of ``figsize`` inches when ``ax`` is None.

    Every plot function of the book takes an optional ``ax`` this way, so figures can be
    combined into panels; the new figure is not owned by pyplot, so a function can build
    many without leaking memory (``%matplotlib inline`` displays the returned figure).
    """
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, layout="constrained").subplots()


def finish_rate_axes(ax, xlabel: str, ylabel: str, title: str, log_y: bool):
    """Label a plot of learning rates against time and return its figure: a log scale when
    ``log_y``, otherwise a linear one that starts at 0, so rates of different runs compare."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if log_y:
        ax.set_yscale("log")
    else:
        ax.set_ylim(bottom=0)
    ax.set_title(title)
    ax.legend(fontsize=8)
    return ax.figure


def is_static() -> bool:
    """True when widgets cannot run: building the book, running the tests (``DLDEMOS_STATIC=1``).

    ``make book`` and ``make test`` set ``DLDEMOS_STATIC=1``; ``make lab`` sets it to 0.
    """
    return os.environ.get("DLDEMOS_STATIC", "0") == "1"


def interactive(plot: Callable[..., Any], **controls: Any):
    """Show ``plot`` with sliders in JupyterLab, or once with its defaults elsewhere.

    Each keyword names an argument of ``plot`` and gives its control:

    * ``(default, low, high, step)`` -- a slider (integer if all four are integers);
    * ``[first, second, ...]`` -- a drop-down whose first entry is the default.

    In the static book and in CI (``is_static()``), or without ipywidgets, the cell calls
    ``plot`` once with the defaults, so it shows a figure instead of failing.  Returns
    nothing, so the cell prints nothing under the figure or the widget.
    """
    for name, control in controls.items():
        if not (isinstance(control, list) and control) and not (
            isinstance(control, tuple) and len(control) == 4
        ):
            raise ValueError(
                f"control {name!r} must be (default, low, high, step) or a non-empty list, got {control!r}"
            )
    defaults = {name: control[0] for name, control in controls.items()}
    if is_static():
        plot(**defaults)
        return
    try:
        import ipywidgets
    except ImportError:
        plot(**defaults)
        return
    widgets = {}
    for name, control in controls.items():
        if isinstance(control, list):
            widgets[name] = ipywidgets.Dropdown(options=control, value=control[0], description=name)
        else:
            value, low, high, step = control
            slider = (
                ipywidgets.IntSlider
                if all(isinstance(c, int) for c in control)
                else ipywidgets.FloatSlider
            )
            widgets[name] = slider(
                value=value, min=low, max=high, step=step, description=name, continuous_update=False
            )
    ipywidgets.interact(plot, **widgets)


def show_animation(animation, title: str | None = None):
    """Embed a matplotlib ``FuncAnimation`` as an HTML/JS player, then its last frame.

    The player works in JupyterLab and in the HTML book with no network; the static last
    frame is what a printed page (or a reader without JavaScript) sees.
    """
    from IPython.display import HTML, display

    display(HTML(animation.to_jshtml(default_mode="once")))
    figure = animation._fig  # rendering every frame left the figure at its last one
    if title:
        figure.suptitle(title)
    display(figure)
    plt.close(figure)


__all__ = [
    "OPTIMIZER_COLORS",
    "finish_rate_axes",
    "interactive",
    "is_static",
    "new_axes",
    "show_animation",
]
