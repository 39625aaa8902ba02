"""Classic mistakes in hw08 and hw09, in the form of ``tests/mistakes.py`` (on main).

To merge: append ``MISTAKES_HW08_HW09`` to ``MISTAKES`` in ``tests/mistakes.py``; each entry
was checked with ``tests/test_mistakes.py`` (the mistake applies to the solution, and the
visible test catches it).
"""

from mistakes import m

MISTAKES_HW08_HW09 = [
    # ---------------------------------------------------------------- hw08: rates on the quadratic model
    m("hw08", "gd_optimal", "uses alpha = 1 / lam_max", r"balance|2 / \(lam_min \+ lam_max\)|alpha\*? = 2",
      ("return 2.0 / (lam_min + lam_max),", "return 1.0 / lam_max,")),
    m("hw08", "gd_optimal", "writes the rate as 1 - 1 / kappa", r"kappa - 1\) / \(kappa \+ 1",
      ("(kappa - 1.0) / (kappa + 1.0)", "1.0 - 1.0 / kappa")),
    m("hw08", "momentum_optimal", "returns Polyak's step instead of the book's alpha", r"alpha \(1 - beta\)|Polyak|book's Momentum",
      ("float(1.0 / np.sqrt(lam_min * lam_max))", "float(4.0 / (np.sqrt(lam_max) + np.sqrt(lam_min)) ** 2)")),
    m("hw08", "momentum_optimal", "returns beta as the rate", r"sqrt\(beta\)",
      ("float(rate ** 2), float(rate)", "float(rate ** 2), float(rate ** 2)")),
    m("hw08", "momentum_spectral_radius", "takes the real part of complex eigenvalues", r"np\.abs|complex",
      ("np.max(np.abs(np.linalg.eigvals(M)))", "np.max(np.abs(np.linalg.eigvals(M).real))")),
    m("hw08", "momentum_spectral_radius", "forgets the (1 - beta) of the book's momentum", r"1 - beta",
      ("alpha * (1.0 - beta) * lam", "alpha * lam")),
    m("hw08", "measured_rate", "measures over the whole run", r"second half|T // 2|s = T",
      ("    s = T // 2\n", "    s = 0\n")),
    m("hw08", "measured_rate", "returns the total shrink instead of the factor per step", r"\*\* \(1 / \(T - s\)\)|per step",
      ("(d[T] / d[s]) ** (1.0 / (T - s))", "d[T] / d[s]")),
    # ---------------------------------------------------------------- hw09: clipping, EMA of weights, Lion
    m("hw09", "clip_by_global_norm", "clips each array by its own norm", r"ALL arrays|global",
      ("    scale = min(1.0, max_norm / (norm + 1e-6))\n    for g in grads.values():\n        g *= scale\n",
       "    for g in grads.values():\n        g *= min(1.0, max_norm / (float(np.sqrt(np.sum(g ** 2))) + 1e-6))\n")),
    m("hw09", "clip_by_global_norm", "also scales short gradients up", r"never scale .* up|min\(1",
      ("scale = min(1.0, max_norm / (norm + 1e-6))", "scale = max_norm / (norm + 1e-6)")),
    m("hw09", "clip_by_global_norm", "returns the norm after clipping", r"before clipping",
      ("    return norm\n", "    return min(norm, max_norm)\n")),
    m("hw09", "ema_of_weights", "forgets the bias correction", r"bias correction|1 - beta\*\*n",
      ("return {key: value / (1 - beta ** len(snapshots)) for key, value in a.items()}", "return a")),
    m("hw09", "ema_of_weights", "swaps beta and 1 - beta", r"\(1 - beta\)|newest",
      ("a = {key: beta * a[key] + (1 - beta) *", "a = {key: (1 - beta) * a[key] + beta *")),
    m("hw09", "lion_step", "updates v before taking the sign", r"OLD v|before v",
      ("    c = beta1 * v + (1 - beta1) * grad\n    param -= lr * (np.sign(c) + weight_decay * param)\n    v[...] = beta2 * v + (1 - beta2) * grad\n",
       "    v[...] = beta2 * v + (1 - beta2) * grad\n    param -= lr * (np.sign(beta1 * v + (1 - beta1) * grad) + weight_decay * param)\n")),
    m("hw09", "lion_step", "uses beta1 for the momentum state", r"beta2",
      ("v[...] = beta2 * v + (1 - beta2) * grad", "v[...] = beta1 * v + (1 - beta1) * grad")),
    m("hw09", "lion_step", "rebinds v instead of updating it in place", r"in place",
      ("v[...] = beta2 * v + (1 - beta2) * grad", "v = beta2 * v + (1 - beta2) * grad")),
    m("hw09", "lion_step", "applies weight decay through the gradient", r"decoupled|weight_decay \* p",
      ("    c = beta1 * v + (1 - beta1) * grad\n    param -= lr * (np.sign(c) + weight_decay * param)\n",
       "    c = beta1 * v + (1 - beta1) * (grad + weight_decay * param)\n    param -= lr * np.sign(c)\n")),
]
