"""A tenth held-out set of student mistakes, written without the grader's error model.

Written after the ninth set, by a helper started with a fresh context, who saw neither the
grader's mistake lists, the mutants, the pitfalls nor the diagnosis code: it read only the task
statements, answer cells and visible tests of solutions/hw01 ... hw09, the ``dldemos`` package
they import, and the nine earlier held-out sets (tests/student_mistakes.py,
tests/student_mistakes_fresh.py, tests/student_mistakes_third.py,
tests/student_mistakes_fourth.py, tests/student_mistakes_fifth.py,
tests/student_mistakes_sixth.py, tests/student_mistakes_seventh.py,
tests/student_mistakes_eighth.py, tests/student_mistakes_ninth.py), so as not to repeat them.
The set has three mistakes per assignment, each in a different answer cell, and mixes small
slips with misread formulas and misconceptions: the wrong exception (an ``assert``), a lost
array axis, a call made in the wrong place in the loop (stale gradients), a result that is
only the last average, a correction applied only "during the warm-up", an incremental-mean
update that silently becomes an EWMA, a missing pair of parentheses (``1 - beta * g``,
``1.0 / T - s``), the RMS kept in the state instead of the mean square, RMSProp with bias
correction mistaken for Adam, epochs counted from 1, an EWMA started at its first value yet
still bias-corrected, a warm-up that starts at ``eta_min`` or runs backwards, a hard-coded tolerance, floor division of a fraction, a squared
coordinate compared with an unsquared distance, a missing ``return``, parameters matched by
their (relative) names, ``type(...) ==`` instead of ``isinstance``, a boundary that rejects a
single worker, overlapping micro-batches, the mean of the curvatures' own best steps, the
complex-root shortcut ``sqrt(beta)``, the infinity norm, a skipped first snapshot and a sign
that is never 0. Each entry edits the solution's answer cell with ``(old, new)`` replacements
(every ``old`` occurs exactly once in that cell) and says in one sentence what the student did;
``names`` is a case-insensitive regular expression that a correct diagnosis of that mistake
matches and a description of another mistake of the same cell (in any of the ten sets) does
not. Every edited cell runs and gives results different from the solution's (or raises where it
does not) on some input a hidden test would plausibly use (checked by running the edited cell
beside the original on the notebook's own test inputs).

Measured on the grader as it was when the set was written, before any change it could inform
(after the edits that the eighth and ninth sets' misses suggested): 7 of 27 named, 6 of its 26
unlisted (23 %), none with full marks. One naming that the regex missed was right in other
words and was then accepted (``return v``: "returns `v` where the solution returns
`averages`"); one was wrong: backbone parameters recognised by their relative names were
called the listed "swaps the two learning rates" (the rates do end up swapped for most
parameters, but not for that reason).
"""

from student_mistakes import StudentMistake

M = StudentMistake

TENTH_MISTAKES: list[StudentMistake] = [
    # ---- hw01: mini-batch gradient descent
    M(
        "hw01",
        "batch_sizes",
        [
            (
                "    if m < 1 or batch_size < 1:\n"
                '        raise ValueError(f"m and batch_size must be at least 1, got m={m!r}, batch_size={batch_size!r}")\n',
                '    assert m >= 1 and batch_size >= 1, "m and batch_size must be at least 1"\n',
            )
        ],
        "Checked the inputs with an assert instead of raising a ValueError, so an m or batch_size below 1 raises an AssertionError (and nothing at all under python -O, where batch_size = 0 then divides by zero).",
        r"\bassert\w*|AssertionError|python -O|\s-O\b|optimi[sz]ed mode|(wrong|different|another|other) (kind of |type of |sort of )?(exception|error)|(exception|error) (type|class)|not (a |the )?ValueError|no ValueError",
    ),
    M(
        "hw01",
        "random_mini_batches",
        [
            (
                "X_shuffled, Y_shuffled = X[:, order], Y[:, order]",
                "X_shuffled, Y_shuffled = X[:, order], Y[0, order]",
            ),
            ("Y_shuffled[:, start:start + batch_size])", "Y_shuffled[start:start + batch_size])"),
        ],
        "Reordered the labels as Y[0, order], a 1-D array, and cut it with Y_shuffled[start:start + batch_size], so every label mini-batch Y_t has shape (size,) instead of (1, size): the labels lose their row axis.",
        r"\b1-?d\b|one-dimensional|\bflat\w*|ravel\w*|\((size|batch_size|m_t|n|\d+),\)|Y\[0, ?order\]|(lose|lost|los\w*|drop\w*|without|missing|no|squeez\w*)[^.]*\b(row |first |leading |label |batch )?(axis|dimension)|(axis|dimension)[^.]*(lost|dropped|missing|removed|squeezed)|\bvector|\bndim\b|(1|one|two)[- ](dimensional|axis|axes)|\(1, ?(size|batch_size|m_t|n|\d+)\)",
    ),
    M(
        "hw01",
        "train_one_epoch",
        [
            (
                "        losses.append(float(model.loss(Y_t, Y_hat)))\n        model.backward(Y_t)\n",
                "        losses.append(float(model.loss(Y_t, Y_hat)))\n",
            ),
            (
                "        optimizer.step()\n",
                "        optimizer.step()\n        model.backward(Y_t)\n",
            ),
        ],
        "Called model.backward(Y_t) at the end of the iteration, after optimizer.step(), so every update adds the gradient left from the previous mini-batch (the first update a zero gradient) and the last mini-batch's gradient is never applied.",
        r"stale|previous|prior|preceding|one (step|mini-?batch|iteration|update) (behind|late|too late|lag\w*)|\blag\w*|(backward|gradient)[^.]*\b(after|too late)\b[^.]*(step|update)|\b(after|once)\b[^.]*(step|update)[^.]*backward|zero gradient|left ?over|\bold gradient|out of order|order of (the )?calls|never applied|delay\w*",
    ),
    # ---- hw02: exponentially weighted averages
    M(
        "hw02",
        "ewma",
        [("    return averages\n", "    return v\n")],
        "Returned v, the last average v_T, instead of the array of averages, so the function gives a single number for the whole series instead of one average per day.",
        r"returns `v` where the solution returns `averages`|`?return v`?\b|return\w*[^.]*\b(v|v_T|last|final|single|one|latest)\b[^.]*\b(average|value|number|scalar|float)\b|\bscalar\b|(only|just) the (last|final|latest)|(instead of|not|rather than) (the )?(whole |full )?(array|list|series|sequence) (of|with)|(a|one) (single )?(number|float|value) instead|single (number|value|float)|(no|not an?) (array|list)|(array|list) (is )?(never )?(returned|filled)[^.]*(but|not)",
    ),
    M(
        "hw02",
        "ewma_with_bias_correction",
        [
            (
                "        corrected[t - 1] = v / (1 - beta ** t)\n",
                "        if t < 1 / (1 - beta):   # the correction only matters during the warm-up\n"
                "            corrected[t - 1] = v / (1 - beta ** t)\n"
                "        else:\n"
                "            corrected[t - 1] = v\n",
            )
        ],
        "Applied the bias correction only during the warm-up, for t < 1 / (1 - beta) (the first 10 days for beta = 0.9), and returned the raw average afterwards although 1 - beta**t is still far from 1 there, so just after the warm-up the averages drop by about a third.",
        r"warm-?up|(only|just) (for |during |in |over )?(the )?(first|early|initial|few)|(first|initial) (\d+|few|ten|1 ?/ ?\(1 ?- ?beta\)) (days|steps|values|entries)|1 ?/ ?\(1 ?- ?beta\)|(stop\w*|skip\w*|switch\w* off|turn\w* off|ceas\w*|no longer|\bnot)[^.]*correct\w*[^.]*\b(after|later|beyond|past)\b|\b(after|later|beyond|past)\b[^.]*(uncorrected|\braw\b|without (the )?correction)|correct\w*[^.]*\b(stops?|ends?|switch\w* off|turn\w* off|ceas\w*|skipped|dropped)\b|threshold|cut-?off|jump\w*|drop by|discontinu\w*|(some|part of the) days",
    ),
    M(
        "hw02",
        "moving_average",
        [
            (
                "        leaving = theta[t - window] if t >= window else 0.0\n"
                "        ma = ma + (theta[t] - leaving) / window\n",
                "        ma = ma + (theta[t] - ma) / window\n",
            )
        ],
        "Updated with ma + (z_t - ma) / window, subtracting the previous average instead of the value z_(t-window) that leaves the window, so the function computes an exponentially weighted average with beta = 1 - 1/window rather than the moving average of the last window days.",
        r"exponential\w*|\bewma\b|\bema\b|1 ?- ?1 ?/ ?(window|n)\b|\(theta\[t\] ?- ?ma\)|z_?t ?- ?ma\b|subtracts? `?ma\b|\bma\b`? (instead of|in place of|rather than|where)|subtract\w*[^.]*(previous|old|last|current|running|its own) (average|ma\b|mean)|(previous|old|running|current) (average|ma\b|mean)[^.]*(subtract\w*|in place of|stands? in)|never (drops?|remov\w*|forgets?|subtract\w*) (the )?(old|oldest|leaving)|incremental (mean|average)|(doesn'?t|does not|never) (remember|store|keep|look up)|(infinite|unbounded|whole|entire) (memory|history|past)|all (the )?(past|previous|earlier) (values|days)",
    ),
    # ---- hw03: momentum, RMSProp and Adam
    M(
        "hw03",
        "momentum_step",
        [("    v = beta * v + (1 - beta) * g\n", "    v = beta * v + 1 - beta * g\n")],
        "Left out the parentheses around 1 - beta, writing v = beta * v + 1 - beta * g, so v gains a constant 1 at every step and the gradient enters with weight -beta, pushing p the wrong way.",
        r"parenthes\w*|bracket\w*|precedence|order of operations|1 ?- ?beta ?\* ?g\b|\+ ?1 ?- ?beta|(constant|extra|additional) (1|one)\b|\badds? (a )?(constant )?1\b|(weight|factor|coefficient) (of )?-beta|-beta ?\* ?g|−β|negative (weight|sign|coefficient)|(gradient|\bg\b)[^.]*(sign|wrong way|opposite)",
    ),
    M(
        "hw03",
        "rmsprop_step",
        [
            (
                "    s = beta * s + (1 - beta) * g ** 2\n    p = p - lr * g / (np.sqrt(s) + eps)\n",
                "    s = np.sqrt(beta * s + (1 - beta) * g ** 2)\n    p = p - lr * g / (s + eps)\n",
            )
        ],
        "Stored the root, s = sqrt(beta s + (1 - beta) g**2), as the state instead of the mean square itself, so the first step is right but from the second step on the recursion averages a root with squared gradients and s and the steps come out wrong.",
        r"(stor\w*|kept|keep\w*|return\w*|sav\w*|carr\w*)[^.]*\b(root|rms|sqrt)\b|\b(root|rms|sqrt)\b[^.]*(stored|kept|returned|as the state|in the state|carried)|\bs ?= ?(np\.)?sqrt|(mix\w*|averag\w*|combin\w*|blend\w*)[^.]*\broot\b[^.]*squar\w*|\bstate\b[^.]*\broot\b|\broot\b[^.]*\bstate\b|(second|later|next) step|rms (instead of|rather than|not) (the )?mean square",
    ),
    M(
        "hw03",
        "adam_step",
        [
            (
                "    p = p - lr * v_hat / (np.sqrt(s_hat) + eps)\n",
                "    p = p - lr * g / (np.sqrt(s_hat) + eps)\n",
            )
        ],
        "Stepped with the raw gradient g instead of the corrected momentum v_hat in the numerator, so the update is RMSProp with bias correction and the first moment is computed but never used.",
        r"\braw gradient|\bg\b[^.]*\b(instead of|not|rather than|in place of)\b[^.]*(v_hat|v̂|momentum|first moment|\bv\b)|(v_hat|v̂|first moment|momentum|\bv\b)[^.]*\b(never|unused|ignored|discarded)\b|\bg\b`?[^.]*\bwhere\b[^.]*v_hat|rmsprop|numerator|lr ?\* ?g ?/|without (the )?momentum|(no|lost|los\w*) momentum",
    ),
    # ---- hw04: learning-rate schedules
    M(
        "hw04",
        "multistep_decay",
        [("if milestone <= t)", "if milestone <= t + 1)")],
        "Compared each milestone with t + 1, counting the epochs from 1, so every decay comes one epoch early (at t = 29 instead of t = 30 for the milestone 30).",
        r"\bt ?\+ ?1\b|one (epoch|step) (too )?early|\bearly\b|(from|at) 1\b|1-based|one-based|off[- ]by[- ]one|\bt ?= ?29\b|before (the|its|each) milestone|\bshift\w*",
    ),
    M(
        "hw04",
        "cosine_with_warmup",
        [
            (
                "            return lr0 * t / warmup\n",
                "            return eta_min + (lr0 - eta_min) * t / warmup\n",
            )
        ],
        "Started the warmup line at eta_min instead of 0, eta_min + (lr0 - eta_min) * t / warmup, mirroring the cosine, so with eta_min > 0 every warmup rate is too high (t = 0 gives eta_min instead of 0).",
        r"warm-?up (line |ramp |rate )?(starts?|begins?|from|at) (at |from )?`?eta_min|(start|begin)\w* (the )?(linear )?warm-?up[^.]*eta_min|eta_min (instead of|rather than|not) (0|zero)\b|t ?= ?0 (gives|is|returns) `?eta_min|eta_min ?\+ ?\(lr0 ?- ?eta_min\) ?\* ?t|warm-?up[^.]*too (high|large)|too (high|large)[^.]*warm-?up|(ramp|line|warm-?up|interpolat\w*)[^.]*from `?eta_min|(lift\w*|shift\w*|offset)[^.]*warm-?up|warm-?up[^.]*(lift\w*|shift\w*|offset)",
    ),
    M(
        "hw04",
        "suggest_lr",
        [("    average = 0.0\n", "    average = losses[0]\n")],
        "Started the EWMA at the first loss instead of at 0 but still divided by 1 - beta**(i + 1), so the bias is corrected for a zero start that never happened: the early smoothed values are blown up (the first one 1 / (1 - beta) = 50 times the loss) and the stretch and its steepest slope move.",
        r"losses\[0\]|(start\w*|initiali[sz]\w*|began|begin\w*|seed\w*)[^.]*(at|from|with) (the )?first (loss|value)|first (loss|value) (instead of|rather than|not) (0|zero)\b|(instead of|rather than|not) (at |from )?(0|zero)\b|double[- ]?(count\w*|correct\w*)|over-?correct\w*|blown up|inflat\w*|too (large|big|high)|1 ?/ ?\(1 ?- ?beta\)|\b50 times|zero start|(v_?0|average_?0|initial (average|value)) (is |of )?(not )?(0|zero)",
    ),
    # ---- hw05: saddle points and plateaus
    M(
        "hw05",
        "classify_critical_point",
        [
            (
                "    zero = tol * max(1.0, float(np.max(np.abs(eigenvalues))))\n",
                "    zero = 1e-8 * max(1.0, float(np.max(np.abs(eigenvalues))))\n",
            )
        ],
        "Hard-coded the tolerance 1e-8 in the zero threshold instead of using the tol argument, so a call with another tol (tol=1e-5 with an eigenvalue 1e-6) ignores it and calls a degenerate point a minimum.",
        r"hard-?cod\w*|\btol\b[^.]*(ignor\w*|unused|not used|never used|overrid\w*|has no effect)|(ignor\w*|not us\w*|never us\w*|doesn'?t use|does not use|instead of|in place of)[^.]*\btol\b|1e-?0?8\b[^.]*(instead of|not|rather than|in place of)[^.]*\btol\b|1e-?0?8\b[^.]*\b(where|while)\b[^.]*\btol\b|\bliteral\b|\bconstant\b|default (tol|tolerance)|fixed (tol|tolerance|threshold)|(tol|tolerance) (argument|parameter)",
    ),
    M(
        "hw05",
        "fraction_of_minima",
        [
            (
                "    return float(np.mean(np.all(np.linalg.eigvalsh(H) > 0, axis=1)))\n",
                "    return float(np.count_nonzero(np.all(np.linalg.eigvalsh(H) > 0, axis=1)) // num_samples)\n",
            )
        ],
        "Divided the count of minima by num_samples with floor division //, so the fraction is rounded down to 0 (1 only if every matrix is a minimum).",
        r"//|floor\w*|integer division|int(eger)? (division|arithmetic|result)|round\w* (it )?down|truncat\w*|always (0|zero)\b|(is|comes out( as)?|returns?|gives?) (always )?(0|zero)\b",
    ),
    M(
        "hw05",
        "escape_step",
        [("        if abs(y) >= distance:\n", "        if y ** 2 >= distance:\n")],
        "Compared y ** 2 with distance, squaring y to get rid of its sign but not the distance, so the threshold is really sqrt(distance): |y| >= 0.71 for distance 0.5 and |y| >= 4.47 for distance 20 (distance 1 is unaffected).",
        r"y ?\*\* ?2|y²|y\^2|squar\w*|sqrt\(distance\)|√ ?distance|root of (the )?distance",
    ),
    # ---- hw06: optimizers in PyTorch
    M(
        "hw06",
        "adam",
        [("        return loss\n", "")],
        "Called the closure but never returned its loss (the return loss line is missing), so step(closure) returns None; the update itself is right.",
        r"return\w*[^.]*\bNone\b|\bNone\b[^.]*return\w*|(never|not|n'?t|forg[eo]t\w*|without|missing|no|omit\w*|lack\w*)[^.]*\breturn\w*[^.]*\bloss|return loss|(closure'?s?|the) loss[^.]*(lost|discarded|dropped|not returned|never returned|thrown away)",
    ),
    M(
        "hw06",
        "fine_tuning_groups",
        [
            (
                "    in_backbone = {id(p) for p in backbone.parameters()}\n",
                "    in_backbone = {name for name, _ in backbone.named_parameters()}\n",
            ),
            (
                "    for p in model.parameters():\n",
                "    for name, p in model.named_parameters():\n",
            ),
            ("id(p) in in_backbone", "name in in_backbone"),
        ],
        "Recognised the backbone's parameters by name, comparing the names from backbone.named_parameters(), which are relative to the backbone ('0.weight'), with those of model.named_parameters() ('0.0.weight'), so the backbone's parameters get lr and a head parameter whose name happens to coincide (the head's '1.weight' and the LayerNorm's '1.weight') gets backbone_lr.",
        r"\bnames?\b|named_parameters|prefix\w*|relative to|qualified|\bkeys?\b",
    ),
    M(
        "hw06",
        "train_epochs",
        [
            (
                "        if isinstance(scheduler, lr_scheduler.ReduceLROnPlateau):\n",
                "        if type(scheduler) == lr_scheduler.ReduceLROnPlateau:\n",
            )
        ],
        "Recognised ReduceLROnPlateau with type(scheduler) == ReduceLROnPlateau instead of isinstance, so a subclass of it is not recognised and is stepped with scheduler.step() without the mean loss, which raises a TypeError.",
        r"\btype\(|isinstance|subclass\w*|exact (type|class)|inherit\w*|derived|==|TypeError|(without|no|missing) (the )?(mean|loss|metric)|(plateau|ReduceLROnPlateau)[^.]*(not recogni[sz]ed|unrecogni[sz]ed|missed|not detected|treated as)",
    ),
    # ---- hw07: simulated workers, gradient accumulation, the linear scaling rule
    M(
        "hw07",
        "worker_gradients",
        [("    if K < 1 or m % K:\n", "    if K <= 1 or m % K:\n")],
        "Checked K <= 1 instead of K < 1, so a single worker (K = 1, the whole batch on one worker) is rejected with a ValueError instead of returning one gradient dict.",
        r"<= ?1\b|K ?≤ ?1|(single|one|lone|1) worker\b|\bK ?(=|==) ?1\b|boundary|non-?strict|(instead of|not|rather than) (a )?strict|(reject\w*|refus\w*|disallow\w*)[^.]*\b(1|one)\b",
    ),
    M(
        "hw07",
        "accumulated_gradient",
        [
            (
                "        X_j, Y_j = X[:, start:start + micro_batch_size], Y[:, start:start + micro_batch_size]\n",
                "        X_j, Y_j = X[:, start:start + micro_batch_size + 1], Y[:, start:start + micro_batch_size + 1]\n",
            )
        ],
        "Sliced each micro-batch as start:start + micro_batch_size + 1, as if the end index needed one more, so consecutive micro-batches overlap by one example, which is counted twice, and the weights m_j / m add up to more than 1.",
        r"micro_batch_size ?\+ ?1|overlap\w*|(counted|used|seen|included|appears?) twice|twice|double[- ]?count\w*|one (example|column) too many|(add|sum)\w* (up )?to more than (1|one)|off[- ]by[- ]one|(shared|repeated) (example|column)s?",
    ),
    M(
        "hw07",
        "scaled_rate",
        [
            (
                "        return float(lr + (peak - lr) * t / warmup_steps)\n",
                "        return float(peak + (lr - peak) * t / warmup_steps)\n",
            )
        ],
        "Wrote the warmup backwards, peak + (lr - peak) * t / warmup_steps, so the rate starts at the peak and falls towards lr during the warmup, then jumps back up to the peak at t = warmup_steps.",
        r"warm-?up[^.]*(backwards?|revers\w*|wrong (way|direction)|(starts?|begins?) (at|from) (the )?peak|(falls?|decreas\w*|declin\w*|goes down|descend\w*) (linearly )?(from (the )?peak )?(towards?|to) (`?lr\b|the small))|(backwards?|revers\w*|decreasing|falling|downward|wrong (way|direction))[^.]*warm-?up|peak ?\+ ?\(lr ?- ?peak\)|warm-?up[^.]*\b(goes|going|runs?|starts?|starting|begins?|moves?|ramps?|descends?|falls?|decreases?) from (the )?peak\b|\b(lr|peak)`? and `?(lr|peak)`? (are |were )?(swapped|exchanged|reversed|interchanged)|(interpolat\w*|ramp)[^.]*(wrong (way|direction)|backwards?|from (the )?peak)|(swap\w*|exchang\w*)[^.]*\blr\b[^.]*\bpeak\b|(swap\w*|exchang\w*)[^.]*\bpeak\b[^.]*\blr\b|jumps? (back )?up",
    ),
    # ---- hw08: rates on the quadratic model
    M(
        "hw08",
        "gd_optimal",
        [
            (
                "    return 2.0 / (lam_min + lam_max), (kappa - 1.0) / (kappa + 1.0)\n",
                "    return (1.0 / lam_min + 1.0 / lam_max) / 2, (kappa - 1.0) / (kappa + 1.0)\n",
            )
        ],
        "Took alpha as the average of the two curvatures' own best steps, (1/lam_min + 1/lam_max) / 2, instead of 2 / (lam_min + lam_max), so alpha is too large and the returned rate is not max |1 - alpha lambda| at it (for [1, 3] alpha = 2/3 instead of 1/2).",
        r"(average|mean) of (the )?(two )?(curvatures'? )?(own |individual |best |optimal |separate )*(steps|step sizes|learning rates|alphas|rates|1 ?/ ?lam\w*|reciprocals|inverses)|1(\.0)? ?/ ?lam_min ?\+ ?1(\.0)? ?/ ?lam_max|(arithmetic )?(mean|average) of (the )?(reciprocals|inverses|1/λ)|harmonic|\b2 ?/ ?3\b|too (large|big)|(sum|add\w*) of (the )?(reciprocals|inverses)",
    ),
    M(
        "hw08",
        "momentum_spectral_radius",
        [
            (
                "    M = np.array([[1.0 + beta - alpha * (1.0 - beta) * lam, -beta], [1.0, 0.0]])\n"
                "    return float(np.max(np.abs(np.linalg.eigvals(M))))\n",
                "    return float(np.sqrt(beta))   # complex roots have size sqrt(beta)\n",
            )
        ],
        "Returned sqrt(beta), the size of the roots when they are complex, without computing M's eigenvalues, so whenever the roots are real (beta = 0, or alpha lam far from the sweet spot) the radius is wrong (beta = 0 gives 0 instead of |1 - alpha lam|).",
        r"sqrt\(beta\)|√ ?β|√ ?beta|(square )?root of beta|beta ?\*\* ?0?\.5|(assum\w*|pretend\w*|as if) (that )?(the )?(two )?roots (are )?(always )?complex|always complex|(without|never|no|skip\w*|instead of) (comput\w*|using|building|forming|looking at) (M\b|the matrix|(the |its |M'?s )?eigen\w*)|(ignor\w*|independent of|doesn'?t depend on|does not depend on)[^.]*\b(alpha|lam|curvature)",
    ),
    M(
        "hw08",
        "measured_rate",
        [("** (1.0 / (T - s))", "** (1.0 / T - s)")],
        "Left out the parentheses in the exponent, writing 1.0 / T - s, so the exponent is 1/T minus k instead of 1 / (T - k), a large negative power that sends the rate far from the truth.",
        r"parenthes\w*|bracket\w*|precedence|order of operations|1(\.0)? ?/ ?T ?- ?(s|k)\b|1 ?/ ?T minus|negative (power|exponent)|(exponent|power)[^.]*\bnegative",
    ),
    # ---- hw09: clipping, averaging the weights, Lion
    M(
        "hw09",
        "clip_by_global_norm",
        [
            (
                "    norm = float(np.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g in grads.values())))\n",
                "    norm = float(max(np.max(np.abs(g)) for g in grads.values()))\n",
            )
        ],
        "Took the largest absolute entry over all arrays, the infinity norm, as the global norm instead of the square root of the sum of all squares, so the norm is too small and the gradients are clipped too little or not at all.",
        r"inf(inity)?[- ]norm|\bmax(imum)? norm|(largest|biggest|maximum|max) (absolute )?(entry|element|value|component|magnitude|coordinate)|np\.max\(np\.abs|max\(\|g\|\)|max\s*\|g\||max of \|g\||max\(abs|L-?∞|\bl_?inf\b|chebyshev|too small|clipped too little|(under-?estimat\w*)",
    ),
    M(
        "hw09",
        "ema_of_weights",
        [
            (
                "    for theta in snapshots:\n",
                "    for theta in snapshots[1:]:   # snapshots[0] is theta_0\n",
            )
        ],
        "Looped over snapshots[1:], skipping the first snapshot as if it were theta_0, so the oldest weights are left out of the average (while the bias correction still counts every snapshot) and a single snapshot gives all zeros.",
        r"snapshots\[1:\]|(skip\w*|drop\w*|ignor\w*|left out|leav\w* out|omit\w*|miss\w*|exclud\w*)[^.]*(first|oldest|earliest|initial) (snapshot|weights|entry|element)|(first|oldest|earliest|initial) (snapshot|weights)[^.]*(skipped|dropped|ignored|left out|omitted|missing|excluded|never (used|averaged|included))|theta_?0|θ_?0|\ball zeros?\b|off[- ]by[- ]one|one (snapshot )?too few",
    ),
    M(
        "hw09",
        "lion_step",
        [
            (
                "    param -= lr * (np.sign(c) + weight_decay * param)\n",
                "    param -= lr * (np.where(c > 0, 1.0, -1.0) + weight_decay * param)\n",
            )
        ],
        "Wrote the sign as np.where(c > 0, 1.0, -1.0), so a coordinate with c = 0 (a zero gradient and zero momentum) gets -1 and moves by +lr instead of staying put with sign(0) = 0.",
        r"np\.where|\bc ?> ?0|(-1|−1|minus one|negative one)\b[^.]*\b(zero|0)\b|\b(zero|0)\b[^.]*(-1|−1|minus one|negative one)\b|(only two|two) (values|outcomes)|\+ ?1 or -1|±1|(moves?|step\w*)[^.]*(even )?(where|when|at|for) (c ?= ?0|zero)|(where|when|at|for) (c ?= ?0|zero)[^.]*(moves?|step\w*|\+ ?lr)|staying put|stay put|never (0|zero)\b",
    ),
]
