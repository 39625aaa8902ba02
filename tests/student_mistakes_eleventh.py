"""An eleventh held-out set of student mistakes, written without the grader's error model.

Written after the tenth set, by a helper started with a fresh context, who saw neither the
grader's mistake lists, the mutants, the pitfalls, the checks nor the diagnosis code: it read
only the task statements, answer cells and test cells of solutions/hw01/hw01.ipynb ...
solutions/hw09/hw09.ipynb, the ``dldemos`` package they import (dldemos/optim.py and
dldemos/nn.py), and the ten earlier held-out sets (tests/student_mistakes.py,
tests/student_mistakes_fresh.py, tests/student_mistakes_third.py,
tests/student_mistakes_fourth.py, tests/student_mistakes_fifth.py,
tests/student_mistakes_sixth.py, tests/student_mistakes_seventh.py,
tests/student_mistakes_eighth.py, tests/student_mistakes_ninth.py,
tests/student_mistakes_tenth.py), so as not to repeat them.
The set has three mistakes per assignment, each in a different answer cell, and mixes slips,
Python pitfalls, misread formulas and formulas borrowed from a neighbouring method: the
number of full mini-batches taken for the examples they hold (``m - full``), a generator
seeded afresh inside the function, a mutable default argument that keeps the losses of
earlier calls, a result array hard-coded to float32, Adam's square root carried into the
EWMA's bias correction, a search for the window capped at a fixed number of steps,
copies made with ``np.array(..., dtype=float)`` that turn float32 into float64, ``eps``
added into the RMSProp state, AMSGrad's running maximum in Adam, a conditional expression
whose ``else`` resets the rate to ``lr0``, a cosine fed degrees instead of radians, the
slope taken on a log-log scale, ``eigenvalues[1]`` for ``eigenvalues[-1]``, the
second difference of a function applied to the gradient, ``... or None`` that turns index 0
into None, the step count incremented only when the state is created, weight decay decided
by ``"bias" in name``, the sum of the losses where their mean belongs, two checks in the
wrong order (``m % K`` before ``K < 1``), a loop that starts at the second micro-batch, a
missing warm-up when ``total_steps`` is None, ``kappa ** 1/2``, the eigenvectors of
``np.linalg.eig`` for its eigenvalues, a least-squares fit for the two-point rate, a
``return`` inside the loop, a running average allocated with ``np.zeros(len(value))``
and a Lion step without the sign. Each entry edits the solution's answer cell with
``(old, new)`` replacements (every ``old`` occurs exactly once in that cell) and says in one
sentence what the student did; ``names`` is a case-insensitive regular expression that a
correct diagnosis of that mistake matches and a description of another mistake of the same
cell (in any of the eleven sets) does not. Every edited cell runs and gives results different
from the solution's (or raises where it does not) on some input the notebook's tests use
(checked by running the edited cell beside the original on the notebook's own test inputs).

Measured on the grader as it was when the set was written, before any change it could inform
(after the edits that give an ``assert`` or another error for the solution's ``raise``, made
meanwhile): 6 of 27 named, none with full marks. Two of the six namings were right in other
words and were then accepted (``return`` inside the loop: "your code returns inside `for g
in grads.values()`, after its first pass"; the Lion step without the sign: "your `param`
uses the value instead of its sign"), so 4 of 27 right (15 %). Two were wrong:
``eigenvalues[1]`` for ``eigenvalues[-1]`` was called "your condition flips the sign" (the
edit is that one, said as a sign where it is an index), and ``m % K`` tested before
``K < 1`` was called "`K + 1` for `K`, or the condition `K < 1` left out". Both led to new
edits: an index counted from the other end, and two conditions tested in the other order.
"""

from student_mistakes import StudentMistake

M = StudentMistake

ELEVENTH_MISTAKES: list[StudentMistake] = [
    # ---- hw01: mini-batch gradient descent
    M(
        "hw01",
        "batch_sizes",
        [
            (
                "    full, rest = divmod(m, batch_size)\n",
                "    full = m // batch_size\n    rest = m - full\n",
            )
        ],
        "Computed the leftover as m - full, subtracting the number of full mini-batches instead of the examples they hold (full * batch_size), so the last mini-batch is far too large (batch_sizes(10, 4) gives [4, 4, 8]) and appears even when batch_size divides m.",
        r"m ?- ?full\b|full ?\* ?batch_size|(number|count) of (full )?(mini-?)?batches[^.]*(instead of|rather than|not|for|as|in place of|where)[^.]*(examples|size)|(examples|size)[^.]*(instead of|rather than|not)[^.]*(number|count) of (full )?(mini-?)?batches|(forg[eo]t\w*|without|missing|omit\w*|never)[^.]*multipl\w*[^.]*batch_size|(left ?over|remainder|rest)[^.]*(too (large|big)|wrong|m - )",
    ),
    M(
        "hw01",
        "random_mini_batches",
        [
            (
                "    order = rng.permutation(m)\n",
                "    rng = np.random.default_rng(0)\n    order = rng.permutation(m)\n",
            )
        ],
        "Seeded a new generator inside the function, rng = np.random.default_rng(0), overwriting the rng passed in, so every call draws the same order: the next epoch is not reshuffled and other seeds give the seed-0 batches.",
        r"default_rng\(0\)|\bseed\w*|(new|fresh|own|local|second)[^.]*(generator|rng)|(overwr\w*|rebind\w*|rebound|replac\w*|shadow\w*|discard\w*|ignor\w*)[^.]*\brng\b|\brng\b[^.]*(overwritten|rebound|replaced|shadowed|ignored|discarded|never used|unused)|same (order|shuffle|permutation|batches)[^.]*(every|each|all|both)|(every|each|both)[^.]*(call|epoch)s?[^.]*same (order|shuffle|permutation)|not reshuffl\w*|reproduc\w*",
    ),
    M(
        "hw01",
        "train_one_epoch",
        [
            (
                "def train_one_epoch(model, optimizer, mini_batches):\n",
                "def train_one_epoch(model, optimizer, mini_batches, losses=[]):\n",
            ),
            ("    losses = []\n", ""),
        ],
        "Gave the function a default argument losses=[] instead of creating the list inside it, so the one default list is shared by every call and each epoch returns the losses of all earlier epochs too (the same list, growing).",
        r"mutable|default|losses ?= ?\[\]\)|(shared|same|one) list[^.]*(calls|epochs)|(calls|epochs)[^.]*(share|same list)|(earlier|previous|past|prior|other|all) (calls|epochs)|(across|between|over) (calls|epochs|invocations)|(grows|growing|keeps growing|accumulat\w*)[^.]*(call|epoch)|persist\w*|never (reset|cleared|emptied)|(not|never) (reset|cleared|emptied)",
    ),
    # ---- hw02: exponentially weighted averages
    M(
        "hw02",
        "ewma",
        [
            (
                "    averages = np.empty(theta.shape, dtype=dtype)\n",
                "    averages = np.empty(theta.shape, dtype=np.float32)\n",
            )
        ],
        "Allocated the result as float32 whatever the input, so a float64 series (or a list of integers) gives float32 averages rounded to single precision instead of float64 ones.",
        r"(always|hard-?cod\w*|every|whatever|any|all)[^.]*float32|float32[^.]*(always|every|whatever|any|all|regardless|hard-?cod\w*)|float32 for (a |the )?(float64|int|integer|list)|float64 (series|input|array)s? (gives?|returns?|comes? (back|out)|become)[^.]*float32|single precision|precision|round(ed|ing)|instead of float64",
    ),
    M(
        "hw02",
        "ewma_with_bias_correction",
        [
            (
                "        corrected[t - 1] = v / (1 - beta ** t)\n",
                "        corrected[t - 1] = v / np.sqrt(1 - beta ** t)\n",
            )
        ],
        "Divided by the square root of 1 - beta**t, as in Adam's folded step size, instead of by 1 - beta**t itself, so the early averages are corrected too little (a constant series starts at sqrt(1 - beta) times its value).",
        r"sqrt|square[- ]root|\broot\b|\*\* ?0?\.5|correct\w* too (little|weak)|too weak|under-?correct\w*|(half|partly|partial\w*) correct\w*",
    ),
    M(
        "hw02",
        "effective_window",
        [
            (
                "    k = 1\n    while beta ** k > 1 / math.e:\n        k += 1\n    return k\n",
                "    for k in range(1, 1000):\n        if beta ** k <= 1 / math.e:\n            return k\n",
            )
        ],
        "Searched k only over range(1, 1000), to be safe from an endless loop, so a window longer than 999 days (beta = 0.999 needs 1000, 0.9999 about 10000) is never found and the function returns None.",
        r"range\(1, ?1000\)|\b(999|1000)\b|cap\w*|limit\w*|bound\w*|(maximum|max|fixed|finite|hard-?coded)[^.]*(number of )?(iterations|steps|loop|search|range|k\b)|(long|large|big|wide)[^.]*(window|beta)|(window|beta)s? (close|near) (to )?1|(falls? off|runs? out|ends?|exhaust\w*)[^.]*(loop|range|search)|\bNone\b",
    ),
    # ---- hw03: momentum, RMSProp and Adam
    M(
        "hw03",
        "momentum_step",
        [
            (
                "    v = beta * v + (1 - beta) * g\n",
                "    p, v = np.array(p, dtype=float), np.array(v, dtype=float)\n    v = beta * v + (1 - beta) * g\n",
            )
        ],
        "Copied p and v with np.array(..., dtype=float) first, so as not to modify the arguments, which also converts float32 parameters to float64: p and v come back float64 and the float32 steps are computed in double precision.",
        r"float64|float32|dtype|\btype\b|precision|dtype=float|np\.array\([^)]*float|(convert\w*|cast\w*|promot\w*|upcast\w*)",
    ),
    M(
        "hw03",
        "rmsprop_step",
        [
            (
                "    s = beta * s + (1 - beta) * g ** 2\n",
                "    s = beta * s + (1 - beta) * g ** 2 + eps\n",
            )
        ],
        "Added eps to the running average itself, s = beta s + (1 - beta) g**2 + eps, so eps piles up in the stored state at every step (s no longer averages the squared gradients) on top of the eps in the denominator.",
        r"eps[^.]*\b(state|stored|average[sd]?|accumulat\w*|pil\w*|build\w*|each step|every step|recursion|running|into s|to s|in s)\b|(state|stored|running average)[^.]*(includes?|contains?|gets?|plus|\+) `?eps|\bs\b (includes?|contains?|gets?) `?eps|\bs ?= ?beta[^.]*\+ ?eps|(twice|two places|double\w*)[^.]*eps|eps[^.]*(twice|two places)",
    ),
    M(
        "hw03",
        "adam_step",
        [
            (
                "    s = beta2 * s + (1 - beta2) * g ** 2\n",
                "    s = np.maximum(s, beta2 * s + (1 - beta2) * g ** 2)\n",
            )
        ],
        "Kept the running maximum of the second moment, s = max(s, beta2 s + (1 - beta2) g**2), as AMSGrad does, instead of the plain EWMA, so s never decreases and the steps after a burst of large gradients are too small.",
        r"amsgrad|maximum|\bmax\b|np\.maximum|never (decreas|shrink|falls?|goes down)\w*|monoton\w*|(only|can only) (grows?|increas\w*)|running max|largest",
    ),
    # ---- hw04: learning-rate schedules
    M(
        "hw04",
        "multistep_decay",
        [
            (
                "        return lr0 * gamma ** sum(1 for milestone in milestones if milestone <= t)\n",
                "        rate = lr0\n"
                "        for milestone in milestones:\n"
                "            rate = rate * gamma if milestone <= t else lr0\n"
                "        return rate\n",
            )
        ],
        "Wrote the loop's update as rate * gamma if milestone <= t else lr0, so every milestone not yet reached resets the rate to lr0 and undoes the decays of the earlier ones: the rate stays lr0 until the last milestone (with [30, 80] it is lr0 at t = 30).",
        r"\breset\w*|\bundo\w*|undoes|\belse\b|(overwr\w*|restor\w*|revert\w*)[^.]*lr0|lr0[^.]*(again|overwr\w*|restor\w*)|(later|next|last|final|unreached|pending|future|upcoming)[^.]*milestones?[^.]*(cancel\w*|wip\w*|erase\w*|reset\w*|undo\w*|throws? away|discard\w*)|until (the )?(last|final) milestone|(only|just) (the )?(last|final) milestone",
    ),
    M(
        "hw04",
        "cosine_with_warmup",
        [("math.cos(math.pi * progress)", "math.cos(180 * progress)")],
        "Wrote half a turn of the cosine as 180, cos(180 * progress), although math.cos takes radians, so the annealing oscillates many times between lr0 and eta_min instead of falling once from lr0 to eta_min.",
        r"\bdegree\w*|\b180\b|oscillat\w*|(many|several|multiple) (times|periods|cycles|oscillations)|up and down",
    ),
    M(
        "hw04",
        "suggest_lr",
        [
            (
                "np.gradient(smoothed[skip_start:end], np.log(lrs[skip_start:end]))",
                "np.gradient(np.log(smoothed[skip_start:end]), np.log(lrs[skip_start:end]))",
            )
        ],
        "Took the slope on a log-log scale, np.gradient(np.log(smoothed), np.log(lrs)), differentiating the logarithm of the smoothed loss instead of the loss itself, so the relative fall is maximised and the suggested rate moves towards where the loss is already small.",
        r"log[- ]log|np\.log\(smoothed|log(arithm)? of (the )?(smoothed )?loss(es)?|loss(es)?'? (logarithm|log)\b|relative (slope|change|fall|decrease|drop|rate)|both (axes|logarithm\w*|on a log)|(logarithm\w*|log) (on|of) both",
    ),
    # ---- hw05: saddle points and plateaus
    M(
        "hw05",
        "classify_critical_point",
        [
            (
                "eigenvalues[0] < -zero and eigenvalues[-1] > zero",
                "eigenvalues[0] < -zero and eigenvalues[1] > zero",
            )
        ],
        "Took eigenvalues[1], the second smallest eigenvalue, for the largest one in the saddle test, so a 3 x 3 Hessian with eigenvalues -1, 0, 1 is called degenerate instead of a saddle and a 1 x 1 Hessian with a negative eigenvalue raises an IndexError.",
        r"eigenvalues\[1\]|\[1\] (instead of|rather than|for|in place of|where) |second[- ](smallest|lowest|eigenvalue|entry|element|one)|index 1\b|(not|instead of|rather than) (the )?(largest|last|biggest|top) (eigenvalue|one|entry)|IndexError|(1 ?x ?1|one-by-one|single eigenvalue)",
    ),
    M(
        "hw05",
        "numerical_hessian",
        [
            (
                "        H[:, j] = (np.asarray(grad(point + step)) - np.asarray(grad(point - step))) / (2 * h)\n",
                "        H[:, j] = (np.asarray(grad(point + step)) - 2 * np.asarray(grad(point))\n"
                "                   + np.asarray(grad(point - step))) / h ** 2\n",
            )
        ],
        "Applied the second difference of a function, (f(p + h e_j) - 2 f(p) + f(p - h e_j)) / h**2, to the gradient, so each column approximates third derivatives of f (about 0 on a quadratic bowl, whose third derivatives vanish) instead of the Hessian's column j.",
        r"second[- ](order )?(central )?differen\w*|h ?\*\* ?2|h²|h\^2|h squared|2 ?\* ?(np\.asarray\()?grad\(p|- ?2 ?\*? ?(grad|g|f)\b|\bthird\b|f\(p ?\+ ?h|(formula|stencil) (for|of) (the )?second derivative|(1|one)[- ]?d(imensional)? second derivative",
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
                "    escaped = np.abs(np.asarray(trajectory)[:, 1]) >= distance\n"
                "    return int(np.argmax(escaped)) or None\n",
            )
        ],
        "Returned int(np.argmax(escaped)) or None, relying on argmax giving 0 when nothing escapes, but 0 is falsy, so a trajectory that has already escaped at index 0 (its starting point) gives None instead of 0.",
        r"\bor None\b|fals[ey]\w*|truth\w*|\b(0|zero) is (false|treated as|falsy)|(index|step) (0|zero)[^.]*None|None[^.]*(index|step) (0|zero)|(start\w*|initial|first) (point|index)[^.]*(escaped|outside|already)|(already )?(escaped|outside)[^.]*(start|beginning|index 0|first point)|starts? (already )?(outside|beyond|escaped)",
    ),
    # ---- hw06: optimizers in PyTorch
    M(
        "hw06",
        "adam",
        [
            (
                '                    state["exp_avg_sq"] = torch.zeros_like(p)\n                state["step"] += 1\n',
                '                    state["exp_avg_sq"] = torch.zeros_like(p)\n                    state["step"] += 1\n',
            )
        ],
        "Indented state['step'] += 1 into the if not state: block, so the step count is incremented only when the state is created and t stays 1: every step is bias-corrected as if it were the first (v divided by 1 - beta1, s by 1 - beta2).",
        r"\bt\b (stays|is always|remains|stuck|never (changes|grows|increases|advances))|always (t ?= ?)?1\b|(step|count|counter|t)\b[^.]*(never|not|only once|once)[^.]*(increment\w*|advanc\w*|increas\w*|updated|grows?)|(increment\w*|advanc\w*)[^.]*(only )?(when|while|on) (the )?(state is )?(creat\w*|initiali[sz]\w*|first)|inside (the )?(`?if not state`?|initiali[sz]ation|creation)|indent\w*|(every|each) (step|update)[^.]*(as if|like) (it were )?the first|first[- ]step (bias )?correction[^.]*(every|each|all)|first step'?s? (bias[- ])?correction",
    ),
    M(
        "hw06",
        "fine_tuning_groups",
        [
            (
                "    for p in model.parameters():\n",
                "    for name, p in model.named_parameters():\n",
            ),
            ("weight_decay if p.ndim >= 2 else 0.0)", '0.0 if "bias" in name else weight_decay)'),
        ],
        'Decided on weight decay by the parameter\'s name, 0 only when "bias" is in it, instead of by p.ndim, so the weights of normalisation layers (LayerNorm, BatchNorm, GroupNorm), which are vectors, get weight decay.',
        r"\"?bias\"? in (the )?name|names?[^.]*\bbias(es)?\b|\bbias(es)?\b[^.]*\bnames?\b|substring|string match\w*|(only|just) (the )?bias(es)?[^.]*(exclu\w*|exempt\w*|spared|no weight decay|without)|(exclu\w*|exempt\w*)[^.]*only (the )?bias(es)?|(weight decay|decay)[^.]*\b(from|by|on) (the )?(parameter'?s? )?names?\b|norm\w* (layer )?weights?[^.]*(also |still |wrongly )?(get|receive|are given|have)[^.]*decay(?![^.]*weight matri)",
    ),
    M(
        "hw06",
        "train_epochs",
        [("scheduler.step(sum(losses) / len(losses))", "scheduler.step(sum(losses))")],
        "Passed ReduceLROnPlateau the sum of the epoch's mini-batch losses instead of their mean, forgetting to divide by their number, so the scheduler sees a value as many times too large as there are mini-batches.",
        r"\bsum\b|summed|\btotal\b|add(ed|s)? up|(not|never|without|forg[eo]t\w*|missing)[^.]*divid\w*|len\(losses\)|(number of|count of) (mini-?)?batches times",
    ),
    # ---- hw07: simulated workers, gradient accumulation, the linear scaling rule
    M(
        "hw07",
        "worker_gradients",
        [("    if K < 1 or m % K:\n", "    if m % K or K < 1:\n")],
        "Tested m % K before K < 1, so for K = 0 the modulo divides by zero and raises a ZeroDivisionError before the K < 1 check can raise the ValueError.",
        r"\border\b|short[- ]circuit\w*|(first|before)[^.]*m ?% ?K|m ?% ?K[^.]*(first|before)|before[^.]*K ?< ?1|K ?< ?1[^.]*(after|second|too late|never reached|not reached)|(evaluat\w*|test\w*|check\w*|comput\w*) (the )?(modulo|remainder|divisibility)[^.]*(first|before)",
    ),
    M(
        "hw07",
        "accumulated_gradient",
        [
            (
                "    for start in range(0, m, micro_batch_size):\n",
                "    for start in range(micro_batch_size, m, micro_batch_size):\n",
            )
        ],
        "Started the loop at micro_batch_size instead of 0, so the first micro-batch is never run and its examples are missing from the sum (with micro_batch_size >= m nothing is accumulated and the gradient is all zeros).",
        r"range\(micro_batch_size|(start\w*|begin\w*|began)[^.]*(at|from) (`?micro_batch_size`?|the second)|(skip\w*|miss\w*|drop\w*|never|omit\w*|left out|leav\w* out|exclud\w*|lost|los\w*)[^.]*\bfirst\b|\bfirst\b (micro-?batch|chunk|group|slice)[^.]*(skipped|missing|dropped|never|omitted|left out|excluded|lost)|(second|next) micro-?batch|instead of (0|zero)\b",
    ),
    M(
        "hw07",
        "scaled_rate",
        [
            (
                "    if t < warmup_steps:\n"
                "        return float(lr + (peak - lr) * t / warmup_steps)\n"
                "    if total_steps is None:\n"
                "        return float(peak)\n",
                "    if total_steps is None:\n"
                "        return float(peak)\n"
                "    if t < warmup_steps:\n"
                "        return float(lr + (peak - lr) * t / warmup_steps)\n",
            )
        ],
        "Checked total_steps is None before the warm-up, so without a decay every step, the warm-up steps included, gets the peak rate at once: the warm-up only happens when a cosine follows.",
        r"\border\b|(before|ahead of|precedes?)[^.]*(warm-?up|t ?< ?warmup_steps)|(skip\w*|no|without|ignor\w*|miss\w*|bypass\w*|lost|los\w*|never)[^.]*\bwarm-?up\b[^.]*(None|no (cosine|decay)|without (a |the )?(cosine|decay)|constant)|(None|no (cosine|decay)|without (a |the )?(cosine|decay))[^.]*(skip\w*|no|ignor\w*|bypass\w*|never|without)[^.]*\bwarm-?up\b|(peak|full rate|k ?\* ?lr|kα)[^.]*(from|at) (t ?= ?0|step 0|the (first|start))|(at once|immediately|straight away|from the start)",
    ),
    # ---- hw08: rates on the quadratic model
    M(
        "hw08",
        "momentum_optimal",
        [
            (
                "    root_kappa = np.sqrt(lam_max / lam_min)\n",
                "    root_kappa = (lam_max / lam_min) ** 1/2\n",
            )
        ],
        "Wrote the square root as (lam_max / lam_min) ** 1/2, which Python reads as ((lam_max / lam_min) ** 1) / 2, so root_kappa is half the condition number instead of its square root and, for any kappa above 4, beta and the rate come out too close to 1 (they are right only at kappa = 4).",
        r"\*\* ?1 ?/ ?2|precedence|order of operations|parenthes\w*|bracket\w*|kappa ?/ ?2|half (of )?(the )?(condition number|kappa|κ)|(halv\w*|divid\w* by 2)[^.]*(kappa|κ|condition number)|(kappa|κ|condition number)[^.]*(halved|divided by 2)|\*\* ?1\b",
    ),
    M(
        "hw08",
        "momentum_spectral_radius",
        [("np.abs(np.linalg.eigvals(M))", "np.abs(np.linalg.eig(M)[1])")],
        "Took np.linalg.eig(M)[1], the matrix of eigenvectors, instead of the eigenvalues (eig(M)[0] or eigvals), so the result is the largest entry of the unit eigenvectors, never above 1, rather than the spectral radius.",
        r"eigenvectors?|eig\(M\)\[1\]|\[1\][^.]*\beig\b|eig\b[^.]*\[1\]|second (output|element|return\w*|item|part)|(unit|normali[sz]ed) vectors?|never (above|greater than|more than|exceeds?) 1",
    ),
    M(
        "hw08",
        "measured_rate",
        [
            (
                "    return float((d[T] / d[s]) ** (1.0 / (T - s)))\n",
                "    slope = np.polyfit(np.arange(s, T + 1), np.log(d[s:]), 1)[0]\n    return float(np.exp(slope))\n",
            )
        ],
        "Fitted a least-squares line to the logarithms of the whole second half with np.polyfit and returned exp(slope), instead of the two-point geometric mean (d_T / d_k) ** (1 / (T - k)), so every run that is not exactly geometric gives another rate.",
        r"polyfit|least[- ]squares?|regress\w*|\bfit\w*|(straight )?line\b|(all|every|each) (the )?(points|distances)[^.]*(second half|used)|(endpoints|end points|two points|first and last|two-point)",
    ),
    # ---- hw09: clipping, averaging the weights, Lion
    M(
        "hw09",
        "clip_by_global_norm",
        [("        g *= scale\n    return norm\n", "        g *= scale\n        return norm\n")],
        "Indented return norm into the loop, so the function returns after scaling the first array and the other gradients are never clipped.",
        r"\breturn\w* inside `?for\b|after its first pass|\breturn\w*[^.]*(inside|in|within) the loop|early return|return\w* (too )?early|indent\w*|(only|just) the first (array|gradient|entry|parameter|one|key|item)|first (array|gradient)[^.]*only|(other|remaining|later|rest of the|second|subsequent) (arrays|gradients|entries|parameters|keys)[^.]*(not|never|un)\w*|(not|never|un)\w*[^.]*(other|remaining|later|rest of the|subsequent) (arrays|gradients|entries|parameters|keys)",
    ),
    M(
        "hw09",
        "ema_of_weights",
        [("np.zeros(np.shape(value))", "np.zeros(len(value))")],
        "Started each average as np.zeros(len(value)), a 1-D array of the first dimension's length, instead of an array of the value's shape, so a (4, 1) bias broadcasts to a (4, 4) average and a (4, 3) matrix raises a broadcasting error (only 1-D weights work).",
        r"np\.zeros\(len|len\(value\)|broadcast\w*|wrong shape|shape[^.]*(wrong|mismatch|differ|\(4, ?4\))|\(4, ?4\)|(1-?d|one-dimensional|flat|vector) (array|zeros|average|start)|(zeros|array|vector) of length|first (dimension|axis)('s)? (length|size)|length of the first",
    ),
    M(
        "hw09",
        "lion_step",
        [
            (
                "    param -= lr * (np.sign(c) + weight_decay * param)\n",
                "    param -= lr * (c + weight_decay * param)\n",
            )
        ],
        "Left out np.sign and stepped by the blend c itself, so the parameter moves by lr times the averaged gradient (a momentum step) instead of by exactly lr in every coordinate.",
        r"instead of its sign|(without|no|forg[eo]t\w*|miss\w*|omit\w*|left out|leav\w* out|drop\w*|skip\w*)[^.]*\bsign\b|\bsign\b[^.]*(missing|left out|omitted|dropped|forgotten|never (taken|applied|used))|(by|with|uses?|using) (the )?(blend |momentum )?`?c`? (itself|directly)|\bc\b (instead of|rather than|not) `?(np\.)?sign|magnitude|momentum (sgd|step)|(size|length) of (the )?(step|update)[^.]*(depends|grows|scales|proportional)|not (exactly|always) (by )?`?lr",
    ),
]
