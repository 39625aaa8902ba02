"""A second held-out set of student mistakes, written without the grader's error model.

Like ``STUDENT_MISTAKES`` in tests/student_mistakes.py, and by the same rule: its author read
only the task statements, answer cells and visible tests of solutions/hw01 ... hw09 (and the
existing held-out entries, so as not to repeat them), never the grader's mistake lists, the
mutants or the diagnosis code. Each entry edits the solution's answer cell with ``(old, new)``
replacements (every ``old`` occurs exactly once in that cell) and says in one sentence what
the student did; ``names`` is a case-insensitive regular expression that a correct diagnosis
of that mistake matches and a description of another mistake of the same cell does not.
Every edited cell runs and gives results different from the solution's on some input a hidden
test would plausibly use (checked by running the edited cell beside the original).
"""

from student_mistakes import StudentMistake

M = StudentMistake

FRESH_MISTAKES: list[StudentMistake] = [
    # ---- hw01: mini-batch gradient descent
    M(
        "hw01",
        "batch_sizes",
        [
            (
                "return [batch_size] * full + ([rest] if rest else [])",
                "return [batch_size] * math.ceil(m / batch_size)",
            )
        ],
        "Gave every mini-batch, the last one too, batch_size examples (ceil(m / batch_size) copies of batch_size).",
        r"ceil|round(ed|s|ing)? up|too (big|large|many)|(last|final)[^.]*\b(also|too|as well|batch_size)\b|pad",
    ),
    M(
        "hw01",
        "random_mini_batches",
        [("m = X.shape[1]", "m = X.shape[0]")],
        "Took m from the number of rows (features) of X instead of the number of columns (examples).",
        r"shape\[0\]|\brows?\b|features?|n_x|axis|wrong (dimension|axis)|number of (rows|features)|your `m` uses `0` where the solution uses `1`",
    ),
    M(
        "hw01",
        "random_mini_batches",
        [("order = rng.permutation(m)", "order = np.random.permutation(m)")],
        "Shuffled with NumPy's global generator instead of the rng passed in.",
        r"np\.random\.|global|ignor\w* (the )?(given |passed )?(rng|generator)|not (use|using) (the )?(given |passed )?(rng|generator)|(own|module|legacy)[^.]*(generator|random)|reproduc",
    ),
    M(
        "hw01",
        "train_one_epoch",
        [
            (
                "        optimizer.zero_grad()\n        optimizer.add_grad(model.get_grad_dict())\n",
                "        optimizer.add_grad(model.get_grad_dict())\n        optimizer.zero_grad()\n",
            )
        ],
        "Called optimizer.zero_grad() after add_grad, so every step runs on cleared gradients and nothing moves.",
        r"zero_grad[^.]*\bafter\b|after (the )?add_grad|(clear|zero)\w*[^.]*\b(new|fresh|just)\b|(wrong|swapped|reversed) order|order of|(step|update)s? (with|on) (zero|no|cleared)|no(thing)? (update|move)|does nothing|never (update|move|change)s?",
    ),
    # ---- hw02: exponentially weighted averages
    M(
        "hw02",
        "ewma",
        [("    v = 0.0\n", "    v = float(theta[0])\n")],
        "Started the average at the first value of the series instead of at v_0 = 0.",
        r"v_?0|\bstart|initiali|first (value|day|element|observation)|theta\[0\]|theta_1",
    ),
    M(
        "hw02",
        "ewma_with_bias_correction",
        [
            (
                "corrected[t - 1] = v / (1 - beta ** t)",
                "corrected[t - 1] = v / (1 - beta ** (t + 1))",
            )
        ],
        "Corrected with beta ** (t + 1), an exponent one too large.",
        r"t ?\+ ?1|off[- ]by[- ]one|exponent|power|one (step|day) (late|ahead|too)|start\w* at (0|zero|2)|t ?= ?0",
    ),
    M(
        "hw02",
        "effective_window",
        [
            (
                "    k = 1\n    while beta ** k > 1 / math.e:\n        k += 1\n    return k\n",
                "    return math.ceil(-1 / math.log(beta))\n",
            )
        ],
        "Used the closed form ceil(-1 / ln beta), which crashes for the allowed beta = 0.",
        r"\blog|\bln\b|closed[- ]form|formula|ceil",
    ),
    M(
        "hw02",
        "moving_average",
        [
            (
                "        averages[t] = ma\n",
                "        averages[t] = ma * window / min(t + 1, window)\n",
            )
        ],
        "Averaged the first days over the days seen so far instead of counting the missing days as 0.",
        r"so far|(number|count) of (days|values)|min\(|t ?\+ ?1|partial|fewer|available|instead of (the )?window|(divid|averag)\w*[^.]*(seen|available)",
    ),
    # ---- hw03: momentum, RMSProp and Adam
    M(
        "hw03",
        "momentum_step",
        [("p = p - lr * v", "p = p - lr * g")],
        "Stepped with the raw gradient g instead of the velocity v.",
        r"\braw\b|gradient (itself|directly)|\bg\b instead|instead of (the )?(velocity|v\b|average)|(ignor|unused|not use)\w*[^.]*(velocity|v\b|momentum)|plain gradient descent|(velocity|\bv\b)[^.]*\b(not|never) used|uses `g` where the solution uses `v`",
    ),
    M(
        "hw03",
        "rmsprop_step",
        [("(np.sqrt(s) + eps)", "(s + eps)")],
        "Divided the gradient by s instead of by its square root.",
        r"\b(no|without|forg[eo]t|miss\w*|omit\w*|skip\w*)\b[^.]*(square root|sqrt|root)|by s\b|s itself|instead of (its |the )?(square )?root|not (its |the )?(square )?root|forgets the square root",
    ),
    M(
        "hw03",
        "adam_step",
        [("s_hat = s / (1 - beta2 ** t)", "s_hat = s / (1 - beta1 ** t)")],
        "Corrected s with beta1 instead of beta2.",
        r"beta1 (instead of|for|in place of|rather than) (beta2|s\b|the second)|correct\w* (of )?(s|s_hat|the second[^.]*) (with|by|using) (1 ?- ?)?beta1|wrong beta|instead of beta2|second moment[^.]*beta1|beta2[^.]*(replaced|swapped)|uses `beta1` where the solution uses `beta2`",
    ),
    M(
        "hw03",
        "adam_step",
        [("lr * v_hat / (np.sqrt(s_hat) + eps)", "lr * v_hat / (np.sqrt(s) + eps)")],
        "Divided by the root of the uncorrected s instead of s_hat.",
        r"(uncorrected|raw|plain) s\b|\bs\b instead of s_hat|sqrt\(s\)|denominator|\bs\b (is )?used raw|only v is (bias[- ])?corrected|leaves out the division by `1 - beta2 \*\* t`|uses `s` where the solution uses `s_hat`",
    ),
    # ---- hw04: learning-rate schedules
    M(
        "hw04",
        "staircase_decay",
        [
            (
                "return lr0 / (1 + decay_rate * (t // interval))",
                "return lr0 / (1 + decay_rate) ** (t // interval)",
            )
        ],
        "Divided by (1 + decay_rate) at every stair, an exponential decay instead of the hyperbolic one.",
        r"exponent|power|\*\*|geometric|hyperbol|compound|repeated",
    ),
    M(
        "hw04",
        "multistep_decay",
        [
            (
                "gamma ** sum(1 for milestone in milestones if milestone <= t)",
                "gamma ** any(milestone <= t for milestone in milestones)",
            )
        ],
        "Applied gamma once as soon as a milestone has passed, however many milestones have passed.",
        r"once|\bany\b|single|bool|at most one|not (the )?(number|count)|however many|(all|several|multiple|later|second) milestones?",
    ),
    M(
        "hw04",
        "cosine_with_warmup",
        [("return lr0 * t / warmup", "return lr0 * (t + 1) / warmup")],
        "Started the warmup line at lr0 / warmup instead of 0 (t + 1 instead of t).",
        r"t ?\+ ?1|off[- ]by[- ]one|one step (early|ahead|late)|(warm ?up|line|ramp)[^.]*(start|begin)\w*[^.]*(above|lr0 ?/|not (at )?0|instead of (0|zero))|never (starts at|reaches) (0|zero)|non-?zero|starts the warmup above 0",
    ),
    M(
        "hw04",
        "suggest_lr",
        [
            (
                "return float(lrs[skip_start + np.argmin(slope)])",
                "return float(lrs[np.argmin(slope)])",
            )
        ],
        "Indexed lrs with the position of the steepest slope within the stretch, forgetting to add skip_start.",
        r"skip_start|offset|shift|relative|index (of|in|within) (the )?(stretch|slice)|(stretch|slice)('s)? index|add\w*[^.]*start",
    ),
    # ---- hw05: saddle points and plateaus
    M(
        "hw05",
        "classify_critical_point",
        [("np.linalg.eigvalsh(", "np.linalg.eigvals(")],
        "Used np.linalg.eigvals, whose eigenvalues are not sorted, so the first and last are not the smallest and largest.",
        r"eigvals\b|unsorted|not sorted|\bsort|order of (the )?eigen|ascending",
    ),
    M(
        "hw05",
        "numerical_hessian",
        [("/ (2 * h)", "/ h")],
        "Divided the central difference by h instead of 2h, doubling the Hessian.",
        r"2 ?\*? ?h|factor (of )?(2|two)|twice|doubl|half",
    ),
    M(
        "hw05",
        "fraction_of_minima",
        [("> 0, axis=1)", "> 0, axis=0)")],
        "Took np.all over the wrong axis, across the samples instead of across each matrix's eigenvalues.",
        r"axis|samples? (axis|dimension)|across (the )?samples|per (eigenvalue|position|index)|column",
    ),
    M(
        "hw05",
        "escape_step",
        [("if abs(y) >= distance:", "if y >= distance:")],
        "Compared y itself with the distance instead of |y|, so an escape downwards is missed.",
        r"negative|\bsign|downward|below -|y itself|forg[eo]t (the )?abs|without (the )?abs|no abs|forgets the absolute value",
    ),
    # ---- hw06: optimizers in PyTorch
    M(
        "hw06",
        "adam",
        [
            (
                'p.sub_(group["lr"] * v_hat / (s_hat.sqrt() + group["eps"]))',
                'p = p - group["lr"] * v_hat / (s_hat.sqrt() + group["eps"])',
            )
        ],
        "Wrote p = p - ... inside step, rebinding the local name so the parameters never change.",
        r"(param\w*|\bp\b|weight)[^.]*(rebind|rebound|local|never (change|move|update)|unchanged|not (updated|modified|changed)|not in[- ]place)|p ?= ?p ?-|sub_|rebind|rebound|new `p` instead of updating it in place",
    ),
    M(
        "hw06",
        "fine_tuning_groups",
        [("        if not p.requires_grad:\n            continue\n", "")],
        "Put every parameter into a group, the frozen ones (requires_grad=False) included.",
        r"frozen|requires_grad|trainable|freez",
    ),
    M(
        "hw06",
        "unfreeze",
        [
            (
                'optimizer.add_param_group({"params": list(module.parameters()), "lr": lr})',
                'optimizer.param_groups.append({"params": list(module.parameters()), "lr": lr})',
            )
        ],
        "Appended the group to optimizer.param_groups by hand, so the defaults (momentum, ...) are never filled in.",
        r"param_groups\.append|append\w*|default|hyperparam|missing (key|setting)|bypass|directly|by hand|(without|instead of|not) (calling |using )?add_param_group",
    ),
    M(
        "hw06",
        "train_epochs",
        [("        elif scheduler is not None:\n", "        else:\n")],
        "Forgot that scheduler may be None and called scheduler.step() on it anyway.",
        r"\bnone\b|no scheduler|without (a )?scheduler|missing scheduler|null|optional",
    ),
    # ---- hw08: rates on the quadratic model
    M(
        "hw08",
        "momentum_optimal",
        [("root_kappa = np.sqrt(lam_max / lam_min)", "root_kappa = lam_max / lam_min")],
        "Used the condition number itself where its square root belongs.",
        r"kappa[^.]*(instead of|not|without)[^.]*(sqrt|root)|(sqrt|root)[^.]*kappa|sqrt\(kappa\)|condition number itself",
    ),
    M(
        "hw08",
        "momentum_spectral_radius",
        [("alpha * (1.0 - beta) * lam", "alpha * lam")],
        "Left out the factor 1 - beta in M[0, 0], writing Polyak's heavy-ball matrix instead of the book's.",
        r"1 ?- ?beta|factor|polyak|heavy[- ]ball|M\[0, ?0\]|alpha ?\*? ?lam\b|step alpha",
    ),
    M(
        "hw08",
        "measured_rate",
        [
            (
                "return float((d[T] / d[s]) ** (1.0 / (T - s)))",
                "return float(np.mean(d[s + 1:T + 1] / d[s:T]))",
            )
        ],
        "Took the arithmetic mean of the per-step ratios instead of their geometric mean.",
        r"arithmetic|mean of (the )?(per[- ]step )?ratios|averag\w* (of )?(the )?(per[- ]step )?ratios|instead of (the |their )?geometric",
    ),
    # ---- hw09: clipping, weight averaging, Lion
    M(
        "hw09",
        "clip_by_global_norm",
        [("scale = min(1.0, max_norm / (norm + 1e-6))", "scale = max_norm / (norm + 1e-6)")],
        "Always rescaled to max_norm, also scaling gradients that were already shorter up.",
        r"min\(|\bmin\b|minimum|\bup\b|enlarg|larger|grow|always|even when|below max_norm|already (small|short)|\bcap",
    ),
    M(
        "hw09",
        "ema_of_weights",
        [("for theta in snapshots:", "for theta in reversed(snapshots):")],
        "Averaged the snapshots newest first, so the oldest weights get the largest weight.",
        r"revers|backward|oldest|newest first|order|wrong end",
    ),
    M(
        "hw09",
        "lion_step",
        [("np.sign(c)", "np.sign(grad)")],
        "Stepped with the sign of the raw gradient instead of the sign of the blend c.",
        r"sign\(g|sign of (the )?(raw )?(grad|g\b)|(raw|plain) gradient|instead of (the )?(blend|c\b)|ignor\w*[^.]*(momentum|\bv\b|\bc\b)|without (the )?(blend|momentum)|uses `grad` where the solution uses `c`",
    ),
]
