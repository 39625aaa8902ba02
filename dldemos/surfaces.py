"""Two-dimensional test surfaces and optimizer trajectories (chapters 3 and 5).

A loss surface of two parameters can be drawn, so the behaviour of an optimizer on it can
be watched: where it oscillates, where it stalls, where it escapes. Each surface here is a
:class:`Surface` holding its formula ``f(x, y)``, the exact gradient and Hessian, a
start point, plot bounds and its known critical points. The functions broadcast over
NumPy arrays, so ``surface.f(X, Y)`` on a ``meshgrid`` gives a contour plot and
``surface.grad(X, Y)`` (shape ``(2, *X.shape)``) a quiver plot.

The catalogue, one difficulty each:

=====================  =============================================================
``quadratic``          ill-conditioned bowl: zig-zags across, crawls along
``rosenbrock``         the classic narrow parabolic valley, minimum at (a, a^2)
``beale``              steep walls, flat floor, a saddle at (0, 1)
``saddle``             ``x^2 - y^2``: the simplest saddle point
``monkey_saddle``      ``x^3 - 3xy^2``: a degenerate critical point (zero Hessian)
``plateau``            a wide region of tiny gradients around one well
``curved_valley``      pathological curvature: a long, narrow, winding valley
``narrow_well``        a steep narrow minimum inside a gentle bowl
=====================  =============================================================

:func:`run_optimizer` drives any :mod:`dldemos.optim` optimizer over a surface and
returns its trajectory; :func:`classify_critical_point` reads the kind of a critical
point off the Hessian's eigenvalues.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from dldemos.seeding import make_rng

Point = tuple[float, float]


class CriticalPoint(NamedTuple):
    """A point where the gradient vanishes, and its kind: ``"minimum"``, ``"maximum"``,
    ``"saddle"`` or ``"degenerate"`` (a zero Hessian eigenvalue: the second-order test
    cannot tell)."""

    x: float
    y: float
    kind: str


@dataclass(frozen=True)
class Surface:
    """A 2-D test function with everything needed to optimise and plot it.

    ``f(x, y)``, ``grad(x, y) -> [df/dx, df/dy]`` (shape ``(2, ...)``) and
    ``hessian(x, y) -> [[f_xx, f_xy], [f_xy, f_yy]]`` (shape ``(2, 2, ...)``) broadcast
    over arrays. ``bounds = ((x_min, x_max), (y_min, y_max))`` frames the interesting part.
    """

    name: str
    f: Callable
    grad: Callable
    hessian: Callable
    start: Point
    bounds: tuple[Point, Point]
    critical_points: tuple[CriticalPoint, ...]
    description: str = ""

    @property
    def minima(self) -> tuple[Point, ...]:
        """The known local (or global) minima."""
        return tuple((p.x, p.y) for p in self.critical_points if p.kind == "minimum")


def _vector(x, y, fx, fy) -> np.ndarray:
    """``[fx, fy]`` with every entry broadcast to the shape of the point(s) ``(x, y)``."""
    fx, fy, _, _ = np.broadcast_arrays(fx, fy, x, y)
    return np.stack([fx, fy])


def _matrix(x, y, fxx, fxy, fyy) -> np.ndarray:
    """``[[fxx, fxy], [fxy, fyy]]`` with every entry broadcast to the shape of ``(x, y)``."""
    fxx, fxy, fyy, _, _ = np.broadcast_arrays(fxx, fxy, fyy, x, y)
    return np.stack([np.stack([fxx, fxy]), np.stack([fxy, fyy])])


def quadratic(condition_number: float = 10.0, rotation_deg: float = 0.0) -> Surface:
    """An ill-conditioned bowl ``f = 1/2 p^T A p`` with ``A = R diag(1, kappa) R^T``.

    The curvature across the bowl is ``kappa = condition_number`` times the curvature
    along it. Gradient descent must keep ``lr < 2 / kappa`` to stay stable across the
    bowl, and with such a step it needs about ``kappa`` steps to travel along it: the
    zig-zag that momentum damps. ``R`` rotates the axes by ``rotation_deg``; at 0 the
    axes are the coordinate axes, which per-coordinate methods (AdaGrad, RMSProp, Adam)
    exploit, while a rotated bowl takes that advantage away.
    Gradient ``A p``, Hessian ``A``; the minimum is the origin.
    """
    if not condition_number >= 1:
        raise ValueError(f"condition_number must be >= 1, got {condition_number!r}")
    angle = math.radians(rotation_deg)
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    A = rotation @ np.diag([1.0, float(condition_number)]) @ rotation.T
    a, b, c = A[0, 0], A[0, 1], A[1, 1]
    return Surface(
        name=f"quadratic (condition number {condition_number:g})",
        f=lambda x, y: 0.5 * (a * x**2 + 2 * b * x * y + c * y**2),
        grad=lambda x, y: _vector(x, y, a * x + b * y, b * x + c * y),
        hessian=lambda x, y: _matrix(x, y, a, b, c),
        start=(-4.0, 2.0),
        bounds=((-5.0, 5.0), (-3.0, 3.0)),
        critical_points=(CriticalPoint(0.0, 0.0, "minimum"),),
        description="ill-conditioned bowl: oscillates across, crawls along",
    )


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Surface:
    """Rosenbrock's banana function ``f = (a - x)^2 + b (y - x^2)^2`` (Rosenbrock 1960).

    The minimum ``(a, a^2)`` lies at the bottom of a narrow curved valley along
    ``y = x^2``: finding the valley is easy, following it to the minimum is not.
    ``df/dx = -2 (a - x) - 4 b x (y - x^2)``, ``df/dy = 2 b (y - x^2)``;
    ``f_xx = 2 - 4 b y + 12 b x^2``, ``f_xy = -4 b x``, ``f_yy = 2 b``.
    """
    return Surface(
        name="Rosenbrock",
        f=lambda x, y: (a - x) ** 2 + b * (y - x**2) ** 2,
        grad=lambda x, y: _vector(x, y, -2 * (a - x) - 4 * b * x * (y - x**2), 2 * b * (y - x**2)),
        hessian=lambda x, y: _matrix(x, y, 2 - 4 * b * y + 12 * b * x**2, -4 * b * x, 2 * b),
        start=(-1.5, 2.0),
        bounds=((-2.0, 2.0), (-1.0, 3.0)),
        critical_points=(CriticalPoint(a, a**2, "minimum"),),
        description="narrow parabolic valley",
    )


_BEALE_C = (1.5, 2.25, 2.625)


def beale() -> Surface:
    """Beale's function ``f = sum_{i=1..3} r_i^2`` with ``r_i = c_i - x + x y^i``,
    ``c = (1.5, 2.25, 2.625)``.

    Steep walls around a flat floor, a global minimum at ``(3, 0.5)`` and a saddle point
    at ``(0, 1)`` (there every ``dr_i/dx = y^i - 1`` and ``dr_i/dy = i x y^(i-1)`` vanish).
    With ``dr_i/dx = y^i - 1`` and ``dr_i/dy = i x y^(i-1)``:
    ``df/dx = 2 sum r_i (y^i - 1)``, ``df/dy = 2 sum r_i i x y^(i-1)``,
    ``f_xx = 2 sum (y^i - 1)^2``, ``f_xy = 2 sum [i x y^(i-1) (y^i - 1) + r_i i y^(i-1)]``,
    ``f_yy = 2 sum [(i x y^(i-1))^2 + r_i i (i-1) x y^(i-2)]``.
    """

    def residuals(x, y):
        return [(c - x + x * y**i, i) for i, c in enumerate(_BEALE_C, start=1)]

    def f(x, y):
        return sum(r**2 for r, _ in residuals(x, y))

    def grad(x, y):
        fx = sum(2 * r * (y**i - 1) for r, i in residuals(x, y))
        fy = sum(2 * r * i * x * y ** (i - 1) for r, i in residuals(x, y))
        return _vector(x, y, fx, fy)

    def hessian(x, y):
        fxx = sum(2 * (y**i - 1) ** 2 for _, i in residuals(x, y))
        fxy = sum(
            2 * (i * x * y ** (i - 1) * (y**i - 1) + r * i * y ** (i - 1))
            for r, i in residuals(x, y)
        )
        fyy = sum(
            2 * ((i * x * y ** (i - 1)) ** 2 + (r * i * (i - 1) * x * y ** (i - 2) if i > 1 else 0))
            for r, i in residuals(x, y)
        )
        return _matrix(x, y, fxx, fxy, fyy)

    return Surface(
        name="Beale",
        f=f,
        grad=grad,
        hessian=hessian,
        start=(1.0, 1.5),
        bounds=((-4.5, 4.5), (-4.5, 4.5)),
        critical_points=(CriticalPoint(3.0, 0.5, "minimum"), CriticalPoint(0.0, 1.0, "saddle")),
        description="flat floor between steep walls, with a saddle at (0, 1)",
    )


def saddle(downhill: float = 1.0) -> Surface:
    """The saddle ``f = x^2 - downhill y^2``: a minimum along x, a maximum along y.

    Gradient ``(2x, -2 downhill y)``, Hessian ``diag(2, -2 downhill)``: one positive and one
    negative eigenvalue at the origin. Started on the x axis, gradient descent walks straight
    into the saddle and stays; the start ``y = 1e-3`` is a small nudge off the axis, which
    grows by a factor ``1 + 2 downhill lr`` per step until the optimizer escapes (f is
    unbounded below along y). ``downhill < 1`` makes a shallow saddle, whose way out curves
    down less than the walls curve up (chapter 5).
    """
    name = "saddle x^2 - y^2" if downhill == 1 else f"saddle x^2 - {downhill:g} y^2"
    return Surface(
        name=name,
        f=lambda x, y: x**2 - downhill * y**2,
        grad=lambda x, y: _vector(x, y, 2 * x, -2 * downhill * y),
        hessian=lambda x, y: _matrix(x, y, 2, 0, -2 * downhill),
        start=(-1.5, 1e-3),
        bounds=((-2.0, 2.0), (-2.0, 2.0)),
        critical_points=(CriticalPoint(0.0, 0.0, "saddle"),),
        description="the simplest saddle point",
    )


def monkey_saddle() -> Surface:
    """The monkey saddle ``f = x^3 - 3 x y^2 = r^3 cos(3 theta)``: three valleys, three ridges.

    Gradient ``(3x^2 - 3y^2, -6xy)`` and Hessian ``[[6x, -6y], [-6y, -6x]]`` both vanish
    at the origin, so the second-order test says nothing there (a degenerate critical
    point); the gradient shrinks like ``r^2`` near it, so optimizers slow down as on a
    plateau. Descent from the start, just off the ridge ``theta = 0``, first runs along the
    ridge towards the origin and slows down, then slides off into the valley at
    ``theta = 60`` degrees (f is unbounded below there).
    """
    return Surface(
        name="monkey saddle x^3 - 3xy^2",
        f=lambda x, y: x**3 - 3 * x * y**2,
        grad=lambda x, y: _vector(x, y, 3 * x**2 - 3 * y**2, -6 * x * y),
        hessian=lambda x, y: _matrix(x, y, 6 * x, -6 * y, -6 * x),
        start=(1.0, 1e-3),
        bounds=((-1.5, 1.5), (-1.5, 1.5)),
        critical_points=(CriticalPoint(0.0, 0.0, "degenerate"),),
        description="degenerate critical point: zero gradient and zero curvature",
    )


def plateau(width: float = 1.0) -> Surface:
    """A well in a plateau: ``f = 1 - e`` with ``e = exp(-(x^2 + y^2) / (2 w^2))``.

    Far from the origin f is almost exactly 1 and its gradient
    ``(x, y) e / w^2`` is tiny (about ``4e-4 / w`` at the start ``(3.5 w, 2.5 w)``), yet every
    gradient points straight down into the well at the origin. Plain gradient descent
    crawls across the plateau; momentum builds up speed and adaptive methods rescale the
    small gradient. ``f_xx = e (1 - x^2/w^2) / w^2``, ``f_xy = -x y e / w^4``,
    ``f_yy = e (1 - y^2/w^2) / w^2``.
    """
    if not width > 0:
        raise ValueError(f"width must be positive, got {width!r}")
    w2 = float(width) ** 2

    def e(x, y):
        return np.exp(-(x**2 + y**2) / (2 * w2))

    return Surface(
        name="plateau",
        f=lambda x, y: 1 - e(x, y),
        grad=lambda x, y: _vector(x, y, x * e(x, y) / w2, y * e(x, y) / w2),
        hessian=lambda x, y: _matrix(
            x,
            y,
            e(x, y) * (1 - x**2 / w2) / w2,
            -x * y * e(x, y) / w2**2,
            e(x, y) * (1 - y**2 / w2) / w2,
        ),
        start=(3.5 * width, 2.5 * width),
        bounds=((-4.0 * width, 4.0 * width), (-4.0 * width, 4.0 * width)),
        critical_points=(CriticalPoint(0.0, 0.0, "minimum"),),
        description="tiny gradients over a wide region, one well in the middle",
    )


def curved_valley(
    steepness: float = 20.0, slope: float = 0.05, amplitude: float = 1.0, frequency: float = 0.8
) -> Surface:
    """Pathological curvature: ``f = k/2 (y - A sin(w x))^2 + s/2 x^2``.

    The floor of the valley winds along the curve ``y = A sin(w x)``; across it the
    curvature is about ``k = steepness``, along it only ``s = slope``, and the direction of
    the valley keeps turning, so neither a fixed step nor a fixed per-coordinate scaling
    suits it. The only critical point is the minimum at the origin (``df/dy = 0`` puts a
    point on the floor, where ``df/dx = s x``).
    With ``u = y - A sin(w x)`` and ``c = A w cos(w x)``:
    ``df/dx = -k u c + s x``, ``df/dy = k u``, ``f_xx = k c^2 + k u A w^2 sin(w x) + s``,
    ``f_xy = -k c``, ``f_yy = k``.
    """
    k, s, A, w = float(steepness), float(slope), float(amplitude), float(frequency)
    if not (k > 0 and s > 0):
        raise ValueError(f"steepness and slope must be positive, got {steepness!r} and {slope!r}")

    def u(x, y):
        return y - A * np.sin(w * x)

    def c(x):
        return A * w * np.cos(w * x)

    return Surface(
        name="curved valley",
        f=lambda x, y: 0.5 * k * u(x, y) ** 2 + 0.5 * s * x**2,
        grad=lambda x, y: _vector(x, y, -k * u(x, y) * c(x) + s * x, k * u(x, y)),
        hessian=lambda x, y: _matrix(
            x, y, k * c(x) ** 2 + k * u(x, y) * A * w**2 * np.sin(w * x) + s, -k * c(x), k
        ),
        start=(-7.0, 1.5),
        bounds=((-8.0, 8.0), (-3.0, 3.0)),
        critical_points=(CriticalPoint(0.0, 0.0, "minimum"),),
        description="long, narrow, winding valley",
    )


def narrow_well(depth: float = 1.0, width: float = 0.1, bowl: float = 0.1) -> Surface:
    """A steep narrow minimum in a gentle bowl: ``f = b/2 (x^2 + y^2) - d e``,
    ``e = exp(-(x^2 + y^2) / (2 w^2))``.

    Outside the well the curvature is ``b = bowl``; at its bottom (the origin, the only
    critical point) it is ``b + d / w^2`` (100.1 with the defaults). A learning rate that
    walks the bowl comfortably (``lr < 2 / b``) is far too large for the well
    (``lr < 2 / (b + d / w^2)``): gradient descent overshoots it and keeps bouncing,
    until the step is decayed. With ``g = b + d e / w^2``:
    ``df/dx = x g``, ``df/dy = y g``, ``f_xx = g - d e x^2 / w^4``,
    ``f_xy = -d e x y / w^4``, ``f_yy = g - d e y^2 / w^4``.
    """
    d, w2, b = float(depth), float(width) ** 2, float(bowl)
    if not (d > 0 and w2 > 0 and b > 0):
        raise ValueError(
            f"depth, width and bowl must be positive, got {depth!r}, {width!r}, {bowl!r}"
        )

    def e(x, y):
        return np.exp(-(x**2 + y**2) / (2 * w2))

    def g(x, y):
        return b + d * e(x, y) / w2

    return Surface(
        name="narrow well",
        f=lambda x, y: 0.5 * b * (x**2 + y**2) - d * e(x, y),
        grad=lambda x, y: _vector(x, y, x * g(x, y), y * g(x, y)),
        hessian=lambda x, y: _matrix(
            x,
            y,
            g(x, y) - d * e(x, y) * x**2 / w2**2,
            -d * e(x, y) * x * y / w2**2,
            g(x, y) - d * e(x, y) * y**2 / w2**2,
        ),
        start=(2.5, 1.5),
        bounds=((-3.0, 3.0), (-3.0, 3.0)),
        critical_points=(CriticalPoint(0.0, 0.0, "minimum"),),
        description="steep narrow minimum inside a gentle bowl",
    )


SURFACES: dict[str, Callable[..., Surface]] = {
    "quadratic": quadratic,
    "rosenbrock": rosenbrock,
    "beale": beale,
    "saddle": saddle,
    "monkey_saddle": monkey_saddle,
    "plateau": plateau,
    "curved_valley": curved_valley,
    "narrow_well": narrow_well,
}
"""Name -> factory; ``SURFACES[name](**parameters)`` builds a surface."""


def _as_point(point) -> np.ndarray:
    p = np.asarray(point, dtype=np.float64)
    if p.shape != (2,) or not np.all(np.isfinite(p)):
        raise ValueError(f"a point must be two finite numbers (x, y), got {point!r}")
    return p


def run_optimizer(
    optimizer, surface: Surface, start=None, num_steps: int = 100, **optimizer_kwargs
) -> np.ndarray:
    """Let an optimizer walk down ``surface`` and return the points it visits.

    ``optimizer`` is a :mod:`dldemos.optim` class or any factory called as
    ``optimizer(param_dict, **optimizer_kwargs)`` (pass ``learning_rate=`` there), with
    ``param_dict = {"xy": np.array([x, y])}``. Every step is the training loop's
    ``zero_grad(); add_grad({"xy": grad}); step()`` with the exact gradient at the current
    point, followed by ``increase_epoch()``: one step sees all the "data", so it is also
    one epoch, and epoch-based schedules advance.

    Returns the trajectory, an array of shape ``(num_steps + 1, 2)`` starting at ``start``
    (default ``surface.start``). A run that diverges stops early: when a point or its
    gradient is no longer finite the trajectory ends there, with fewer than
    ``num_steps + 1`` rows (the last row may hold ``inf`` or ``nan``).
    """
    if not isinstance(num_steps, (int, np.integer)) or num_steps < 0:
        raise ValueError(f"num_steps must be a non-negative integer, got {num_steps!r}")
    xy = _as_point(surface.start if start is None else start).copy()
    opt = optimizer({"xy": xy}, **optimizer_kwargs)
    trajectory = [xy.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(num_steps):
            grad = surface.grad(xy[0], xy[1])
            if not np.all(np.isfinite(grad)):
                break
            opt.zero_grad()
            opt.add_grad({"xy": grad})
            opt.step()
            opt.increase_epoch()
            trajectory.append(xy.copy())
            if not np.all(np.isfinite(xy)):
                break
    return np.array(trajectory)


def hessian_eigenvalues(surface: Surface, point) -> np.ndarray:
    """The eigenvalues of the Hessian at ``point``, in ascending order: the curvatures
    along the two principal directions."""
    x, y = _as_point(point)
    return np.linalg.eigvalsh(surface.hessian(x, y))


def classify_critical_point(
    surface: Surface, point, tol: float = 1e-8, grad_tol: float = 1e-6
) -> str:
    """The second-order test at a critical point, from the Hessian's eigenvalues.

    Both eigenvalues positive: ``"minimum"``; both negative: ``"maximum"``; one of each:
    ``"saddle"``; an eigenvalue within ``tol * max(1, |lambda|_max)`` of zero:
    ``"degenerate"`` (higher derivatives decide, as at the monkey saddle). Raises
    ``ValueError`` when the gradient norm at ``point`` exceeds ``grad_tol``: only critical
    points have a kind.
    """
    x, y = _as_point(point)
    grad_norm = float(np.linalg.norm(surface.grad(x, y)))
    if grad_norm > grad_tol:
        raise ValueError(
            f"({x:g}, {y:g}) is not a critical point of {surface.name}: "
            f"the gradient norm there is {grad_norm:.3g} > grad_tol={grad_tol:g}"
        )
    eigenvalues = hessian_eigenvalues(surface, (x, y))
    zero = tol * max(1.0, float(np.max(np.abs(eigenvalues))))
    if eigenvalues[0] < -zero and eigenvalues[-1] > zero:
        return "saddle"
    if np.any(np.abs(eigenvalues) <= zero):
        return "degenerate"
    return "minimum" if eigenvalues[0] > 0 else "maximum"


def with_gradient_noise(surface: Surface, noise: float, seed: int = 0) -> Surface:
    """The same surface, but every gradient comes with ``N(0, noise^2)`` added to each
    component: a stand-in for a mini-batch gradient, the true gradient plus sampling noise
    (chapter 4's noise floor, chapter 5's escape from exactly on a saddle's ridge).

    Each call of ``grad`` draws fresh noise from one generator seeded with ``seed``, so a run
    of :func:`run_optimizer` (one gradient per step) is reproducible. ``f`` and ``hessian``
    stay exact.
    """
    if not (math.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite standard deviation >= 0, got {noise!r}")
    rng = make_rng(seed)
    exact = surface.grad
    return dataclasses.replace(
        surface, grad=lambda x, y: exact(x, y) + noise * rng.standard_normal(2)
    )


def fraction_positive_definite(dimensions, num_samples: int, seed: int = 0) -> dict[int, float]:
    """For each ``n`` of ``dimensions``: the fraction of ``num_samples`` random symmetric
    ``n x n`` matrices ``(A + A^T) / 2`` (``A`` with standard normal entries) whose
    eigenvalues are all positive, i.e. of random "critical points" that are minima.

    Chapter 5 compares it with ``0.5**n``, the chance if each eigenvalue's sign were an
    independent coin flip. One generator seeded with ``seed`` draws the matrices of every
    ``n`` in turn.
    """
    if not isinstance(num_samples, (int, np.integer)) or num_samples < 1:
        raise ValueError(f"num_samples must be a positive integer, got {num_samples!r}")
    rng = make_rng(seed)
    fractions = {}
    for n in dimensions:
        A = rng.standard_normal((num_samples, n, n))
        smallest = np.linalg.eigvalsh((A + A.transpose(0, 2, 1)) / 2)[:, 0]
        fractions[int(n)] = float(np.mean(smallest > 0))
    return fractions
