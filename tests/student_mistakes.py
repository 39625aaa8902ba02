"""Mistakes a student could make in the homework, written without the grader's lists.

This set was made independently: its author read only the task statements of
solutions/hw01 ... hw09 (the markdown, the answer cells and the visible test cells) and
never opened the grader's own mistake lists, the mutants or the diagnosis code. Each entry
is what a student might plausibly hand in for one answer cell: the solution's answer-cell
source with the text replacements in ``edits`` applied (every ``old`` occurs exactly in
that cell), and one sentence saying what the student did. Every edited cell runs and gives
results different from the solution's on some input (checked by executing the edited cell
beside the original on a few inputs).

The set is used to measure how well the feedback names mistakes that nobody listed in
advance: a held-out test of the grader's diagnosis, not a list it is built from.
"""

from typing import NamedTuple


class StudentMistake(NamedTuple):
    assignment: str
    function_grade_id: str
    edits: list  # (old, new) replacements applied to the answer cell's source
    what_the_student_did: str
    names: str = ""  # a regex (case-insensitive) that a correct description of the mistake matches


M = StudentMistake

STUDENT_MISTAKES = [
    # ---- hw01: mini-batch gradient descent
    M(
        "hw01",
        "batch_sizes",
        [("return [batch_size] * full + ([rest] if rest else [])", "return [batch_size] * full")],
        "Returned only the full mini-batches and dropped the smaller last one.",
        r"\b(drop\w*|omit\w*|miss\w*|lost|los[et]s?|forg[eo]t\w*|without)\b[^.]*\b(last|smaller|partial|rest|remainder|left ?over)|\b(last|smaller|partial|remainder|left ?over)\b[^.]*\b(dropped|missing|lost|omitted|discarded)|only (the )?full",
    ),
    M(
        "hw01",
        "batch_sizes",
        [("if m < 1 or batch_size < 1:", "if m <= 1 or batch_size <= 1:")],
        "Rejected the boundary values m = 1 and batch_size = 1 (stochastic gradient descent) with a ValueError.",
        r"boundary|\bm ?= ?1|batch_size ?= ?1|<= ?1|at least 1|reject|stochastic|\bvalid\w*[^.]*\b1\b",
    ),
    M(
        "hw01",
        "random_mini_batches",
        [
            (
                "X_shuffled, Y_shuffled = X[:, order], Y[:, order]",
                "X_shuffled, Y_shuffled = X[:, order], Y[:, rng.permutation(m)]",
            )
        ],
        "Drew a second permutation for Y, so the examples lose their labels.",
        r"(second|separate|different|two|another|independent\w*)[^.]*(permutation|shuffle|order)|labels?",
    ),
    M(
        "hw01",
        "random_mini_batches",
        [
            (
                "for start in range(0, m, batch_size)]",
                "for start in range(0, m - batch_size + 1, batch_size)]",
            )
        ],
        "Stopped the loop one mini-batch early, losing the last, smaller mini-batch.",
        r"(last|smaller|final|partial)[^.]*(batch|mini)|early|\bstop",
    ),
    M(
        "hw01",
        "train_one_epoch",
        [("        optimizer.zero_grad()\n", "")],
        "Forgot optimizer.zero_grad(), so the gradients of all mini-batches pile up.",
        r"\b(forg[eo]t\w*|never|miss\w*|without|no|omit\w*|skip\w*)\b[^.]*\b(zero_grad|clear\w*|reset\w*)|accumulat|pile|add up|summ?(ed|ing)? (up|together)",
    ),
    M(
        "hw01",
        "train_one_epoch",
        [
            ("        losses.append(float(model.loss(Y_t, Y_hat)))\n", ""),
            (
                "        optimizer.step()\n",
                "        optimizer.step()\n        losses.append(float(model.loss(Y_t, model.forward(X_t))))\n",
            ),
        ],
        "Recorded the loss after the update instead of before it.",
        r"loss[^.]*\b(after|updated|new parameters|second forward)|\b(after|once)\b[^.]*(update|step)[^.]*\bloss",
    ),
    # ---- hw02: exponentially weighted averages
    M(
        "hw02",
        "ewma",
        [("v = beta * v + (1 - beta) * value", "v = (1 - beta) * v + beta * value")],
        "Swapped the weights beta and 1 - beta in the update.",
        r"swap|revers|interchang|beta and 1 ?- ?beta|1 ?- ?beta and beta|wrong weights?|weights? (of|on) (the )?(new|old)",
    ),
    M(
        "hw02",
        "ewma",
        [("averages = np.empty(theta.shape, dtype=dtype)", "averages = np.zeros(len(theta))")],
        "Stored the averages in a float64 array, so a float32 series gives float64.",
        r"float64|float32|dtype|\btype|precision",
    ),
    M(
        "hw02",
        "ewma_with_bias_correction",
        [
            (
                "        corrected[t - 1] = v / (1 - beta ** t)\n",
                "        v = v / (1 - beta ** t)\n        corrected[t - 1] = v\n",
            )
        ],
        "Fed the corrected value back into the recursion instead of keeping the raw average.",
        r"fe[de]\w* back|back into|recursi|overwr|reus|replac|corrected (value|average) (as|in|into)",
    ),
    M(
        "hw02",
        "effective_window",
        [("while beta ** k > 1 / math.e:", "while beta ** k > 0.5:")],
        "Computed the half-life (weight at most 1/2) instead of the 1/e window.",
        r"half|0\.5|1/2|one half",
    ),
    M(
        "hw02",
        "effective_window",
        [("if not 0 <= beta < 1:", "if not 0 < beta < 1:")],
        "Rejected beta = 0, which is allowed.",
        r"reject|strict|0 ?<=? ?beta|exclu|(check|condition|bound|range|test)[^.]*(strict|wrong|0 ?<)",
    ),
    M(
        "hw02",
        "moving_average",
        [("leaving = theta[t - window] if t >= window else 0.0", "leaving = theta[t - window]")],
        "Forgot that the first days have nothing to drop, so negative indices wrap to the end of the series.",
        r"negative|wrap|end of (the )?(series|array)|last (values|days)|t ?- ?window|index|ignores the condition `t >= window`",
    ),
    # ---- hw03: momentum, RMSProp and Adam
    M(
        "hw03",
        "momentum_step",
        [
            (
                "    v = beta * v + (1 - beta) * g\n    p = p - lr * v\n",
                "    p = p - lr * v\n    v = beta * v + (1 - beta) * g\n",
            )
        ],
        "Moved the parameter with the old velocity before updating it.",
        r"\bold\b|previous|stale|order|before (updat|comput)",
    ),
    M(
        "hw03",
        "momentum_step",
        [
            (
                "    v = beta * v + (1 - beta) * g\n    p = p - lr * v\n",
                "    v *= beta\n    v += (1 - beta) * g\n    p -= lr * v\n",
            )
        ],
        "Updated v and p in place, modifying the caller's arrays.",
        r"in[- ]place|caller|mutat|modif|overwr|\*=|-=|\+=",
    ),
    M(
        "hw03",
        "rmsprop_step",
        [("(np.sqrt(s) + eps)", "(s + eps) ** 0.5")],
        "Put epsilon inside the square root.",
        r"eps\w*[^.]*(inside|under|within|in the (root|sqrt))|(inside|under)[^.]*(root|sqrt)|sqrt\(s ?\+ ?eps",
    ),
    M(
        "hw03",
        "adam_step",
        [
            (
                "    v_hat = v / (1 - beta1 ** t)\n    s_hat = s / (1 - beta2 ** t)\n",
                "    v_hat, s_hat = v, s\n",
            )
        ],
        "Left out the bias correction.",
        r"\b(left|leaves|leave|without|no|omit\w*|skip\w*|forg[eo]t\w*|drop\w*)\b[^.]*bias[- ]correct|uncorrected (averages|moments)|\b(neither|both|either)\b",
    ),
    M(
        "hw03",
        "adam_step",
        [("return p, v, s", "return p, v_hat, s_hat")],
        "Returned the bias-corrected averages as the new state.",
        r"return\w*[^.]*(correct|hat)|new state|as (the )?(stored )?state",
    ),
    M(
        "hw03",
        "pytorch_momentum_lr",
        [("return lr * (1 - beta)", "return lr / (1 - beta)")],
        "Divided by 1 - beta instead of multiplying.",
        r"divid|\binver|recipro|instead of multipl",
    ),
    # ---- hw04: learning-rate schedules
    M(
        "hw04",
        "staircase_decay",
        [("(t // interval)", "(t / interval)")],
        "Used true division, so the rate decays smoothly instead of in stairs.",
        r"true division|floor|//|integer division|smooth|continu|round",
    ),
    M(
        "hw04",
        "multistep_decay",
        [("if milestone <= t", "if milestone < t")],
        "Dropped the rate one epoch after each milestone instead of at it.",
        r"< ?t\b|<=|strict|\blate\b|after (the|each) milestone|off[- ]by[- ]one|equal",
    ),
    M(
        "hw04",
        "cosine_with_warmup",
        [("progress = (t - warmup) / (total - warmup)", "progress = t / total")],
        "Measured the cosine's progress from step 0 instead of from the end of the warmup.",
        r"progress|t ?/ ?total|(from|at) (step |t ?= ?)?0[^.]*(cosine|instead)|cosine[^.]*(from|at) (step |t ?= ?)?0|not (from|after) (the end of )?(the )?warm|ignor\w* (the )?warm",
    ),
    M(
        "hw04",
        "cosine_with_warmup",
        [("        if t > total:\n            return eta_min\n", "")],
        "Let the cosine continue past total, so the rate climbs back up.",
        r"past|beyond|after (the )?total|t ?> ?total|climb|rises|increas|clamp|eta_min",
    ),
    M(
        "hw04",
        "suggest_lr",
        [("smoothed[i] = average / (1 - beta ** (i + 1))", "smoothed[i] = average")],
        "Smoothed the losses without bias correction.",
        r"bias|correct|1 ?- ?beta",
    ),
    M(
        "hw04",
        "suggest_lr",
        [("return float(lrs[skip_start + np.argmin(slope)])", "return float(lrs[end - 1])")],
        "Suggested the rate where the smoothed loss is lowest instead of where it falls fastest.",
        r"lowest|smallest|minim(um|al) (smoothed )?loss|minimum of (the )?smooth|(loss|smoothed)[^.]*(is )?(lowest|smallest|minim)|end of (the )?stretch|last (point|index|rate)",
    ),
    # ---- hw05: saddle points and plateaus
    M(
        "hw05",
        "classify_critical_point",
        [("zero = tol * max(1.0, float(np.max(np.abs(eigenvalues))))", "zero = tol")],
        "Used an absolute tolerance, ignoring the scale of the largest eigenvalue.",
        r"absolute|scale|relative|\btol\b|tolerance|leaves out the factor `max\(1\.0",
    ),
    M(
        "hw05",
        "classify_critical_point",
        [
            (
                '    if eigenvalues[0] < -zero and eigenvalues[-1] > zero:\n        return "saddle"\n'
                '    if np.any(np.abs(eigenvalues) <= zero):\n        return "degenerate"\n',
                '    if np.any(np.abs(eigenvalues) <= zero):\n        return "degenerate"\n'
                '    if eigenvalues[0] < -zero and eigenvalues[-1] > zero:\n        return "saddle"\n',
            )
        ],
        "Checked for a zero eigenvalue before checking for a saddle.",
        r"(check|test)\w*[^.]*(zero|degenerate)[^.]*(before|first|ahead)|order of (the )?(check|test|condition)|saddle[^.]*(degenerate|zero)|degenerate (first|before)|checks `np\.any\(np\.abs\(eigenvalues\) <= zero\)` before",
    ),
    M(
        "hw05",
        "numerical_hessian",
        [
            (
                "(np.asarray(grad(point + step)) - np.asarray(grad(point - step))) / (2 * h)",
                "(np.asarray(grad(point + step)) - np.asarray(grad(point))) / h",
            )
        ],
        "Used a forward difference instead of a central one.",
        r"forward|one[- ]sided|(not|instead of) (a )?central|grad\(point\)|unshifted",
    ),
    M(
        "hw05",
        "numerical_hessian",
        [
            (
                "        step = np.zeros(n)\n        step[j] = h\n"
                "        H[:, j] = (np.asarray(grad(point + step)) - np.asarray(grad(point - step))) / (2 * h)\n",
                "        point[j] += h\n        g_plus = np.asarray(grad(point))\n        point[j] -= 2 * h\n"
                "        g_minus = np.asarray(grad(point))\n        H[:, j] = (g_plus - g_minus) / (2 * h)\n",
            )
        ],
        "Shifted the point in place and never moved it back, so the point drifts and the caller's array changes.",
        r"in[- ]place|drift|caller|modif|mutat|never (moved|restored|reset)|restor|\bback\b",
    ),
    M(
        "hw05",
        "fraction_of_minima",
        [("H = (B + B.transpose(0, 2, 1)) / 2", "H = B @ B.transpose(0, 2, 1)")],
        "Made the matrices symmetric as B B^T, which is never indefinite.",
        r"B ?@ ?B|B ?B\^?T|product|semi-?definite|gram|never indefinite|symmetri",
    ),
    M(
        "hw05",
        "escape_step",
        [("if abs(y) >= distance:", "if np.hypot(x, y) >= distance:")],
        "Measured the distance of the whole point from the origin instead of |y|.",
        r"hypot|distance (of|from) (the )?(whole )?point|origin|\bnorm\b|both coordinates|x and y|euclid",
    ),
    # ---- hw06: optimizers in PyTorch
    M(
        "hw06",
        "adam",
        [
            (
                'g = g.add(p, alpha=group["weight_decay"])',
                'p.mul_(1 - group["lr"] * group["weight_decay"])',
            )
        ],
        "Applied decoupled weight decay (AdamW) instead of adding it to the gradient.",
        r"decoupl|adamw|(shrink|scal|multipl)\w*[^.]*(param|weight)|instead of (adding|add)\w*[^.]*gradient|p ?\*= ?1 ?-|instead of g ?\+",
    ),
    M(
        "hw06",
        "adam",
        [
            ("v.mul_(beta1).add_(g, alpha=1 - beta1)\n", "v = beta1 * v + (1 - beta1) * g\n"),
            (
                "s.mul_(beta2).addcmul_(g, g, value=1 - beta2)\n",
                "s = beta2 * s + (1 - beta2) * g * g\n",
            ),
        ],
        "Built new tensors for the averages instead of updating the stored state in place.",
        r"(state|average|exp_avg|buffer|moment)[^.]*(new|not in[- ]place|copy|rebind|lost|not (stored|saved|updated))|(new|fresh) tensor|state[^.]*(never|not) (updated|change)|new `v` and `s` instead of updating them in place",
    ),
    M(
        "hw06",
        "fine_tuning_groups",
        [("weight_decay if p.ndim >= 2 else 0.0", "weight_decay if p.ndim > 2 else 0.0")],
        "Applied weight decay only to parameters with more than 2 dimensions, so linear weights get none.",
        r"ndim|dimension|> ?2|>= ?2|matri|linear weight|2-?d",
    ),
    M(
        "hw06",
        "unfreeze",
        [("    module.requires_grad_(True)\n", "")],
        "Added the parameters to the optimizer but left them frozen.",
        r"frozen|requires_grad|trainable|freez",
    ),
    M(
        "hw06",
        "train_epochs",
        [
            ('        rates.append(optimizer.param_groups[0]["lr"])\n', ""),
            (
                "            scheduler.step()\n    return rates",
                '            scheduler.step()\n        rates.append(optimizer.param_groups[0]["lr"])\n    return rates',
            ),
        ],
        "Recorded the learning rate after stepping the scheduler, not the one the epoch used.",
        r"\b(rate|lr)\b[^.]*\b(after|stepp\w*|next|following|late)\b|\b(after|following)\b[^.]*(scheduler|step)[^.]*\b(rate|lr|record)|record\w*[^.]*\bafter\b",
    ),
    M(
        "hw06",
        "train_epochs",
        [("scheduler.step(sum(losses) / len(losses))", "scheduler.step(loss.item())")],
        "Gave ReduceLROnPlateau the last mini-batch's loss instead of the epoch's mean loss.",
        r"last (mini-?)?batch|single (mini-?)?batch|one (mini-?)?batch|final (mini-?)?batch|loss\.item\(\)|current (mini-?)?batch|the last loss instead of the epoch",
    ),
    # hw07's eight were written by the author of solutions/hw07/mistakes.json, task statements
    # first but not independently of that list: they test the listed mistakes more than the rest.
    # ---- hw07: simulated workers, gradient accumulation, the linear scaling rule
    M(
        "hw07",
        "worker_gradients",
        [
            (
                "        model.forward(X[:, r::K])\n"
                "        grads.append({key: g.copy() for key, g in model.backward(Y[:, r::K]).items()})\n",
                "        shard = slice(r * (m // K), (r + 1) * (m // K))\n"
                "        model.forward(X[:, shard])\n"
                "        grads.append({key: g.copy() for key, g in model.backward(Y[:, shard]).items()})\n",
            )
        ],
        "Gave each worker a contiguous block of m / K columns instead of every K-th example.",
        r"contiguous|block|every K-th|r::K|shard",
    ),
    M(
        "hw07",
        "worker_gradients",
        [
            (
                "grads.append({key: g.copy() for key, g in model.backward(Y[:, r::K]).items()})",
                "grads.append(model.backward(Y[:, r::K]))",
            )
        ],
        "Appended the dict backward returns without copying it, so every entry ends as the last worker's.",
        r"cop(y|ies)|overwrit",
    ),
    M(
        "hw07",
        "worker_gradients",
        [("if K < 1 or m % K:", "if m % K:")],
        "Checked only that K divides m, so K = 0 divides by zero and a negative K gives no workers.",
        r"K (>=|≥|<) ?1|K = 0|zero workers|ValueError|condition",
    ),
    M(
        "hw07",
        "accumulated_gradient",
        [
            (
                "total[key] += g * (X_j.shape[1] / m)",
                "total[key] += g / len(range(0, m, micro_batch_size))",
            )
        ],
        "Divided every micro-batch gradient by the number of micro-batches, as in the chapter.",
        r"number of micro-batches|len\(range|count",
    ),
    M(
        "hw07",
        "accumulated_gradient",
        [
            (
                "for start in range(0, m, micro_batch_size):",
                "for start in range(0, m - micro_batch_size + 1, micro_batch_size):",
            )
        ],
        "Stopped before the last, smaller micro-batch, so its examples are left out.",
        r"last, smaller micro-batch|drops the last|left out|m - micro_batch_size",
    ),
    M(
        "hw07",
        "scaled_rate",
        [
            (
                "return float(lr + (peak - lr) * t / warmup_steps)",
                "return float(peak * t / warmup_steps)",
            )
        ],
        "Warmed up from a rate of 0 instead of from the small batch's rate lr.",
        r"from (a rate of )?0|warms up from|starts at 0|leaves out `lr`",
    ),
    M(
        "hw07",
        "scaled_rate",
        [
            (
                "peak = lr * batch_size / base_batch_size",
                "peak = lr * (batch_size // base_batch_size)",
            )
        ],
        "Computed the scaling factor k with integer division, so a batch of 96 for 64 gives k = 1.",
        r"whole number|integer|round|floor|//",
    ),
    M(
        "hw07",
        "scaled_rate",
        [
            (
                "np.pi * (t - warmup_steps) / (total_steps - warmup_steps)",
                "np.pi * t / total_steps",
            )
        ],
        "Ran the cosine over t / total_steps from step 0, so the decay starts below the peak.",
        r"t - warmup_steps|from step 0|from t = 0|progress",
    ),
    # ---- hw08: rates on the quadratic model
    M(
        "hw08",
        "gd_optimal",
        [("(kappa - 1.0) / (kappa + 1.0)", "(np.sqrt(kappa) - 1.0) / (np.sqrt(kappa) + 1.0)")],
        "Used the square root of the condition number, momentum's rate, for gradient descent.",
        r"sqrt|square root|\broot|momentum",
    ),
    M(
        "hw08",
        "gd_optimal",
        [("2.0 / (lam_min + lam_max)", "2.0 / lam_min + lam_max")],
        "Left out the parentheses, computing 2 / lam_min + lam_max.",
        r"parenthes|bracket|precedence|order of op|2 ?/ ?lam_min",
    ),
    M(
        "hw08",
        "momentum_optimal",
        [("float(rate ** 2), float(rate)", "float(rate), float(rate)")],
        "Returned beta without squaring it.",
        r"(beta|β)[^.]*(not squared|without squar|unsquared|rate\b)|\b(forg[eo]t\w*|without|not|never|didn't)\b[^.]*squar\w* (beta|the rate)|beta ?= ?rate|not squared|rate ?\*\* ?2|leaves out the power `\*\* 2`",
    ),
    M(
        "hw08",
        "momentum_optimal",
        [
            (
                "float(1.0 / np.sqrt(lam_min * lam_max))",
                "float(4.0 / (np.sqrt(lam_min) + np.sqrt(lam_max)) ** 2)",
            )
        ],
        "Gave Polyak's heavy-ball step instead of the book's alpha, forgetting the factor 1 - beta.",
        r"polyak|heavy[- ]ball|4 ?/|1 ?- ?beta|pytorch",
    ),
    M(
        "hw08",
        "momentum_spectral_radius",
        [("np.abs(np.linalg.eigvals(M))", "np.abs(np.linalg.eigvals(M).real)")],
        "Took the absolute value of the real parts only, ignoring complex eigenvalues.",
        r"\breal\b|complex|imaginar",
    ),
    M(
        "hw08",
        "measured_rate",
        [("    T = len(d) - 1\n", "    T = len(d)\n"), ("d[T] / d[s]", "d[-1] / d[s]")],
        "Took T as the number of distances, one more than the last index.",
        r"\blen\b|T ?= ?len|last index|number of distances|off[- ]by[- ]one|one more|one too (many|large)",
    ),
    # ---- hw09: clipping, weight averaging, Lion
    M(
        "hw09",
        "clip_by_global_norm",
        [
            (
                "    scale = min(1.0, max_norm / (norm + 1e-6))\n    for g in grads.values():\n        g *= scale\n",
                "    for g in grads.values():\n        g *= min(1.0, max_norm / (float(np.linalg.norm(g)) + 1e-6))\n",
            )
        ],
        "Clipped each array by its own norm instead of by the global norm.",
        r"(own|its|separate|individual|per[- ]array|each array'?s?) norm|separately|individually|not (the )?global|instead of (the )?global|per[- ]array",
    ),
    M(
        "hw09",
        "clip_by_global_norm",
        [("g *= scale", "g = g * scale")],
        "Scaled a copy of each array instead of the array in place.",
        r"in[- ]place|copy|new (array|object)|rebind|\bg ?= ?g",
    ),
    M(
        "hw09",
        "ema_of_weights",
        [
            (
                "return {key: value / (1 - beta ** len(snapshots)) for key, value in avg.items()}",
                "return avg",
            )
        ],
        "Returned the average without bias correction.",
        r"bias|correct|1 ?- ?beta ?\*\* ?n|divid",
    ),
    M(
        "hw09",
        "ema_of_weights",
        [("np.zeros(np.shape(value))", "np.asarray(value, dtype=np.float64)")],
        "Started the average at the first snapshot instead of zero, then averaged it in again.",
        r"start\w*[^.]*(first|snapshot|theta_1)|init\w*|\ba_?0\b|instead of zero|twice|again|double",
    ),
    M(
        "hw09",
        "lion_step",
        [
            (
                "    c = beta1 * v + (1 - beta1) * grad\n"
                "    param -= lr * (np.sign(c) + weight_decay * param)\n"
                "    v[...] = beta2 * v + (1 - beta2) * grad\n",
                "    v[...] = beta2 * v + (1 - beta2) * grad\n"
                "    c = beta1 * v + (1 - beta1) * grad\n"
                "    param -= lr * (np.sign(c) + weight_decay * param)\n",
            )
        ],
        "Updated the momentum before computing the blend c used for the step.",
        r"before|order|after|old v|new v|updated (momentum|v)|stale",
    ),
    M(
        "hw09",
        "lion_step",
        [
            (
                "param -= lr * (np.sign(c) + weight_decay * param)",
                "param -= lr * np.sign(c) + weight_decay * param",
            )
        ],
        "Applied weight decay without multiplying it by the learning rate.",
        r"\blr\b|learning rate|weight[_ ]decay",
    ),
]
