"""The classic mistakes students make in each graded function, as edits of the solution.

Each :class:`Mistake` turns the solution of one answer cell (``function``, its nbgrader
``grade_id``) into the wrong version a student writes: ``edits`` are ``(old, new)`` text
replacements applied to the solution's code. ``names`` is a regular expression that the
feedback must match for the mistake to count as *named* (the words that point at the exact
line of thinking). Sources: the chapters' own warnings, the usual errors in the Deep Learning
Specialization's forums, and our own attempts at the homework.

``tests/test_mistakes.py`` grades every one of them as a submission.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mistake:
    assignment: str
    function: str
    description: str
    edits: tuple[tuple[str, str], ...]
    names: str

    @property
    def id(self) -> str:
        slug = "".join(ch if ch.isalnum() else "-" for ch in self.description.lower()).strip("-")
        return f"{self.assignment}-{self.function}-{slug[:40]}"

    def apply(self, source: str) -> str:
        for old, new in self.edits:
            if old not in source:
                raise ValueError(f"{self.id}: the solution of {self.function} no longer contains {old!r}")
            source = source.replace(old, new)
        return source


def m(assignment, function, description, names, *edits):
    return Mistake(assignment, function, description, tuple(edits), names)


MISTAKES = [
    # ---------------------------------------------------------------- hw01: mini-batches
    m("hw01", "batch_sizes", "drops the last, smaller mini-batch", r"last .*mini-batch|left over",
      (" + ([rest] if rest else [])", "")),
    m("hw01", "batch_sizes", "adds an empty mini-batch when batch_size divides m", r"empty",
      ("([rest] if rest else [])", "[rest]")),
    m("hw01", "batch_sizes", "accepts a batch size of zero", r"ValueError",
      ("    if m < 1 or batch_size < 1:\n", "    if False:\n")),
    m("hw01", "random_mini_batches", "shuffles X and Y with different permutations", r"same permutation|label",
      ("X_shuffled, Y_shuffled = X[:, order], Y[:, order]", "X_shuffled, Y_shuffled = X[:, order], Y[:, rng.permutation(m)]")),
    m("hw01", "random_mini_batches", "does not shuffle", r"shuffle",
      ("order = rng.permutation(m)", "order = np.arange(m)")),
    m("hw01", "random_mini_batches", "drops the last, smaller mini-batch", r"last|smaller|every example",
      ("range(0, m, batch_size)", "range(0, m - batch_size + 1, batch_size)")),
    m("hw01", "random_mini_batches", "shuffles with NumPy's global generator instead of rng", r"\brng\b",
      ("rng.permutation(m)", "np.random.permutation(m)")),
    m("hw01", "train_one_epoch", "never calls zero_grad", r"zero_grad",
      ("        optimizer.zero_grad()\n", "")),
    m("hw01", "train_one_epoch", "records the loss after the update", r"before the (update|step)",
      ("        losses.append(float(model.loss(Y_t, Y_hat)))\n", ""),
      ("        optimizer.step()\n", "        optimizer.step()\n        losses.append(float(model.loss(Y_t, model.forward(X_t))))\n")),
    m("hw01", "train_one_epoch", "never calls increase_epoch", r"increase_epoch",
      ("    optimizer.increase_epoch()\n", "")),
    m("hw01", "train_one_epoch", "calls increase_epoch after every mini-batch", r"increase_epoch",
      ("        optimizer.step()\n    optimizer.increase_epoch()\n", "        optimizer.step()\n        optimizer.increase_epoch()\n")),
    # ---------------------------------------------------------------- hw02: averages
    m("hw02", "ewma", "starts from the first value instead of v_0 = 0", r"v_0 = 0|start(s)? (from|at) (0|zero)",
      ("    v = 0.0\n", "    v = float(theta[0]) if len(theta) else 0.0\n")),
    m("hw02", "ewma", "swaps beta and 1 - beta", r"beta \* v|swap",
      ("v = beta * v + (1 - beta) * value", "v = (1 - beta) * v + beta * value")),
    m("hw02", "ewma", "returns float64 for a float32 series", r"dtype|float32",
      ("dtype = theta.dtype if theta.dtype == np.float32 else np.float64", "dtype = np.float64")),
    m("hw02", "ewma_with_bias_correction", "counts t from 0", r"t (starts at|=) 1|first step",
      ("start=1)", "start=0)"), ("corrected[t - 1]", "corrected[t]")),
    m("hw02", "ewma_with_bias_correction", "feeds the corrected value back into the average", r"uncorrected|store",
      ("        corrected[t - 1] = v / (1 - beta ** t)\n", "        v = v / (1 - beta ** t)\n        corrected[t - 1] = v\n")),
    m("hw02", "ewma_with_bias_correction", "divides by 1 - beta**(t+1)", r"1 - beta ?\*\* ?t",
      ("(1 - beta ** t)", "(1 - beta ** (t + 1))")),
    m("hw02", "effective_window", "returns 1/(1 - beta) rounded instead of the smallest k", r"smallest k|1/e",
      ("    k = 1\n    while beta ** k > 1 / math.e:\n        k += 1\n    return k\n", "    return round(1 / (1 - beta))\n")),
    m("hw02", "effective_window", "returns one less than the smallest k", r"smallest k|k >= 1|1/e",
      ("    return k\n", "    return k - 1\n")),
    m("hw02", "effective_window", "accepts beta = 1", r"ValueError",
      ("    if not 0 <= beta < 1:\n", "    if beta < 0:\n")),
    m("hw02", "moving_average", "averages the days seen so far instead of counting missing days as 0",
      r"before the first day|as 0|zero",
      ("        leaving = theta[t - window] if t >= window else 0.0\n        ma = ma + (theta[t] - leaving) / window\n        averages[t] = ma\n",
       "        averages[t] = theta[max(0, t - window + 1):t + 1].mean()\n")),
    m("hw02", "moving_average", "removes the day that leaves the window one day late", r"window",
      ("theta[t - window] if t >= window", "theta[t - window - 1] if t > window")),
    # ---------------------------------------------------------------- hw03: optimizer steps
    m("hw03", "momentum_step", "uses PyTorch's v = beta v + g", r"1 - beta",
      ("v = beta * v + (1 - beta) * g", "v = beta * v + g")),
    m("hw03", "momentum_step", "moves p with the old v", r"new v",
      ("    v = beta * v + (1 - beta) * g\n    p = p - lr * v\n", "    p = p - lr * v\n    v = beta * v + (1 - beta) * g\n")),
    m("hw03", "rmsprop_step", "puts eps inside the square root", r"eps.*outside|inside the square root",
      ("np.sqrt(s) + eps", "np.sqrt(s + eps)")),
    m("hw03", "rmsprop_step", "averages g instead of g squared", r"g ?\*\* ?2|squared",
      ("(1 - beta) * g ** 2", "(1 - beta) * np.abs(g)")),
    m("hw03", "rmsprop_step", "divides by the old s", r"new s",
      ("    s = beta * s + (1 - beta) * g ** 2\n    p = p - lr * g / (np.sqrt(s) + eps)\n",
       "    p = p - lr * g / (np.sqrt(s) + eps)\n    s = beta * s + (1 - beta) * g ** 2\n")),
    m("hw03", "adam_step", "uses s_hat where v_hat belongs", r"v_hat|first moment|numerator",
      ("p = p - lr * v_hat /", "p = p - lr * s_hat /")),
    m("hw03", "adam_step", "puts eps inside the square root", r"eps.*outside|inside the square root",
      ("np.sqrt(s_hat) + eps", "np.sqrt(s_hat + eps)")),
    m("hw03", "adam_step", "returns the bias-corrected averages", r"uncorrected",
      ("return p, v, s", "return p, v_hat, s_hat")),
    m("hw03", "adam_step", "forgets bias correction", r"bias correction",
      ("v_hat = v / (1 - beta1 ** t)", "v_hat = v"), ("s_hat = s / (1 - beta2 ** t)", "s_hat = s")),
    m("hw03", "adam_step", "counts t from 0", r"t (starts at|=) 1|first step",
      ("beta1 ** t", "beta1 ** (t + 1)"), ("beta2 ** t", "beta2 ** (t + 1)")),
    m("hw03", "pytorch_momentum_lr", "divides by 1 - beta", r"\(1 - beta\)|1 - beta",
      ("lr * (1 - beta)", "lr / (1 - beta)")),
    m("hw03", "pytorch_momentum_lr", "returns the same learning rate", r"\(1 - beta\)|1 - beta",
      ("lr * (1 - beta)", "lr")),
    # ---------------------------------------------------------------- hw04: schedules
    m("hw04", "staircase_decay", "forgets the floor", r"floor|//|integer",
      ("(t // interval)", "(t / interval)")),
    m("hw04", "staircase_decay", "decays exponentially instead of hyperbolically", r"1 \+ decay_rate",
      ("lr0 / (1 + decay_rate * (t // interval))", "lr0 * decay_rate ** (t // interval)")),
    m("hw04", "multistep_decay", "decays one step after each milestone", r"at the milestone|<=|reached",
      ("milestone <= t", "milestone < t")),
    m("hw04", "multistep_decay", "uses gamma ** (t // first milestone)", r"milestones|each milestone",
      ("gamma ** sum(1 for milestone in milestones if milestone <= t)", "gamma ** (t // milestones[0])")),
    m("hw04", "cosine_with_warmup", "starts the warmup above 0", r"from 0|t = 0|zero",
      ("lr0 * t / warmup", "lr0 * (t + 1) / warmup")),
    m("hw04", "cosine_with_warmup", "measures the cosine's progress from t = 0", r"after the warmup|total - warmup|warmup",
      ("(t - warmup) / (total - warmup)", "t / total")),
    m("hw04", "cosine_with_warmup", "keeps oscillating after total", r"after total|eta_min|beyond",
      ("        if t > total:\n            return eta_min\n", "")),
    m("hw04", "cosine_with_warmup", "ignores eta_min", r"eta_min",
      ("eta_min + (lr0 - eta_min) *", "lr0 *")),
    m("hw04", "suggest_lr", "takes the slope against the rate instead of its logarithm", r"log",
      ("np.log(lrs[skip_start:end])", "lrs[skip_start:end]")),
    m("hw04", "suggest_lr", "forgets bias correction in the smoothing", r"bias",
      ("smoothed[i] = average / (1 - beta ** (i + 1))", "smoothed[i] = average")),
    m("hw04", "suggest_lr", "returns the rate of the lowest loss", r"steepest|fastest|minimum",
      ("    slope = np.gradient(smoothed[skip_start:end], np.log(lrs[skip_start:end]))\n    return float(lrs[skip_start + np.argmin(slope)])\n",
       "    return float(lrs[int(np.argmin(smoothed))])\n")),
    m("hw04", "suggest_lr", "keeps the points after the minimum", r"minimum|diverg",
      ("end = int(np.argmin(smoothed)) + 1", "end = len(smoothed)")),
    # ---------------------------------------------------------------- hw05: saddle analysis
    m("hw05", "classify_critical_point", "assumes unsorted eigenvalues are sorted", r"sort|smallest|largest",
      ("np.linalg.eigvalsh(np.asarray(H, dtype=float))", "np.linalg.eigvals(np.asarray(H, dtype=float)).real")),
    m("hw05", "classify_critical_point", "uses the diagonal instead of the eigenvalues", r"eigenvalue|diagonal",
      ("np.linalg.eigvalsh(np.asarray(H, dtype=float))", "np.sort(np.diag(np.asarray(H, dtype=float)))")),
    m("hw05", "classify_critical_point", "never reports degenerate", r"degenerate|zero eigenvalue",
      ("    if np.any(np.abs(eigenvalues) <= zero):\n        return \"degenerate\"\n", "")),
    m("hw05", "classify_critical_point", "compares eigenvalues with an absolute tolerance", r"scale|relative|tol",
      ("zero = tol * max(1.0, float(np.max(np.abs(eigenvalues))))", "zero = tol")),
    m("hw05", "numerical_hessian", "uses forward differences", r"central",
      ("(np.asarray(grad(point + step)) - np.asarray(grad(point - step))) / (2 * h)",
       "(np.asarray(grad(point + step)) - np.asarray(grad(point))) / h")),
    m("hw05", "numerical_hessian", "does not symmetrise", r"symmetri",
      ("return (H + H.T) / 2", "return H")),
    m("hw05", "numerical_hessian", "divides by h instead of 2h", r"2 ?\*? ?h",
      ("/ (2 * h)", "/ h")),
    m("hw05", "fraction_of_minima", "does not symmetrise the random matrices", r"symmetri",
      ("H = (B + B.transpose(0, 2, 1)) / 2", "H = B")),
    m("hw05", "fraction_of_minima", "counts matrices with any positive eigenvalue", r"\ball\b",
      ("np.all(", "np.any(")),
    m("hw05", "fraction_of_minima", "draws from NumPy's global generator instead of rng", r"\brng\b",
      ("rng.standard_normal(", "np.random.standard_normal(")),
    m("hw05", "escape_step", "watches x instead of y", r"\by\b|second coordinate",
      ("abs(y)", "abs(x)")),
    m("hw05", "escape_step", "needs |y| > distance instead of >=", r">=|at least|reaches",
      ("abs(y) >= distance", "abs(y) > distance")),
    m("hw05", "escape_step", "returns -1 instead of None", r"None",
      ("    return None\n", "    return -1\n")),
    # ---------------------------------------------------------------- hw06: PyTorch
    m("hw06", "adam", "forgets bias correction", r"bias",
      ("v_hat = v / (1 - beta1 ** t)", "v_hat = v"), ("s_hat = s / (1 - beta2 ** t)", "s_hat = s")),
    m("hw06", "adam", "puts eps inside the square root", r"eps.*outside|inside the square root",
      ('(s_hat.sqrt() + group["eps"])', '(s_hat + group["eps"]).sqrt()')),
    m("hw06", "adam", "decouples the weight decay (AdamW) instead of adding it to the gradient",
      r"L2|add(ed)? to the gradient|coupled",
      ('g = g.add(p, alpha=group["weight_decay"])', 'p.mul_(1 - group["lr"] * group["weight_decay"])')),
    m("hw06", "adam", "ignores the closure's loss", r"closure",
      ("loss = closure()", "closure()")),
    m("hw06", "adam", "keeps the state across parameters in one dict", r"per parameter|self\.state\[p\]|each parameter",
      ("state = self.state[p]", "state = self.state[group['params'][0]]")),
    m("hw06", "fine_tuning_groups", "decays biases and normalisation weights too", r"bias|ndim|1-D|normali",
      ("weight_decay if p.ndim >= 2 else 0.0", "weight_decay")),
    m("hw06", "fine_tuning_groups", "includes frozen parameters", r"requires_grad|frozen",
      ("        if not p.requires_grad:\n            continue\n", "")),
    m("hw06", "fine_tuning_groups", "swaps the two learning rates", r"backbone",
      ("backbone_lr if id(p) in in_backbone else lr", "lr if id(p) in in_backbone else backbone_lr")),
    m("hw06", "unfreeze", "adds the parameters without making them trainable", r"requires_grad",
      ("    module.requires_grad_(True)\n", "")),
    m("hw06", "unfreeze", "adds the group without its learning rate", r"\blr\b",
      (', "lr": lr}', "}")),
    m("hw06", "train_epochs", "never calls zero_grad", r"zero_grad",
      ("            optimizer.zero_grad()\n", "")),
    m("hw06", "train_epochs", "steps the scheduler after every batch", r"once per epoch|per epoch|every batch",
      ("            losses.append(loss.item())\n",
       "            losses.append(loss.item())\n"
       "            if scheduler is not None and not isinstance(scheduler, lr_scheduler.ReduceLROnPlateau):\n"
       "                scheduler.step()\n"),
      ("        elif scheduler is not None:\n            scheduler.step()\n", "")),
    m("hw06", "train_epochs", "gives ReduceLROnPlateau the last loss instead of the epoch's mean", r"mean|average",
      ("scheduler.step(sum(losses) / len(losses))", "scheduler.step(losses[-1])")),
    m("hw06", "train_epochs", "records the rate after the scheduler stepped", r"before|start of (the|each) epoch",
      ("        rates.append(optimizer.param_groups[0][\"lr\"])\n", ""),
      ("        elif scheduler is not None:\n            scheduler.step()\n",
       "        elif scheduler is not None:\n            scheduler.step()\n        rates.append(optimizer.param_groups[0][\"lr\"])\n")),
]
