"""A fifth held-out set of student mistakes, written without the grader's error model.

Written after the fourth set, by a helper started with a fresh context, who saw neither the
grader's mistake lists, the mutants, the pitfalls nor the diagnosis code: it read only the task
statements, answer cells and visible tests of solutions/hw01 ... hw09, the ``dldemos`` package
they import, and the four earlier held-out sets (tests/student_mistakes.py,
tests/student_mistakes_fresh.py, tests/student_mistakes_third.py,
tests/student_mistakes_fourth.py), so as not to repeat them. The set mixes small slips (one
operator, index, constant, default, argument or library call) with larger misunderstandings (a
formula misread, a wrong loop structure, state not carried, an edge case mishandled). Each entry
edits the solution's answer cell with ``(old, new)`` replacements (every ``old`` occurs exactly
once in that cell) and says in one sentence what the student did; ``names`` is a
case-insensitive regular expression that a correct diagnosis of that mistake matches and a
description of another mistake of the same cell (in any of the five sets) does not. Every
edited cell runs and gives results different from the solution's (or raises where it does not)
on some input a hidden test would plausibly use (checked by running the edited cell beside the
original).

After its first measurement, ten right namings that the regexes missed were accepted, each
by the sentence's own words (``leaves out `lr```, ``rounds `T / 2` up``, ``takes `t` before `lr0``` ...).
"""

from student_mistakes import StudentMistake

M = StudentMistake

FIFTH_MISTAKES: list[StudentMistake] = [
    # ---- hw01: mini-batch gradient descent
    M(
        "hw01",
        "batch_sizes",
        [
            (
                "    full, rest = divmod(m, batch_size)\n"
                "    return [batch_size] * full + ([rest] if rest else [])\n",
                "    return math.ceil(m / batch_size)\n",
            )
        ],
        "Returned the number of mini-batches, math.ceil(m / batch_size), instead of the list of their sizes.",
        r"number of (mini-?)?batches|\bcount\w*|\b(integer|int)\b|single (number|integer|value)|one number|instead of (the |a )?list|not (a |the )?list|how many|steps per epoch",
    ),
    M(
        "hw01",
        "random_mini_batches",
        [
            (
                "    return [(X_shuffled[:, start:start + batch_size], Y_shuffled[:, start:start + batch_size])\n",
                "    return [(X_shuffled[start:start + batch_size], Y_shuffled[start:start + batch_size])\n",
            )
        ],
        "Sliced the mini-batches as X_shuffled[start:start + batch_size], along the rows instead of the columns, leaving out the leading `:,`.",
        r"along (the )?(rows|first axis|axis 0)|slic\w*[^.]*\brows\b|\brows\b[^.]*(slic|cut)|first (axis|dimension|index)|axis 0|(without|missing|leav\w* out|forg[eo]t\w*|drop\w*) (the )?(leading )?`?:,|\[start:start ?\+ ?batch_size\]",
    ),
    M(
        "hw01",
        "train_one_epoch",
        [
            (
                "        optimizer.step()\n    optimizer.increase_epoch()\n",
                "    optimizer.step()\n    optimizer.increase_epoch()\n",
            )
        ],
        "Dedented optimizer.step() out of the mini-batch loop, so the parameters are updated once per epoch, with the last mini-batch's gradient only.",
        r"(optimizer\.)?step\(\)[^.]*\b(once|after|outside)\b|(once|one (update|step)) per epoch|outside (the )?(mini-?batch |inner |for )?loop|dedent|indent|only (the )?last (mini-?batch'?s? )?gradient|num_step|(single|one) (update|step) (per|for the|each) epoch",
    ),
    M(
        "hw01",
        "train_one_epoch",
        [
            (
                "    losses = []\n    for X_t, Y_t in mini_batches:\n",
                "    for X_t, Y_t in mini_batches:\n        losses = []\n",
            )
        ],
        "Created the list `losses = []` inside the loop, so it is emptied at every mini-batch and only the last loss is returned.",
        r"losses = \[\][^.]*(inside|in) the loop|(inside|in) the loop[^.]*\blosses\b|(reset|re-?creat|re-?initiali[sz]|empt|clear)\w*[^.]*\b(list|losses)\b|\b(list|losses)\b[^.]*(reset|re-?created|emptied|cleared)|only (the )?(last|final) (mini-?batch'?s? )?loss|single loss|one loss\b|sets `losses` again in every pass",
    ),
    # ---- hw02: exponentially weighted averages
    M(
        "hw02",
        "ewma",
        [
            (
                "averages = np.empty(theta.shape, dtype=dtype)",
                "averages = np.zeros(theta.shape, dtype=dtype)",
            ),
            (
                "    for t, value in enumerate(theta.astype(dtype)):\n"
                "        v = beta * v + (1 - beta) * value\n",
                "    theta = theta.astype(dtype)\n"
                "    for t in range(1, len(theta)):\n"
                "        v = beta * v + (1 - beta) * theta[t]\n",
            ),
        ],
        "Looped t over range(1, len(theta)), taking the formula's t = 1..T as array indices, so the first value is skipped and averages[0] stays 0.",
        r"range\(1|skip\w*[^.]*(first|z_?1|theta\[0\]|index 0)|(first (value|day|element)|z_?1|theta\[0\])[^.]*(skipped|ignored|never (used|read|averaged)|left out|missing)|averages\[0\]|index(es)? (from|at) 1|starts? (the loop )?at (index )?1|off[- ]by[- ]one",
    ),
    M(
        "hw02",
        "ewma_with_bias_correction",
        [
            (
                "    for t, value in enumerate(theta.astype(dtype), start=1):\n",
                "    for t, value in enumerate(theta.astype(dtype)):\n",
            ),
            (
                "        corrected[t - 1] = v / (1 - beta ** t)\n",
                "        corrected[t] = v / (1 - beta ** t)\n",
            ),
        ],
        "Enumerated the days without start=1, so t counts from 0: the first day divides by 1 - beta**0 = 0 and every later correction uses an exponent one too small.",
        r"start ?= ?1|(counts?|starts?|numbered|enumerat\w*)[^.]*from (0|zero)|t ?= ?0\b|beta ?\*\* ?0|divi\w* by (zero|0)\b|\binf\b|infinit|one too (small|low)|t ?- ?1\b",
    ),
    M(
        "hw02",
        "effective_window",
        [
            (
                "    k = 1\n    while beta ** k > 1 / math.e:\n        k += 1\n    return k\n",
                "    return 1 / (1 - beta)\n",
            )
        ],
        "Returned the rule of thumb 1 / (1 - beta), a float, instead of searching for the smallest integer k with beta**k <= 1/e.",
        r"rule of thumb|1 ?/ ?\(1 ?- ?beta\)|\bfloat\b|(not|never|instead of|without) (an? |the )?(integer|search|loop)|smallest (integer )?k|approximat",
    ),
    M(
        "hw02",
        "moving_average",
        [
            (
                "    averages = np.empty(theta.shape, dtype=dtype)\n"
                "    ma = 0.0\n"
                "    for t in range(len(theta)):\n"
                "        leaving = theta[t - window] if t >= window else 0.0\n"
                "        ma = ma + (theta[t] - leaving) / window\n"
                "        averages[t] = ma\n"
                "    return averages\n",
                '    return np.convolve(theta, np.ones(window, dtype=dtype) / window, mode="same")\n',
            )
        ],
        'Computed the average with np.convolve(..., mode="same"), which centres the window on day t instead of ending it there (and gives the wrong length when the window is longer than the series).',
        r"convolve|\bmode\b|cent(er|re)|symmetric|future|(later|following|next|coming) (days|values)|ahead|both sides|around (day )?t\b",
    ),
    # ---- hw03: momentum, RMSProp and Adam
    M(
        "hw03",
        "momentum_step",
        [
            (
                "    v = beta * v + (1 - beta) * g\n    p = p - lr * v\n",
                "    v = beta * v + lr * g\n    p = p - v\n",
            )
        ],
        "Folded the learning rate into the velocity, v = beta v + lr g and p = p - v (the CS231n form), instead of the course's EWMA form.",
        r"lr ?\*? ?g\b|learning rate[^.]*\b(in|into|inside)\b[^.]*(velocity|\bv\b)|(velocity|\bv\b)[^.]*(includes?|contains?|holds?|scaled by|carr\w*)[^.]*(\blr\b|learning rate)|cs231n|p ?- ?v\b|fold\w*|(without|no) (the )?(factor )?lr (in|on) (the )?(step|update of p)",
    ),
    M(
        "hw03",
        "rmsprop_step",
        [
            (
                "    s = beta * s + (1 - beta) * g ** 2\n",
                "    s = beta * s + (1 - beta) * g * 2\n",
            )
        ],
        "Typed g * 2 instead of g ** 2, so s averages twice the gradient instead of its square.",
        r"g ?\* ?2\b|2 ?\* ?g\b|twice the gradient|doubl\w*|(not|instead of|rather than|never) (the |its )?squar\w*|\b(missing|forg[eo]t\w*|without|no)\b[^.]*(\*\*|power|squar\w* (the )?(gradient|g\b))|typo|multiplies by `?2`? where the solution raises",
    ),
    M(
        "hw03",
        "adam_step",
        [
            (
                "    s = beta2 * s + (1 - beta2) * g ** 2\n",
                "    s = beta2 * s + (1 - beta2) * v ** 2\n",
            )
        ],
        "Fed the squared momentum v ** 2 into s instead of the squared gradient g ** 2.",
        r"v ?\*\* ?2|squar\w* (of )?(the )?(new |updated )?(momentum|velocity|first moment|average|\bv\b)|(momentum|velocity|first moment|\bv\b)[^.]*squared|instead of (the )?(squared )?gradient|g ?\*\* ?2|`s` uses `v` where the solution uses `g`",
    ),
    M(
        "hw03",
        "pytorch_momentum_lr",
        [("    return lr * (1 - beta)\n", "    return lr * (1 - beta), beta\n")],
        "Returned the pair (lr * (1 - beta), beta), the settings for SGD, instead of the learning rate alone.",
        r"tuple|pair|two values|(also|as well)[^.]*(beta|momentum)|(beta|momentum)[^.]*\b(also|as well|too)\b|not (a |one |the )?(single )?(float|number)|instead of (a|one|the) (single )?(float|number|learning rate alone)|\balone\b",
    ),
    # ---- hw04: learning-rate schedules
    M(
        "hw04",
        "staircase_decay",
        [("    def schedule(lr0, t):\n", "    def schedule(t, lr0):\n")],
        "Defined the inner function as schedule(t, lr0), swapping its arguments, so schedule(lr0, t) treats the rate as the epoch and the epoch as the rate.",
        r"argument|parameter order|order of (the )?(arguments|parameters)|schedule\(t, ?lr0\)|swap\w*[^.]*(lr0|\bt\b)|(lr0|\bt\b) and (lr0|\bt\b)[^.]*(swap|revers|exchang)|signature|takes `t` before `lr0`",
    ),
    M(
        "hw04",
        "multistep_decay",
        [
            (
                "        return lr0 * gamma ** sum(1 for milestone in milestones if milestone <= t)\n",
                "        rate = lr0\n"
                "        for milestone in milestones:\n"
                "            if milestone <= t:\n"
                "                rate *= gamma\n"
                "            return rate\n",
            )
        ],
        "Put `return rate` inside the loop over the milestones, so only the first milestone is checked and an empty list of milestones returns None.",
        r"return[^.]*\b(inside|in|within) the (for )?loop|indent|only the first milestone|first milestone only|(returns?|gives?) none|none for (an )?empty|(second|later|other|remaining) milestones?[^.]*(never|ignored|not (checked|counted|looked))|never (reaches|checks|looks at) (the )?(second|later|other|remaining)",
    ),
    M(
        "hw04",
        "cosine_with_warmup",
        [("        if t < warmup:\n", "        if t <= warmup:\n")],
        "Wrote t <= warmup for the warmup branch, which gives the same rate at t = warmup but divides 0 by 0 when warmup = 0.",
        r"<= ?warmup|warmup ?= ?0|no warmup|without (a )?warmup|zero ?division|divi\w* (0 )?by (zero|0)\b|\b0 ?/ ?0\b|<= (instead of|rather than|where)|`t - 1` where the solution uses `t`",
    ),
    M(
        "hw04",
        "suggest_lr",
        [("    if end - skip_start < 3:\n", "    if len(losses) - skip_start < 3:\n")],
        "Checked len(losses) - skip_start < 3, the length of the whole series, instead of the stretch up to the minimum, so a loss that only rises crashes on an empty stretch instead of returning None.",
        r"\bnone\b|empty|len\(losses\)|whole (series|run|list|curve)|all (the )?losses|(fewer|less) than 3|stretch[^.]*(length|size|points)|(length|size|points)[^.]*stretch",
    ),
    # ---- hw05: saddle points and plateaus
    M(
        "hw05",
        "classify_critical_point",
        [
            (
                "    if eigenvalues[0] < -zero and eigenvalues[-1] > zero:\n",
                "    if eigenvalues[0] < 0 and eigenvalues[-1] > 0:\n",
            )
        ],
        "Tested for a saddle with eigenvalues[0] < 0 and eigenvalues[-1] > 0, ignoring the tolerance, so a rounding-level eigenvalue of the wrong sign turns a degenerate point into a saddle.",
        r"toleran\w*[^.]*saddle|saddle[^.]*(toleran|\btol\b|zero threshold|exact|rounding|tiny)|< ?0 and|> ?0\b|(exact|strict|raw) (sign|comparison|zero)|(rounding|numerical|tiny)[^.]*(negative|positive|sign)|compar\w* (the eigenvalues )?(with|to|against) (exactly )?0\b|instead of (-?zero|-?tol)|-zero",
    ),
    M(
        "hw05",
        "numerical_hessian",
        [("        step = np.zeros(n)\n        step[j] = h\n", "        step = h\n")],
        "Shifted every coordinate by h at once (point + h) instead of only coordinate j, so every column is the same difference along (1, ..., 1).",
        r"(without|no|instead of|not|never) (using )?(the |a )?(unit vector|e_j)|every coordinate|all (the )?coordinates|(only|just) (the )?coordinate j|point ?[+-] ?h\b|(same|identical) columns?|all[- ]ones|\(1, ?\.\.\., ?1\)|scalar (h|step)",
    ),
    M(
        "hw05",
        "fraction_of_minima",
        [
            (
                "    return float(np.mean(np.all(np.linalg.eigvalsh(H) > 0, axis=1)))\n",
                "    return float(np.sum(np.all(np.linalg.eigvalsh(H) > 0, axis=1)))\n",
            )
        ],
        "Returned np.sum, the number of matrices with all eigenvalues positive, instead of np.mean, their fraction.",
        r"np\.sum|\bcount\w*|number of (minima|matrices|positive[- ]definite)|\b(not|without|never|forg[eo]t\w*)\b[^.]*divid\w*|sum(med)? instead|(total|raw) (count|number)|num_samples times",
    ),
    M(
        "hw05",
        "escape_step",
        [
            (
                "    for i, (x, y) in enumerate(np.asarray(trajectory)):\n"
                "        if abs(y) >= distance:\n"
                "            return i\n"
                "    return None\n",
                "    return int(np.argmax(np.abs(np.asarray(trajectory)[:, 1]) >= distance))\n",
            )
        ],
        "Vectorised with np.argmax(np.abs(y) >= distance), which returns 0 when no point escapes, so a path that never escapes gives 0 instead of None.",
        r"argmax|(returns?|gives?) 0\b|\b0 (instead of|rather than|where the solution returns) none|instead of none|(never|no point)[^.]*escape|all[- ]false|\b(missing|forg[eo]t\w*|without|no) (the )?none",
    ),
    # ---- hw06: optimizers in PyTorch
    M(
        "hw06",
        "adam",
        [
            (
                '                    state["exp_avg"] = torch.zeros_like(p)\n'
                '                    state["exp_avg_sq"] = torch.zeros_like(p)\n',
                '                    state["exp_avg"] = torch.zeros(p.shape)\n'
                '                    state["exp_avg_sq"] = torch.zeros(p.shape)\n',
            )
        ],
        "Created the state with torch.zeros(p.shape), which is float32 whatever the parameter's dtype, so a float64 model's averages are kept in single precision.",
        r"float32|float64|dtype|single precision|double|precision|zeros\(p\.shape\)|zeros_like",
    ),
    M(
        "hw06",
        "fine_tuning_groups",
        [
            ("    in_backbone = {id(p) for p in backbone.parameters()}\n", ""),
            (
                "backbone_lr if id(p) in in_backbone else lr",
                "backbone_lr if p in backbone.parameters() else lr",
            ),
        ],
        "Tested backbone membership with `p in backbone.parameters()`, which compares tensors with == by value (crashing on tensors of different shapes) instead of by identity.",
        r"\bin backbone\.parameters|==|by value|identity|\bid\(|\bis\b (operator|comparison)|ambiguous|element-?wise|membership|compar\w* (the )?tensors",
    ),
    M(
        "hw06",
        "unfreeze",
        [
            (
                '    optimizer.add_param_group({"params": list(module.parameters()), "lr": lr})\n',
                '    optimizer.add_param_group({"params": list(module.parameters()), "lr": lr, **optimizer.defaults})\n',
            )
        ],
        'Spread **optimizer.defaults into the new group after "lr": lr, so the default learning rate overwrites lr.',
        r"\*\*(optimizer\.)?defaults|defaults?[^.]*(overwr|overrid|replac|after|last|wins?\b|clobber)|(overwr|overrid|replac|clobber)\w*[^.]*\blr\b|unpack|(dict(ionary)?|merge|key) order|order of (the )?(keys|merge|unpacking)|without its (own )?learning rate",
    ),
    M(
        "hw06",
        "train_epochs",
        [
            (
                "    for _ in range(epochs):\n"
                '        rates.append(optimizer.param_groups[0]["lr"])\n',
                '    lr = optimizer.param_groups[0]["lr"]\n'
                "    for _ in range(epochs):\n"
                "        rates.append(lr)\n",
            )
        ],
        "Read the learning rate once, before the epoch loop, and appended that same value every epoch, so the recorded rates never change.",
        r"(read|record|take|fetch|look|store)\w*[^.]*(rate|\blr\b)[^.]*\bonce\b|\bonce\b[^.]*before the (epoch )?loop|(rate|\blr\b)[^.]*before the (epoch )?loop|(same|constant|initial|first|starting) (rate|value|learning rate|lr)\b|never (change|updat)|stale|outside the (epoch )?loop|(not|never) re-?read",
    ),
    # ---- hw07: simulated workers, gradient accumulation, the linear scaling rule
    M(
        "hw07",
        "worker_gradients",
        [
            (
                "    for r in range(K):\n        model.forward(X[:, r::K])\n",
                "    model.forward(X)\n    for r in range(K):\n",
            )
        ],
        "Ran model.forward once on the whole batch before the loop and only model.backward on each worker's labels, so backward does not follow a forward on that worker's shard.",
        r"forward[^.]*\b(once|whole|full|entire|all (the )?(columns|examples))\b|\b(no|missing|without|skip\w*|forg[eo]t\w*)\b[^.]*forward|forward (on|of|for) (its|each|every|the worker'?s?) (own )?shard|(shape|size) mismatch|(before|outside) the loop",
    ),
    M(
        "hw07",
        "accumulated_gradient",
        [
            (
                "            total[key] += g * (X_j.shape[1] / m)\n",
                "            total[key] = g * (X_j.shape[1] / m)\n",
            )
        ],
        "Wrote total[key] = ... instead of +=, so each micro-batch overwrites the sum and only the last micro-batch's weighted gradient is returned.",
        r"\+=|(overwr|replac|assign)\w*|only (the )?(last|final) micro-?batch|(instead of|not|never|rather than) (add|accumul|sum)\w*",
    ),
    M(
        "hw07",
        "scaled_rate",
        [
            (
                "    peak = lr * batch_size / base_batch_size\n",
                "    peak = lr * np.sqrt(batch_size / base_batch_size)\n",
            )
        ],
        "Scaled the peak rate by the square root of batch_size / base_batch_size (the square-root scaling rule) instead of linearly.",
        r"sqrt|square[- ]root|\broot\b|not linear(ly)?|instead of linear(ly)?|linear(ly)?[^.]*instead",
    ),
    M(
        "hw07",
        "scaled_rate",
        [
            (
                "        return float(lr + (peak - lr) * t / warmup_steps)\n",
                "        return float(lr + peak * t / warmup_steps)\n",
            )
        ],
        "Wrote the warmup as lr + peak * t / warmup_steps, forgetting to subtract lr from the peak, so the warmup climbs towards peak + lr and jumps down at t = warmup_steps.",
        r"peak ?- ?lr|peak ?\+ ?lr|\b(forg[eo]t\w*|without|missing|left out|leaves out|drop\w*)\b[^.]*subtract|overshoot|above the peak|jumps? (down|back)|k ?alpha ?- ?alpha|\(k ?- ?1\)|leaves out `lr`",
    ),
    # ---- hw08: rates on the quadratic model
    M(
        "hw08",
        "gd_optimal",
        [("return 2.0 / (lam_min + lam_max), ", "return 2.0 / lam_max, ")],
        "Took alpha = 2 / lam_max, the edge of stability along the largest curvature, instead of the step 2 / (lam_min + lam_max).",
        r"2(\.0)? ?/ ?lam_max|edge of stability|stability (limit|bound|edge|threshold)|largest stable|(on|at) the (edge|boundary)|(diverg|unstable|oscillat)\w*|leaves out `lam_min`",
    ),
    M(
        "hw08",
        "momentum_optimal",
        [("float(rate ** 2), float(rate)", "float(rate), float(rate ** 2)")],
        "Returned (alpha, rate, beta), the rate and beta in each other's places.",
        r"\border\b|swap\w*|each other|\b(positions?|places?)\b|(exchang|interchang|revers|switch)\w*",
    ),
    M(
        "hw08",
        "momentum_spectral_radius",
        [
            (
                "[[1.0 + beta - alpha * (1.0 - beta) * lam, -beta], [1.0, 0.0]]",
                "[[1.0 + beta - alpha * (1.0 - beta) * lam, beta], [1.0, 0.0]]",
            )
        ],
        "Wrote beta instead of -beta in M[0, 1], flipping the sign of the top-right entry.",
        r"M\[0, ?1\]|top[- ]right|upper[- ]right|off-diagonal|(wrong|flipped|opposite|missing) (the )?(minus )?sign|sign of (the )?(beta|top|entry|off)|\bbeta\b (instead of|rather than|where the solution (has|uses)) `?-beta|positive beta|minus sign|`M` flips the sign",
    ),
    M(
        "hw08",
        "measured_rate",
        [("    s = T // 2\n", "    s = len(d) // 2\n")],
        "Took k = len(distances) // 2 instead of T // 2, so with an even number of distances the second half starts one step late.",
        r"len\(\w*\) ?// ?2|(number of distances|length)[^.]*(\bk\b|half|midpoint|//)|(\bk\b|midpoint)[^.]*(length|number of distances|\blen\b)|one (step|index) late|off[- ]by[- ]one|\beven\b|rounds `T / 2` up",
    ),
    # ---- hw09: clipping, averaging the weights, Lion
    M(
        "hw09",
        "clip_by_global_norm",
        [
            (
                "    norm = float(np.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g in grads.values())))\n",
                "    norm = float(np.sqrt(sum(float(np.linalg.norm(g, 2)) ** 2 for g in grads.values())))\n",
            )
        ],
        "Took np.linalg.norm(g, 2) of each array, which for a matrix is its largest singular value, not the square root of the sum of its squared entries.",
        r"singular|spectral|ord ?= ?2|norm\(g, ?2\)|frobenius|operator norm|matri(x|ces)'?s? (2-)?norm|2-norm",
    ),
    M(
        "hw09",
        "ema_of_weights",
        [
            (
                "        avg = {key: beta * avg[key] + (1 - beta) * np.asarray(theta[key], dtype=np.float64) for key in avg}\n",
                "        for key in avg:\n"
                "            avg[key] += (1 - beta) * np.asarray(theta[key], dtype=np.float64)\n"
                "            avg[key] *= beta\n",
            )
        ],
        "Decayed the average by beta after adding the new snapshot instead of before, so every snapshot, the newest included, carries one extra factor beta.",
        r"(after|before) adding|extra (factor )?(of )?beta|one (more|extra) (factor )?(of )?beta|order of (the )?(decay|update|operations|multiplication|two (lines|statements))|newest[^.]*(also |too )?(multipl|decay|scal)\w*|too small by (a factor )?(of )?beta|beta ?\* ?\(",
    ),
    M(
        "hw09",
        "lion_step",
        [
            (
                "    param -= lr * (np.sign(c) + weight_decay * param)\n",
                "    param -= lr * np.sign(c)\n    param -= lr * weight_decay * param\n",
            )
        ],
        "Applied the weight decay in a second statement after the sign step, so it decays the already-updated parameter instead of the old one.",
        r"(already[- ])?updated param|after the sign (step|update)|second (statement|line|step|update)|two (statements|lines|separate)|separate (statement|step|line)|\bnew param|old param|(weight )?decay[^.]*\b(after|separately)\b",
    ),
    M(
        "hw09",
        "lion_step",
        [("beta2=0.99,", "beta2=0.999,")],
        "Gave beta2 the default 0.999, Adam's, instead of Lion's 0.99.",
        r"default|0\.999|adam'?s",
    ),
]
