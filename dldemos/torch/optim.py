r"""The book's optimizers written from scratch as ``torch.optim.Optimizer`` subclasses (ch. 6).

They take PyTorch's argument names (``lr``, ``momentum``, ``betas``, ``eps``, ``weight_decay``,
...), so they drop into any PyTorch training loop: parameter groups, ``add_param_group``,
``state_dict`` / ``load_state_dict``, closures and every ``torch.optim.lr_scheduler`` (the ones
that cycle the momentum, ``OneCycleLR`` and ``CyclicLR``, find ``momentum`` or ``betas`` in
the group just as with ``torch.optim``). Each one reproduces its ``torch.optim`` counterpart
to rounding error; ``tests/test_torch_optim.py`` checks this step by step.

The book's symbols (``book/intro.md``): ``α`` the learning rate (``lr``), ``μ`` and ``u``
PyTorch's momentum coefficient and buffer, ``β`` the weight of an average (RMSprop calls it
``alpha``), weight decay written out as ``wd`` (``weight_decay``).

============  ===========================================  ==================================
class         update (``g`` gradient, ``θ`` parameter)      PyTorch counterpart
============  ===========================================  ==================================
``SGD``       ``u = μ u + (1-d) g``; ``θ -= α u``           ``torch.optim.SGD``
``Momentum``  ``v = β v + (1-β) g``; ``θ -= α v``           ``SGD(lr=α(1-β), momentum=β)``
``AdaGrad``   ``s += g²``; ``θ -= α g / (√s + ε)``          ``torch.optim.Adagrad``
``RMSProp``   ``s = β s + (1-β) g²``; ``θ -= α g/(√s+ε)``   ``torch.optim.RMSprop``
``AdaDelta``  ``Δ = √(d+ε)/√(s+ε) g``; ``θ -= α Δ``         ``torch.optim.Adadelta``
``Adam``      ``v``, ``s`` EWMAs, bias-corrected            ``torch.optim.Adam``
``AdamW``     Adam with decoupled weight decay              ``torch.optim.AdamW``
============  ===========================================  ==================================

How the module is organised
---------------------------
``FromScratchOptimizer`` holds the plumbing every optimizer shares (walking the parameter
groups, creating the state on the first step, choosing the code path, the closure); each
optimizer below only states its mathematics, twice:

* ``_update(p, g, state, group)``: one parameter at a time, a few lines that read like the
  book's equations. This is the path to read.
* ``_foreach_update(params, grads, states, group)``: the same equations for all parameters of a
  group that share a device and a dtype, with ``torch._foreach_*`` kernels (one kernel launch
  per operation for the whole list instead of one per parameter). This is the path that is fast
  on a GPU, where a model has hundreds of small tensors.

``foreach=None`` (the default, as in ``torch.optim``) takes the ``_foreach`` path when every
parameter of the group is on a CUDA device and the per-parameter path otherwise: on the CPU the
``_foreach_*`` operations are plain loops, so they gain nothing. ``foreach=True`` / ``False``
force a path on any device.

State names are PyTorch's (``step``, ``momentum_buffer``, ``sum``, ``square_avg``, ``acc_delta``,
``grad_avg``, ``exp_avg``, ``exp_avg_sq``, ``max_exp_avg_sq``), so a ``state_dict`` of one of
these optimizers loads into its ``torch.optim`` counterpart and back (``Momentum`` excepted: its
buffer is ``(1-β)`` times SGD's). ``state["step"]`` is a 0-d float32 tensor on the CPU, exactly
as ``torch.optim`` keeps it when neither ``fused`` nor ``capturable`` is set: reading it with
``.item()`` never waits for the GPU, and ``torch.optim``'s ``load_state_dict`` leaves it there.

Swapping with ``torch.optim``
----------------------------
Each class takes its counterpart's arguments in the same order, with the same defaults, and
keeps the same parameter-group keys, so a ``state_dict`` moves both ways:

* ``maximize=True`` ascends instead of descends (the gradient's sign is flipped before
  anything else, weight decay included, as in PyTorch);
* ``lr`` (and ``betas`` of ``Adam``/``AdamW``) may be one-element tensors; they are read at
  every step, so a scheduler that changes them in place is followed. As in PyTorch, a tensor
  with more than one element is refused, ``Adam``/``AdamW`` refuse a tensor ``lr`` or
  ``betas`` with ``foreach=True``, and ``betas`` must be two floats or two tensors;
* an older ``state_dict`` whose parameter groups lack a newer key (``foreach``, ``maximize``,
  ``amsgrad``, ``centered``, ...) loads with that key set to the constructor's default, and a
  plain-number ``step`` becomes a tensor, exactly as ``torch.optim`` does on load;
* the switches this module does not implement, ``capturable``, ``differentiable`` and
  ``fused``, are accepted only at their off values and refused, naming the switch, otherwise.

Not supported (each raises a ``TypeError`` when met): sparse gradients and complex parameters.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from collections.abc import Callable, Iterable

import torch
from torch.optim import Optimizer

__all__ = [
    "FromScratchOptimizer",
    "SGD",
    "Momentum",
    "AdaGrad",
    "RMSProp",
    "AdaDelta",
    "Adam",
    "AdamW",
]


def _invalid(name: str, value, requirement: str) -> ValueError:
    """The error ``torch.optim`` raises for a bad hyperparameter, word for word (code and tests
    may match it), followed by what the value must be."""
    words = {"lr": "learning rate", "eps": "epsilon value"}.get(name, f"{name} value")
    return ValueError(f"Invalid {words}: {value} ({name} {requirement})")


def _check_non_negative(**values: float) -> None:
    for name, value in values.items():
        if torch.is_tensor(value) and value.numel() != 1:
            raise ValueError(f"Tensor {name} must be 1-element, got shape {tuple(value.shape)}")
        if not value >= 0.0:
            raise _invalid(name, value, "must be >= 0")


def _check_betas(betas, foreach: bool | None) -> tuple:
    """``betas`` as ``torch.optim.Adam`` accepts them: two floats, or two one-element tensors
    (made 0-d) when ``foreach`` is not ``True``; each in [0, 1)."""
    if len(betas) != 2:
        raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
    tensors = [torch.is_tensor(beta) for beta in betas]
    if tensors[0] != tensors[1]:
        raise ValueError(
            "betas must be either both floats or both Tensors, got "
            f"{tuple(type(beta).__name__ for beta in betas)}"
        )
    if tensors[0]:
        if foreach:
            raise ValueError(
                "betas[0] as a Tensor is not supported for capturable=False and "
                "foreach=True (as in torch.optim); pass floats"
            )
        for index, beta in enumerate(betas):
            if beta.numel() != 1:
                raise ValueError(
                    f"Tensor betas[{index}] must be 1-element, got shape {tuple(beta.shape)}"
                )
        betas = tuple(beta.reshape(()) for beta in betas)
    for index, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(
                f"Invalid beta parameter at index {index}: {beta} "
                f"(betas[{index}] must be in [0, 1))"
            )
    return tuple(betas)


def _plain(value):
    """A hyperparameter as a Python number: one-element tensors (``lr=torch.tensor(0.1)``) are
    read with ``.item()`` at every step, so changes a scheduler makes in place are seen."""
    if torch.is_tensor(value):
        return value.item()
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    return value


def _scalar_dtype() -> torch.dtype:
    """The dtype of ``state["step"]``, as ``torch.optim`` chooses it (unfused, not capturable)."""
    return torch.float64 if torch.get_default_dtype() == torch.float64 else torch.float32


def _check_decay_rate(name: str, value: float) -> None:
    """An EWMA coefficient must lie in [0, 1)."""
    if not 0.0 <= value < 1.0:
        raise _invalid(name, value, "must be in [0, 1)")


def _l2(g: torch.Tensor, p: torch.Tensor, weight_decay: float) -> torch.Tensor:
    """``g + wd·θ``: the gradient of the loss plus ``wd/2 ‖θ‖²`` (coupled weight decay)."""
    return g.add(p, alpha=weight_decay) if weight_decay != 0 else g


def _foreach_l2(
    grads: list[torch.Tensor], params: list[torch.Tensor], weight_decay: float
) -> list[torch.Tensor]:
    return torch._foreach_add(grads, params, alpha=weight_decay) if weight_decay != 0 else grads


class FromScratchOptimizer(Optimizer):
    """What every optimizer of this module shares; subclasses only state their mathematics.

    A subclass passes its hyperparameters as ``defaults`` (they become the defaults of every
    parameter group) and implements

    * ``_init_state(state, p, group)``: fill the empty ``state`` dict of parameter ``p`` with its
      initial tensors before the first update (optional: the default creates nothing);
    * ``_update(p, g, state, group)``: update one parameter in place;
    * ``_foreach_update(params, grads, states, group)``: the same for lists of parameters that
      share a device and a dtype, with ``torch._foreach_*`` operations.
    """

    def __init__(
        self,
        params: Iterable,
        defaults: dict,
        *,
        foreach: bool | None,
        maximize: bool,
        **off_switches,
    ) -> None:
        if foreach not in (None, True, False):
            raise TypeError(f"foreach must be None, True or False, got {foreach!r}")
        for name, value in off_switches.items():
            if value:
                off = None if name == "fused" else False
                raise ValueError(
                    f"{type(self).__name__} does not implement {name}={value!r}, only "
                    f"{name}={off} (use torch.optim for its {name} path)"
                )
        super().__init__(
            params, {**defaults, "foreach": foreach, "maximize": bool(maximize), **off_switches}
        )

    _options_added_later: tuple[str, ...] = ()
    """Options older state_dicts may lack besides the switches (``foreach``, ``maximize``,
    ``capturable``, ``differentiable``, ``fused``): the keys ``torch.optim`` fills on load."""
    _older_defaults: dict = {}
    """Where ``torch.optim`` fills such a key with another value than its constructor's
    default (``SGD``'s ``fused``), that value."""

    def __setstate__(self, state: dict) -> None:
        """Also used by ``load_state_dict``: fill the keys an older state_dict lacks with the
        constructor's defaults and make a plain-number ``step`` a tensor, as ``torch.optim``."""
        super().__setstate__(state)
        signature = inspect.signature(type(self).__init__).parameters
        switches = ("foreach", "maximize", "capturable", "differentiable", "fused")
        # only the options this class has: torch.optim's own __setstate__ adds
        # "differentiable" to self.defaults of every optimizer, Momentum has no such option
        optional = [
            key
            for key in self.defaults
            if key in self._options_added_later or (key in switches and key in signature)
        ]
        for group in self.param_groups:
            for key in optional:
                default = signature[key].default if key in signature else self.defaults[key]
                group.setdefault(key, self._older_defaults.get(key, default))
            for p in group["params"]:
                p_state = self.state.get(p, {})
                if "step" in p_state and not torch.is_tensor(p_state["step"]):
                    p_state["step"] = torch.tensor(float(p_state["step"]), dtype=_scalar_dtype())

    def _init_state(self, state: dict, p: torch.Tensor, group: dict) -> None:
        """Create the state of ``p`` before its first update; nothing by default."""

    def _update(self, p: torch.Tensor, g: torch.Tensor, state: dict, group: dict) -> None:
        raise NotImplementedError

    def _foreach_update(
        self, params: list[torch.Tensor], grads: list[torch.Tensor], states: list[dict], group: dict
    ) -> None:
        raise NotImplementedError

    @staticmethod
    def _new_step() -> torch.Tensor:
        """A step counter as ``torch.optim`` keeps it: a 0-d tensor on the CPU."""
        return torch.tensor(0.0, dtype=_scalar_dtype())

    @staticmethod
    def _advance(state: dict) -> float:
        """Count one more step of this parameter and return the new count ``t``."""
        state["step"] += 1
        return state["step"].item()

    @staticmethod
    def _advance_all(states: list[dict]) -> list[float]:
        """``_advance`` for a list of parameters, with one ``_foreach`` call."""
        steps = [state["step"] for state in states]
        torch._foreach_add_(steps, 1)
        return [t.item() for t in steps]

    @staticmethod
    def _uses_foreach(group: dict, params: list[torch.Tensor]) -> bool:
        if group["foreach"] is None:
            return all(p.device.type == "cuda" for p in params)
        return group["foreach"]

    @torch.no_grad()
    def step(self, closure: Callable[[], torch.Tensor] | None = None) -> torch.Tensor | None:
        """Update every parameter that has a gradient; return ``closure()``'s loss, if given."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            hyper = {key: _plain(value) for key, value in group.items() if key != "params"}
            params, grads, states = [], [], []
            for p in group["params"]:
                g = p.grad
                if g is None:
                    continue
                if g.is_sparse or p.is_complex():
                    raise TypeError(
                        f"{type(self).__name__} supports dense real tensors only; got "
                        f"{'a sparse gradient' if g.is_sparse else p.dtype} for a "
                        f"parameter of shape {tuple(p.shape)}"
                    )
                state = self.state.get(p)
                if state is None:  # created here, kept only if the update stores something
                    state = {}
                    self._init_state(state, p, hyper)
                params.append(p)
                grads.append(-g if hyper["maximize"] else g)
                states.append(state)
            if not params:
                continue
            if not self._uses_foreach(hyper, params):
                for p, g, state in zip(params, grads, states):
                    self._update(p, g, state, hyper)
            else:
                buckets = defaultdict(list)  # _foreach kernels need one device and one dtype
                for i, p in enumerate(params):
                    buckets[(p.device, p.dtype)].append(i)
                for indices in buckets.values():
                    self._foreach_update(
                        [params[i] for i in indices],
                        [grads[i] for i in indices],
                        [states[i] for i in indices],
                        hyper,
                    )
            for p, state in zip(params, states):
                if state:
                    self.state[p] = state
        return loss


class SGD(FromScratchOptimizer):
    r"""Stochastic gradient descent with optional (Nesterov) momentum, as ``torch.optim.SGD``.

    .. math::
        g &\leftarrow g + \mathrm{wd}\,\theta \\
        u &\leftarrow \mu u + (1-\mathrm{dampening})\, g \qquad (u \leftarrow g \text{ on the first step}) \\
        g &\leftarrow g + \mu u \text{ (Nesterov) or } u \\
        \theta &\leftarrow \theta - \alpha g

    with learning rate ``lr`` α, ``momentum`` μ, ``dampening`` and ``weight_decay`` wd
    (Sutskever et al. 2013; PyTorch's formulation, documented under ``torch.optim.SGD``).
    """

    _options_added_later = ("nesterov",)
    _older_defaults = {"fused": False}

    def __init__(
        self,
        params: Iterable,
        lr: float | torch.Tensor = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float | torch.Tensor = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        _check_non_negative(lr=lr, momentum=momentum, weight_decay=weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError(
                f"Nesterov momentum requires a momentum and zero dampening (nesterov=True, got "
                f"momentum={momentum!r}, dampening={dampening!r})"
            )
        super().__init__(
            params,
            dict(
                lr=lr,
                momentum=momentum,
                dampening=dampening,
                weight_decay=weight_decay,
                nesterov=nesterov,
            ),
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            fused=fused,
        )

    @staticmethod
    def _momentum_buffer(state: dict, g: torch.Tensor, mu: float, dampening: float) -> torch.Tensor:
        """``u = μ u + (1-dampening) g``, starting from ``u = g`` (PyTorch's convention)."""
        u = state.get("momentum_buffer")
        if u is None:
            u = state["momentum_buffer"] = g.clone()
        else:
            u.mul_(mu).add_(g, alpha=1 - dampening)
        return u

    def _update(self, p, g, state, group):
        mu = group["momentum"]
        g = _l2(g, p, group["weight_decay"])
        if mu != 0:
            u = self._momentum_buffer(state, g, mu, group["dampening"])
            g = g.add(u, alpha=mu) if group["nesterov"] else u
        p.add_(g, alpha=-group["lr"])

    def _foreach_update(self, params, grads, states, group):
        mu, dampening = group["momentum"], group["dampening"]
        grads = _foreach_l2(grads, params, group["weight_decay"])
        if mu != 0:
            bufs = [state.get("momentum_buffer") for state in states]
            if any(u is None for u in bufs):  # a first step: u = g, one tensor at a time
                bufs = [
                    self._momentum_buffer(state, g, mu, dampening)
                    for state, g in zip(states, grads)
                ]
            else:
                torch._foreach_mul_(bufs, mu)
                torch._foreach_add_(bufs, grads, alpha=1 - dampening)
            if group["nesterov"]:
                grads = torch._foreach_add(grads, bufs, alpha=mu)
            else:
                grads = bufs
        torch._foreach_add_(params, grads, alpha=-group["lr"])


class Momentum(FromScratchOptimizer):
    r"""Gradient descent with momentum in the book's (and the seed's) EWMA form.

    .. math::
        g \leftarrow g + \mathrm{wd}\,\theta, \qquad
        v \leftarrow \beta v + (1-\beta) g, \qquad
        \theta \leftarrow \theta - \alpha v, \qquad v_0 = 0

    with ``lr`` α and ``momentum`` β (the argument keeps PyTorch's name, ``momentum``, so the
    class drops into code written for ``torch.optim.SGD``; the NumPy ``dldemos.optim.Momentum``
    calls the same number ``beta``, the book's symbol). ``v`` is an exponentially weighted average of the
    gradients (chapter 2), so the step keeps the size of a gradient and ``lr`` keeps its meaning
    when β changes. Unrolling both recursions gives ``v_t = (1-β) u_t`` where ``u_t`` is the
    buffer of ``torch.optim.SGD(momentum=β)`` (``u_1 = g_1``, ``u_t = β u_{t-1} + g_t``), so
    ``Momentum(lr=α, momentum=β)`` follows the same trajectory as
    ``torch.optim.SGD(lr=α(1-β), momentum=β)``. The state ``momentum_buffer`` holds ``v``.
    """

    def __init__(
        self,
        params: Iterable,
        lr: float | torch.Tensor = 1e-2,
        momentum: float = 0.9,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
    ) -> None:
        _check_non_negative(lr=lr, weight_decay=weight_decay)
        _check_decay_rate("momentum", momentum)
        super().__init__(
            params,
            dict(lr=lr, momentum=momentum, weight_decay=weight_decay),
            foreach=foreach,
            maximize=maximize,
        )

    def _init_state(self, state, p, group):
        state["momentum_buffer"] = torch.zeros_like(p, memory_format=torch.preserve_format)

    def _update(self, p, g, state, group):
        beta = group["momentum"]
        g = _l2(g, p, group["weight_decay"])
        v = state["momentum_buffer"]
        v.lerp_(g, 1 - beta)  # v = beta*v + (1-beta)*g
        p.add_(v, alpha=-group["lr"])

    def _foreach_update(self, params, grads, states, group):
        grads = _foreach_l2(grads, params, group["weight_decay"])
        vs = [state["momentum_buffer"] for state in states]
        torch._foreach_lerp_(vs, grads, 1 - group["momentum"])
        torch._foreach_add_(params, vs, alpha=-group["lr"])


class AdaGrad(FromScratchOptimizer):
    r"""AdaGrad (Duchi, Hazan & Singer 2011), as ``torch.optim.Adagrad``.

    .. math::
        g \leftarrow g + \mathrm{wd}\,\theta, \qquad
        s \leftarrow s + g^2, \qquad
        \theta \leftarrow \theta - \frac{\alpha}{1 + (t-1)\,\mathrm{lr\_decay}}\,\frac{g}{\sqrt{s} + \epsilon}

    with ``lr`` α, ``lr_decay`` and ``weight_decay`` wd; ``s`` (state ``sum``) starts at
    ``initial_accumulator_value``. Since ``s`` only grows, every parameter's step shrinks
    for ever; rarely-seen (sparse) features keep a large one.

    Unlike ``torch.optim.Adagrad``, which fills ``sum`` for every parameter when the optimizer is
    created and always from the constructor's ``initial_accumulator_value``, the state is
    created on a parameter's first step from its own group's value.
    """

    def __init__(
        self,
        params: Iterable,
        lr: float | torch.Tensor = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        _check_non_negative(
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
        )
        super().__init__(
            params,
            dict(
                lr=lr,
                lr_decay=lr_decay,
                weight_decay=weight_decay,
                initial_accumulator_value=initial_accumulator_value,
                eps=eps,
            ),
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            fused=fused,
        )

    def _init_state(self, state, p, group):
        state["step"] = self._new_step()
        state["sum"] = torch.full_like(
            p, group["initial_accumulator_value"], memory_format=torch.preserve_format
        )

    def _update(self, p, g, state, group):
        t = self._advance(state)
        g = _l2(g, p, group["weight_decay"])
        s = state["sum"]
        s.addcmul_(g, g)  # s = s + g²
        lr_t = group["lr"] / (1 + (t - 1) * group["lr_decay"])
        p.addcdiv_(g, s.sqrt().add_(group["eps"]), value=-lr_t)

    def _foreach_update(self, params, grads, states, group):
        ts = self._advance_all(states)
        grads = _foreach_l2(grads, params, group["weight_decay"])
        sums = [state["sum"] for state in states]
        torch._foreach_addcmul_(sums, grads, grads)
        denom = torch._foreach_sqrt(sums)
        torch._foreach_add_(denom, group["eps"])
        minus_lr_t = [-group["lr"] / (1 + (t - 1) * group["lr_decay"]) for t in ts]
        torch._foreach_addcdiv_(params, grads, denom, minus_lr_t)


class RMSProp(FromScratchOptimizer):
    r"""RMSProp (Hinton, lecture 6e of *Neural Networks for ML*, 2012), as ``torch.optim.RMSprop``.

    .. math::
        g &\leftarrow g + \mathrm{wd}\,\theta, \qquad
        s \leftarrow \beta s + (1-\beta) g^2 \\
        d &= \sqrt{s} + \epsilon \quad\text{or, centered,}\quad
             d = \sqrt{s - m^2} + \epsilon,\ \ m \leftarrow \beta m + (1-\beta) g \\
        \theta &\leftarrow \theta - \alpha\, g / d
             \quad\text{or, with momentum } \mu:\quad
             u \leftarrow \mu u + g / d,\ \ \theta \leftarrow \theta - \alpha u

    with ``lr`` α and smoothing constant β (PyTorch's argument ``alpha``). ε is added *outside* the
    square root, as in PyTorch. State: ``square_avg`` (s), ``grad_avg`` (m, when ``centered``),
    ``momentum_buffer`` (u, when ``momentum > 0``) and ``step`` (counted only for PyTorch's
    state layout: RMSProp uses no bias correction).
    """

    _options_added_later = ("momentum", "centered")

    def __init__(
        self,
        params: Iterable,
        lr: float | torch.Tensor = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        _check_non_negative(lr=lr, eps=eps, weight_decay=weight_decay, momentum=momentum)
        _check_decay_rate("alpha", alpha)
        super().__init__(
            params,
            dict(
                lr=lr,
                alpha=alpha,
                eps=eps,
                weight_decay=weight_decay,
                momentum=momentum,
                centered=centered,
            ),
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
        )

    def _init_state(self, state, p, group):
        state["step"] = self._new_step()
        state["square_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
        if group["momentum"] > 0:
            state["momentum_buffer"] = torch.zeros_like(p, memory_format=torch.preserve_format)
        if group["centered"]:
            state["grad_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)

    def _update(self, p, g, state, group):
        alpha, mu = group["alpha"], group["momentum"]
        self._advance(state)
        g = _l2(g, p, group["weight_decay"])
        s = state["square_avg"]
        s.mul_(alpha).addcmul_(g, g, value=1 - alpha)  # s = alpha*s + (1-alpha)*g²
        if group["centered"]:
            m = state["grad_avg"]
            m.lerp_(g, 1 - alpha)  # m = alpha*m + (1-alpha)*g
            d = s.addcmul(m, m, value=-1).sqrt_().add_(group["eps"])
        else:
            d = s.sqrt().add_(group["eps"])
        if mu > 0:
            u = state["momentum_buffer"]
            u.mul_(mu).addcdiv_(g, d)
            p.add_(u, alpha=-group["lr"])
        else:
            p.addcdiv_(g, d, value=-group["lr"])

    def _foreach_update(self, params, grads, states, group):
        alpha, mu = group["alpha"], group["momentum"]
        self._advance_all(states)
        grads = _foreach_l2(grads, params, group["weight_decay"])
        ss = [state["square_avg"] for state in states]
        torch._foreach_mul_(ss, alpha)
        torch._foreach_addcmul_(ss, grads, grads, value=1 - alpha)
        if group["centered"]:
            ms = [state["grad_avg"] for state in states]
            torch._foreach_lerp_(ms, grads, 1 - alpha)
            ds = torch._foreach_addcmul(ss, ms, ms, value=-1)
            torch._foreach_sqrt_(ds)
        else:
            ds = torch._foreach_sqrt(ss)
        torch._foreach_add_(ds, group["eps"])
        if mu > 0:
            bs = [state["momentum_buffer"] for state in states]
            torch._foreach_mul_(bs, mu)
            torch._foreach_addcdiv_(bs, grads, ds)
            torch._foreach_add_(params, bs, alpha=-group["lr"])
        else:
            torch._foreach_addcdiv_(params, grads, ds, value=-group["lr"])


class AdaDelta(FromScratchOptimizer):
    r"""AdaDelta (Zeiler 2012), as ``torch.optim.Adadelta``.

    .. math::
        g &\leftarrow g + \mathrm{wd}\,\theta, \qquad
        s \leftarrow \rho s + (1-\rho) g^2, \qquad
        \Delta = \frac{\sqrt{d + \epsilon}}{\sqrt{s + \epsilon}}\, g \\
        d &\leftarrow \rho d + (1-\rho) \Delta^2, \qquad
        \theta \leftarrow \theta - \alpha \Delta

    The ratio of two RMS values gives the step the units of θ, so no learning rate is needed:
    ``lr`` α defaults to 1 and only scales Δ. State: ``square_avg`` (s), ``acc_delta`` (d) and
    ``step`` (for PyTorch's state layout).
    """

    def __init__(
        self,
        params: Iterable,
        lr: float | torch.Tensor = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        _check_non_negative(lr=lr, eps=eps, weight_decay=weight_decay)
        if not 0.0 <= rho <= 1.0:
            raise _invalid("rho", rho, "must be in [0, 1]")
        super().__init__(
            params,
            dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay),
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
        )

    def _init_state(self, state, p, group):
        state["step"] = self._new_step()
        state["square_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
        state["acc_delta"] = torch.zeros_like(p, memory_format=torch.preserve_format)

    def _update(self, p, g, state, group):
        rho, eps = group["rho"], group["eps"]
        self._advance(state)
        g = _l2(g, p, group["weight_decay"])
        s, d = state["square_avg"], state["acc_delta"]
        s.mul_(rho).addcmul_(g, g, value=1 - rho)  # s = rho*s + (1-rho)*g²
        delta = d.add(eps).sqrt_().div_(s.add(eps).sqrt_()).mul_(g)
        d.mul_(rho).addcmul_(delta, delta, value=1 - rho)  # d = rho*d + (1-rho)*delta²
        p.add_(delta, alpha=-group["lr"])

    def _foreach_update(self, params, grads, states, group):
        rho, eps = group["rho"], group["eps"]
        self._advance_all(states)
        grads = _foreach_l2(grads, params, group["weight_decay"])
        ss = [state["square_avg"] for state in states]
        ds = [state["acc_delta"] for state in states]
        torch._foreach_mul_(ss, rho)
        torch._foreach_addcmul_(ss, grads, grads, value=1 - rho)
        rms_s = torch._foreach_add(ss, eps)
        torch._foreach_sqrt_(rms_s)
        deltas = torch._foreach_add(ds, eps)
        torch._foreach_sqrt_(deltas)
        torch._foreach_div_(deltas, rms_s)
        torch._foreach_mul_(deltas, grads)
        torch._foreach_mul_(ds, rho)
        torch._foreach_addcmul_(ds, deltas, deltas, value=1 - rho)
        torch._foreach_add_(params, deltas, alpha=-group["lr"])


class Adam(FromScratchOptimizer):
    r"""Adam (Kingma & Ba 2015), as ``torch.optim.Adam``: momentum + RMSProp + bias correction.

    .. math::
        g &\leftarrow g + \mathrm{wd}\,\theta \qquad
            (\text{or } \theta \leftarrow \theta(1 - \alpha\,\mathrm{wd})
             \text{ when } \texttt{decoupled\_weight\_decay}) \\
        v &\leftarrow \beta_1 v + (1-\beta_1) g, \qquad
        s \leftarrow \beta_2 s + (1-\beta_2) g^2 \\
        \hat v &= v / (1-\beta_1^t), \qquad \hat s = s / (1-\beta_2^t), \qquad
        \theta \leftarrow \theta - \alpha\, \hat v / (\sqrt{\hat s} + \epsilon)

    with ``lr`` α, ``betas`` (β1, β2), ``weight_decay`` wd. ``amsgrad`` (Reddi et al. 2018)
    divides by the running maximum of ``s`` instead of ``s``. State (PyTorch's names):
    ``exp_avg`` (v), ``exp_avg_sq`` (s), ``max_exp_avg_sq`` and ``step`` (t).
    """

    _options_added_later = ("amsgrad", "decoupled_weight_decay")

    def __init__(
        self,
        params: Iterable,
        lr: float | torch.Tensor = 1e-3,
        betas: tuple[float | torch.Tensor, float | torch.Tensor] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        if torch.is_tensor(lr) and foreach:
            raise ValueError(
                "lr as a Tensor is not supported for capturable=False and "
                "foreach=True (as in torch.optim); pass a float"
            )
        _check_non_negative(lr=lr, eps=eps, weight_decay=weight_decay)
        betas = _check_betas(betas, foreach)
        super().__init__(
            params,
            dict(
                lr=lr,
                betas=betas,
                eps=eps,
                weight_decay=weight_decay,
                amsgrad=amsgrad,
                decoupled_weight_decay=decoupled_weight_decay,
            ),
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
        )

    def _init_state(self, state, p, group):
        state["step"] = self._new_step()
        state["exp_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
        state["exp_avg_sq"] = torch.zeros_like(p, memory_format=torch.preserve_format)
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = torch.zeros_like(p, memory_format=torch.preserve_format)

    def _update(self, p, g, state, group):
        beta1, beta2 = group["betas"]
        lr, weight_decay = group["lr"], group["weight_decay"]
        t = self._advance(state)
        if not group["decoupled_weight_decay"]:
            g = _l2(g, p, weight_decay)
        elif weight_decay != 0:
            p.mul_(1 - lr * weight_decay)
        v, s = state["exp_avg"], state["exp_avg_sq"]
        v.lerp_(g, 1 - beta1)  # v = beta1*v + (1-beta1)*g
        s.mul_(beta2).addcmul_(g, g, value=1 - beta2)  # s = beta2*s + (1-beta2)*g²
        if group["amsgrad"]:
            s = torch.maximum(state["max_exp_avg_sq"], s, out=state["max_exp_avg_sq"])
        # theta -= lr * v_hat / (sqrt(s_hat) + eps), with v_hat, s_hat the bias-corrected averages
        denom = (s.sqrt() / (1 - beta2**t) ** 0.5).add_(group["eps"])
        p.addcdiv_(v, denom, value=-lr / (1 - beta1**t))

    def _foreach_update(self, params, grads, states, group):
        beta1, beta2 = group["betas"]
        lr, weight_decay = group["lr"], group["weight_decay"]
        ts = self._advance_all(states)
        if not group["decoupled_weight_decay"]:
            grads = _foreach_l2(grads, params, weight_decay)
        elif weight_decay != 0:
            torch._foreach_mul_(params, 1 - lr * weight_decay)
        vs = [state["exp_avg"] for state in states]
        ss = [state["exp_avg_sq"] for state in states]
        torch._foreach_lerp_(vs, grads, 1 - beta1)
        torch._foreach_mul_(ss, beta2)
        torch._foreach_addcmul_(ss, grads, grads, value=1 - beta2)
        if group["amsgrad"]:
            ss = [state["max_exp_avg_sq"] for state in states]
            torch._foreach_maximum_(ss, [state["exp_avg_sq"] for state in states])
        denom = torch._foreach_sqrt(ss)
        torch._foreach_div_(denom, [(1 - beta2**t) ** 0.5 for t in ts])
        torch._foreach_add_(denom, group["eps"])
        torch._foreach_addcdiv_(params, vs, denom, [-lr / (1 - beta1**t) for t in ts])


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter 2019), as ``torch.optim.AdamW``.

    The decay shrinks the parameter directly, ``θ ← θ(1 - α·wd)``, instead of entering the
    gradient, so it is not divided by ``√ŝ`` like the loss gradient is; ``weight_decay``
    defaults to ``1e-2``. The rest is ``Adam``.
    """

    def __init__(
        self,
        params: Iterable,
        lr: float | torch.Tensor = 1e-3,
        betas: tuple[float | torch.Tensor, float | torch.Tensor] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True  # an AdamW is always decoupled, as in PyTorch
