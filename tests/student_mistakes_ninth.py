"""A ninth held-out set of student mistakes, written without the grader's error model.

Written after the eighth set, by a helper started with a fresh context, who saw neither the
grader's mistake lists, the mutants, the pitfalls nor the diagnosis code: it read only the task
statements, answer cells and visible tests of solutions/hw01 ... hw09, the ``dldemos`` package
they import, and the eight earlier held-out sets (tests/student_mistakes.py,
tests/student_mistakes_fresh.py, tests/student_mistakes_third.py,
tests/student_mistakes_fourth.py, tests/student_mistakes_fifth.py,
tests/student_mistakes_sixth.py, tests/student_mistakes_seventh.py,
tests/student_mistakes_eighth.py), so as not to repeat them. The set has four mistakes per
assignment, spread over the answer cells, and aims at what students ask about most in office
hours and on the forum: off-by-one counts (a loop one mini-batch short, a milestone index used
as a count, a step count read before it is incremented, a root of the wrong order), boundaries
and conditions (an extra check that rejects a valid input, ``<=`` for ``<``), float against
integer arithmetic (``round``, ``//``, an operator-precedence floor), library functions that do
something slightly different from what the student believed (``np.linalg.svd`` for eigenvalues,
``np.convolve(mode="valid")``, ``np.linalg.norm`` for a maximum, ``np.gradient``'s argument
order, NumPy's global generator), formulas half-remembered from another textbook or framework
(Nesterov's look-ahead and rate, Adam's "efficient" form, PyTorch's RMSprop default, a quarter
cosine, the loss's rate instead of the distance's), wrong norms, aliasing and mutated inputs,
a forgotten reset, a sentinel returned instead of ``None`` and an exception returned instead of
raised. Each entry edits the solution's answer cell with ``(old, new)`` replacements (every
``old`` occurs exactly once in that cell) and says in one sentence what the student did;
``names`` is a case-insensitive regular expression that a correct diagnosis of that mistake
matches and a description of another mistake of the same cell (in any of the nine sets) does
not. Every edited cell runs and gives results different from the solution's (or raises where it
does not) on some input a hidden test would plausibly use (checked by running the edited cell
beside the original on the notebook's own test inputs).

Measured on the grader as it was when the set was measured, before any change it could inform
(after the edits that the eighth set's misses suggested): 7 of 36 named, 5 of its 34 unlisted
(15 %), none with full marks. One naming that the regex missed was right in other words and
was then accepted (Adam's ``t`` read before the step count is increased: "computes `t` with
the old `state` (the solution updates `state` first)").

After the edits that this set's misses suggested, one more naming was right in other words and
was accepted: ``np.gradient``'s arguments swapped ("passes ... to `gradient` in the other
order").
"""

from student_mistakes import StudentMistake

M = StudentMistake

NINTH_MISTAKES: list[StudentMistake] = [
    # ---- hw01: mini-batch gradient descent
    M(
        "hw01",
        "batch_sizes",
        [("if m < 1 or batch_size < 1:", "if m < 1 or batch_size < 1 or batch_size > m:")],
        "Also raised a ValueError when batch_size > m, so batch gradient descent with a mini-batch larger than the data set, such as batch_sizes(100, 1000), is rejected instead of giving [100].",
        r"batch_size ?> ?m\b|\bm ?< ?batch_size|(reject\w*|refus\w*|raises?|raising|ValueError|error|exception)[^.]*(batch_size (is )?(larger|bigger|greater|more) than m|(larger|bigger|greater) than m\b|exceed\w*|batch gradient descent|\(100, ?1000\)|\[100\]|valid (input|case|call))|(batch_size (is )?(larger|bigger|greater) than m|exceed\w* m\b|batch gradient descent|a batch larger)[^.]*(reject\w*|refus\w*|ValueError|error|not allowed|disallow\w*|raise\w*)|extra (check|condition)|(additional|superfluous|unnecessary|spurious) (check|condition|test)|`?or batch_size > m",
    ),
    M(
        "hw01",
        "batch_sizes",
        [
            (
                "    full, rest = divmod(m, batch_size)\n",
                "    full = round(m / batch_size)\n    rest = m - full * batch_size\n",
            )
        ],
        "Counted the full mini-batches as round(m / batch_size) instead of flooring the quotient, so whenever m / batch_size has a fractional part above one half the count is one too many and the leftover comes out negative (batch_sizes(7, 4) gives [4, 4, -1]).",
        r"\bround\w*|nearest|negative|-\d+\]|one too many (full )?(mini-?)?batch|(instead of|not|rather than|where the solution uses) (the )?(floor\w*|round\w* down|truncat\w*|integer division|divmod|//)|(float|true) division|(fraction\w*|decimal) part|rounds? up",
    ),
    M(
        "hw01",
        "random_mini_batches",
        [
            (
                "X_shuffled[:, start:start + batch_size], Y_shuffled[:, start:start + batch_size]",
                "X_shuffled[:, start:start + batch_size - 1], Y_shuffled[:, start:start + batch_size - 1]",
            )
        ],
        "Ended each slice at start + batch_size - 1, as if the stop index were included, so every mini-batch holds one example too few and the last example of each one is never seen (with batch_size = 1 every mini-batch has no column at all).",
        r"batch_size ?- ?1|one (example |column )?(too )?(few|short|less|fewer)|(stop|end)\w*[^.]*(inclu\w*|exclu\w*)|inclusive|exclusive|(examples?|columns?) (are |is )?(skipped|dropped|never seen|lost|missing|left out)|(skip|drop|los|miss|leav)\w* (out )?(the )?(last )?(one )?(example|column)s?\b|off[- ]by[- ]one|(smaller|fewer|less) than batch_size|(size|sizes|holds?) `?batch_size ?- ?1|no column",
    ),
    M(
        "hw01",
        "train_one_epoch",
        [
            (
                "    for X_t, Y_t in mini_batches:\n",
                "    for i in range(len(mini_batches) - 1):\n        X_t, Y_t = mini_batches[i]\n",
            )
        ],
        "Looped over range(len(mini_batches) - 1), so the last mini-batch is never trained on and the epoch has one loss and one step too few.",
        r"len\(mini_batches\) ?- ?1|range\(len|(last|final) (mini-?)?batch[^.]*(never|not|skipp\w*|miss\w*|left out|dropp\w*|ignor\w*|omitt\w*|excluded)|(skip\w*|miss\w*|drop\w*|ignor\w*|leav\w* out|omit\w*|exclud\w*) the (last|final) (mini-?)?batch|one (loss|step|update|mini-?batch|iteration)( and one \w+)? (too )?(few|short|less|fewer)|(too )?few(er)? (losses|steps|updates)|off[- ]by[- ]one|stops? (one|a) (mini-?batch|step|iteration) (early|short)",
    ),
    # ---- hw02: exponentially weighted averages
    M(
        "hw02",
        "ewma",
        [("    averages = np.empty(theta.shape, dtype=dtype)\n", "    averages = theta\n")],
        "Wrote the averages into theta's own array (averages = theta) instead of a new one, so the caller's series is overwritten in place and an integer series gets truncated integer averages.",
        r"averages ?= ?theta|in[- ]place|overwr\w*|(caller'?s|input|original|given|passed) (series|array|data|theta|values)[^.]*(modif\w*|chang\w*|overwr\w*|mutat\w*|destroy\w*|replac\w*|clobber\w*)|(modif\w*|mutat\w*|chang\w*|overwr\w*|clobber\w*)[^.]*(caller'?s|input|original|\btheta\b|the series)|alias\w*|same array|(truncat\w*|integer)[^.]*averages|int(eger)? (dtype|averages|results?|array)|\bint64\b|no (new|separate|fresh) array|(instead of|not|without) (allocat\w*|creat\w*) a (new|separate|fresh)",
    ),
    M(
        "hw02",
        "ewma_with_bias_correction",
        [("corrected[t - 1] = v / (1 - beta ** t)", "corrected[t - 1] = v / (1 - beta) ** t")],
        "Wrote the correction as (1 - beta) ** t instead of 1 - beta ** t, raising 1 - beta to the power t, so from day 2 on the averages are divided by ever smaller numbers and grow huge (day 1 is still right).",
        r"\(1 ?- ?beta\) ?\*\* ?t|\(1 ?- ?β\)\^?t|(power|exponent)[^.]*(of|on|to) (the )?\(?1 ?- ?beta\b|\(?1 ?- ?beta\)?`? (raised )?to the (power|t\b)|rais\w*[^.]*(1 ?- ?beta|the difference)[^.]*power|explod\w*|grow\w* (huge|without bound|exponentially)|huge|(far|much|way) too (large|big)|misplaced[^.]*(bracket|parenthes)\w*|(bracket|parenthes)\w*[^.]*(wrong|misplaced|around `?1 ?- ?beta\b)",
    ),
    M(
        "hw02",
        "effective_window",
        [
            (
                '        raise ValueError(f"beta must satisfy',
                '        return ValueError(f"beta must satisfy',
            )
        ],
        "Wrote return ValueError(...) instead of raise ValueError(...), so an invalid beta such as 1.0 or -0.1 gets the exception object back as the result and no error is raised.",
        r"return ValueError|return\w*[^.]*(exception|error)( object| instance)?[^.]*(instead of|not|rather than) rais\w*|(instead of|not|rather than) rais\w*|(never|not|no longer|doesn'?t|does not|without) (actually )?rais\w*|no (error|exception) (is )?(ever )?raised|(exception|error) (object|instance)|`?return`? (where|instead of|for) `?raise|returns? (the|an|a) (ValueError|exception|error)",
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
                '    return np.convolve(theta, np.ones(window, dtype=dtype) / window, mode="valid")\n',
            )
        ],
        'Computed the averages with np.convolve(..., mode="valid"), which keeps only the full windows, so the first window - 1 days are missing, the result has len(theta) - window + 1 entries and every average sits window - 1 places early.',
        r"\bvalid['\"]?\)|mode ?= ?['\"]?valid|['\"]valid['\"]|valid[- ]mode|valid convolution|(only|just) (the )?(full|complete|whole) windows|(first|initial) `?(window|n) ?- ?1`? (days|averages|values|entries|outputs)[^.]*(missing|dropped|left out|lost|skipped|omitted|absent)|(miss\w*|drop\w*|omit\w*|skip\w*|leav\w* out|lacks?)[^.]*(first|initial) `?(window|n) ?- ?1|len\(theta\) ?- ?window ?\+ ?1|shorter|(too )?few(er)? (averages|entries|values|days|outputs)|(places|days|positions|steps|indices) (too )?early|shift\w*|(no|without) (the )?(partial|leading|early|warm-?up) (windows|averages|days)",
    ),
    # ---- hw03: momentum, RMSProp and Adam
    M(
        "hw03",
        "momentum_step",
        [("    p = p - lr * v\n", "    p = p - lr * (beta * v + (1 - beta) * g)\n")],
        "Stepped with the Nesterov look-ahead beta * v + (1 - beta) * g, built from the new v, instead of with v itself, so p moves as in Nesterov momentum rather than the course's momentum.",
        r"nesterov|look-?ahead|beta ?\* ?v ?\+ ?\(1 ?- ?beta\) ?\* ?g\)|(extra|second|another|additional|further|again) (gradient|average|blend|beta|ewma|averaging)|(gradient|\bg\b)[^.]*(counted|applied|used|added|mixed in) twice|(instead of|not|rather than) (with )?`?v`? (itself|alone)|(blend\w*|mix\w*|combin\w*)[^.]*(new|updated) `?v\b|(new|updated) `?v`?[^.]*(blend\w*|mix\w*|combin\w*)",
    ),
    M(
        "hw03",
        "rmsprop_step",
        [
            (
                "    s = beta * s + (1 - beta) * g ** 2\n",
                "    s = beta * s + (1 - beta) * np.linalg.norm(g) ** 2\n",
            )
        ],
        "Averaged the squared norm of the whole gradient, np.linalg.norm(g) ** 2, instead of the element-wise squares g ** 2, so every coordinate shares one s and is divided by the same number, losing RMSProp's per-coordinate scaling.",
        r"np\.linalg\.norm|\bnorm\b|\|\|g\|\||‖g‖|(one|a single|the same|shared|common|global) (s\b|scalar|number|value|denominator|scale|step size)|per[- ](coordinate|element|parameter|entry|component)|element-?wise|(coordinate|entry|component)-?wise|(all|every) (coordinates?|entries|elements|components)[^.]*(share|same)|sum of (all )?(the )?squares|scalar",
    ),
    M(
        "hw03",
        "rmsprop_step",
        [("beta=0.9, eps=1e-8):", "beta=0.99, eps=1e-8):")],
        "Gave beta the default 0.99, PyTorch's alpha for RMSprop, instead of the 0.9 the task's signature asks for, so a call without beta averages over about 100 steps instead of 10.",
        r"0\.99\b|default|pytorch'?s (alpha|default|rmsprop)|\balpha\b|(100|hundred) steps|signature",
    ),
    M(
        "hw03",
        "adam_step",
        [
            (
                "    v_hat = v / (1 - beta1 ** t)\n"
                "    s_hat = s / (1 - beta2 ** t)\n"
                "    p = p - lr * v_hat / (np.sqrt(s_hat) + eps)\n",
                "    lr_t = lr * (1 - beta2 ** t) ** 0.5 / (1 - beta1 ** t)\n"
                "    p = p - lr_t * v / (np.sqrt(s) + eps)\n",
            )
        ],
        "Used the paper's 'efficient' form, folding both corrections into the step size lr * sqrt(1 - beta2**t) / (1 - beta1**t) and dividing v by sqrt(s) + eps, so eps meets the uncorrected root and the steps differ from PyTorch's wherever sqrt(s_hat) is not much larger than eps.",
        r"efficient|fold\w*|lr_t\b|(step[- ]size|learning rate|\blr\b)[^.]*(absorb\w*|includ\w*|carr\w*|contain\w*|times|multipl\w*)[^.]*(correct\w*|sqrt\(1 ?- ?beta2)|correct\w*[^.]*(moved|put|folded|absorbed|merged|pulled) into (the )?(step|learning rate|lr)|sqrt\(1 ?- ?beta2|eps\w*[^.]*(not|un|never|without( being)?) ?(bias[- ])?(correct|scal)\w*|(unscaled|uncorrected|effective|rescaled) eps\w*|eps\w*[^.]*(scaled|smaller|larger|effectively) (by|than)|eps\w* (meets|is added to|sits on|added to) the uncorrected|algorithm 1|kingma|tensorflow|keras|(differs?|different) from pytorch",
    ),
    # ---- hw04: learning-rate schedules
    M(
        "hw04",
        "staircase_decay",
        [("(1 + decay_rate * (t // interval))", "(1 + decay_rate * t // interval)")],
        "Wrote decay_rate * t // interval without the brackets around t // interval, so Python computes (decay_rate * t) // interval, flooring the product, instead of multiplying decay_rate by the floored count, and with a decay_rate that is not a whole number the drops come at the wrong epochs with the wrong sizes.",
        r"decay_rate ?\* ?t ?//|floor\w*[^.]*(product|decay_rate ?\* ?t)|(product|decay_rate ?\* ?t)[^.]*floor\w*|left[- ]to[- ]right|precedence|order of (operations|evaluation)|(bracket|parenthes)\w* (around|round|on|of) `?\(?t ?// ?interval|(without|missing|dropp\w*|left out|no|lost) (the )?(inner )?(bracket|parenthes)\w* (around|round|on|of) `?\(?t|(non-?integer|fractional|not a whole number|not whole)[^.]*decay_rate|decay_rate[^.]*(non-?integer|fractional|not a whole)|(wrong|different) (epochs|times|places)[^.]*(wrong|different) sizes?",
    ),
    M(
        "hw04",
        "multistep_decay",
        [
            (
                "        return lr0 * gamma ** sum(1 for milestone in milestones if milestone <= t)\n",
                "        passed = 0\n"
                "        for i, milestone in enumerate(milestones):\n"
                "            if milestone <= t:\n"
                "                passed = i\n"
                "        return lr0 * gamma ** passed\n",
            )
        ],
        "Raised gamma to the index i of the last milestone reached instead of the number of milestones reached (i + 1), so the first milestone has no effect and every later one decays one step too little.",
        r"\bindex\b|enumerate|\bi ?\+ ?1\b|one (too )?(few|less|fewer|short)|off[- ]by[- ]one|first milestone[^.]*(no effect|ignored|skipped|missed|never|not (applied|counted|used|take))|(ignor\w*|skip\w*|miss\w*)[^.]*first milestone|(count|number)[^.]*minus one|one (step |decay |factor |power |milestone )?(too little|too late|short|behind|too weak|too small)|exponent (is )?one (too )?(small|low|less)|zero-based|0-based|counts? from 0",
    ),
    M(
        "hw04",
        "cosine_with_warmup",
        [
            (
                "progress = (t - warmup) / (total - warmup)",
                "progress = (t - warmup) // (total - warmup)",
            )
        ],
        "Computed the cosine's progress with floor division //, so it stays 0 until t = total and the rate stays at lr0 for the whole cosine phase, then drops straight to eta_min at t = total.",
        r"//|floor[- ]?divi\w*|integer divi\w*|(stays?|remains?|kept|keeps?|constant|flat|held)[^.]*(at )?`?lr0|progress (is |stays |remains )?(always |only )?(0|zero)\b|progress[^.]*(floor\w*|integer|whole number|truncat\w*)|(never|no) (anneal|decay|cosine)\w*|(drops?|jumps?|falls?) (straight|abruptly|suddenly|at once|directly)|step function|(no|without) (gradual|smooth) (decay|annealing)",
    ),
    M(
        "hw04",
        "suggest_lr",
        [
            (
                "np.gradient(smoothed[skip_start:end], np.log(lrs[skip_start:end]))",
                "np.gradient(np.log(lrs[skip_start:end]), smoothed[skip_start:end])",
            )
        ],
        "Passed np.gradient its arguments the wrong way round, np.gradient(log_lrs, smoothed), so it differentiates log(lr) with respect to the loss instead of the loss with respect to log(lr), and the most negative value of that is not where the loss falls fastest.",
        r"to `gradient` in the other order|(arguments?|parameters?|inputs?)[^.]*(wrong way|swap\w*|revers\w*|order|other way|switch\w*|exchang\w*)|(swap\w*|revers\w*|exchang\w*|switch\w*|invert\w*|mix\w* up)[^.]*(arguments?|parameters?|np\.gradient|x and y|spacing|coordinates|roles)|np\.gradient\(np\.log|log\(?(lrs?|the rates?|learning rates?)\)?[^.]*with respect to (the )?(smoothed )?loss|d ?\(?log ?lr\)? ?/ ?d ?loss|derivative of (the )?log|(inverse|reciprocal) (of the )?(slope|derivative)|wrong way round",
    ),
    # ---- hw05: saddle points and plateaus
    M(
        "hw05",
        "classify_critical_point",
        [
            (
                "eigenvalues = np.linalg.eigvalsh(np.asarray(H, dtype=float))",
                "eigenvalues = np.linalg.svd(np.asarray(H, dtype=float), compute_uv=False)",
            )
        ],
        "Took the singular values from np.linalg.svd instead of the eigenvalues from np.linalg.eigvalsh; singular values are the absolute values of the eigenvalues, never negative and sorted in decreasing order, so no point is ever called a saddle or a maximum.",
        r"\bsvd\b|singular values?|(never|no longer|cannot be|can'?t be|not) (be )?(a |called |classified as |detected as |reported as )?(saddle|maxim\w*)|never negative|non-?negative (values|singular)|absolute values? of the eigenvalues|(lost|los\w*|drop\w*|discard\w*|throw\w* away) (the |their |all )?signs?|signs? (of the eigenvalues )?(are |is )?(lost|dropped|discarded|thrown away)|decreasing|descending|saddles?( points?)? (is |are )?(called |classified as |reported as |labell?ed )?(a |as )?(minim\w*|degenerate)|(maxima|saddles?) (are |become |come out as |turn into )?(called |classified as |reported as )?(minim\w*|degenerate)",
    ),
    M(
        "hw05",
        "numerical_hessian",
        [
            ("    H = np.empty((n, n))\n", "    H = np.zeros((n, n))\n"),
            (
                "        H[:, j] = (np.asarray(grad(point + step)) - np.asarray(grad(point - step))) / (2 * h)\n",
                "        H[j, j] = (np.asarray(grad(point + step))[j] - np.asarray(grad(point - step))[j]) / (2 * h)\n",
            ),
        ],
        "Filled only the diagonal entry H[j, j] from component j of the gradient difference instead of the whole column j, so the mixed second derivatives are left at 0 and the Hessian of any function with cross terms comes out diagonal.",
        r"diagonal|H\[j, ?j\]|(mixed|cross|off-?diagonal)[^.]*(derivative|terms?|entries|partials?)|(only|just) (the )?(entry|component|element) j\b|(instead of|not|rather than) (the )?(whole|entire|full) column|column j[^.]*(missing|not filled|left|only one)|(other|remaining) entries of (the )?column",
    ),
    M(
        "hw05",
        "fraction_of_minima",
        [
            (
                "B = rng.standard_normal((num_samples, n, n))",
                "B = np.random.standard_normal((num_samples, n, n))",
            )
        ],
        "Drew the matrices from NumPy's global generator, np.random.standard_normal, instead of the rng passed in, so the result ignores the seed it is given and cannot be reproduced.",
        r"np\.random\.|global (generator|rng|random|state|seed|numpy)|(ignor\w*|not us\w*|never us\w*|instead of|rather than|without)( using)? (the )?`?rng`? (passed|given|argument|parameter|provided|supplied)|(ignor\w*|not us\w*|never us\w*|doesn'?t use|does not use)( the)? `?rng\b|(rng|generator|seed)`? (passed in |given |argument )?(is )?(ignored|unused|not used|never used)|reproduc\w*|legacy|module-level",
    ),
    M(
        "hw05",
        "escape_step",
        [("    return None\n", "    return -1\n")],
        "Returned -1 instead of None when no point escapes, the 'not found' convention of str.find, so a trajectory that never reaches the distance gives -1.",
        r"-1\b|−1\b|minus one|not[- ]found|str\.find|sentinel|returns? (a )?negative|index -1",
    ),
    # ---- hw06: optimizers in PyTorch
    M(
        "hw06",
        "adam",
        [
            (
                '                state["step"] += 1\n                t = state["step"]\n',
                '                t = state["step"]\n                state["step"] += 1\n',
            )
        ],
        "Read t from the state before incrementing the count, so the first update uses t = 0 and divides by 1 - beta1**0 = 0, which fills the parameters with nan and inf, and every later correction uses t one too small.",
        r"with the old `state`|updates `state` first|\bt ?= ?0\b|before (increment|updat|increas|advanc|count|bump)\w*|off[- ]by[- ]one|one (step )?(too small|too low|behind|less|short)|beta[12]? ?\*\* ?0|\*\*0|divi\w* by (zero|0)\b|\bnan\b|\binf\b|(step|count|\bt\b)[^.]*(lags?|one behind)|(increment|\+= 1)[^.]*(after|too late)|starts? (at|from) 0\b",
    ),
    M(
        "hw06",
        "fine_tuning_groups",
        [("weight_decay if p.ndim >= 2 else 0.0", "weight_decay if p.ndim == 2 else 0.0")],
        "Gave weight decay only to parameters with p.ndim == 2, the matrices, instead of p.ndim >= 2, so convolution kernels (4-dimensional) get no weight decay.",
        r"ndim ?== ?2|exactly (2|two) (dimensions|dims|axes)|(conv\w*|kernels?|4-?d\w*|four-dimensional|higher-dimensional|3-?d|4 dimensions)[^.]*(no|without|miss\w*|zero|\b0\b|excluded|left out)[^.]*(weight[ _])?decay|(only|just) (the )?(2-?d|two-dimensional|matri\w*)|==`? (instead of|where the solution uses|for|rather than) `?>=|(equality|equal to 2)",
    ),
    M(
        "hw06",
        "unfreeze",
        [
            (
                '    optimizer.add_param_group({"params": list(module.parameters()), "lr": lr})\n',
                '    optimizer.add_param_group({"params": list(module.parameters()), "lr": lr})\n'
                "    optimizer.state.clear()\n",
            )
        ],
        "Cleared optimizer.state after adding the group, to start the new phase afresh, so the head's momentum buffers (Adam's averages and step counts) are thrown away and restart from zero.",
        r"state\.clear|clear\w*[^.]*\bstate|(reset\w*|wip\w*|discard\w*|throw\w* away|thrown away|lost|los\w*|eras\w*|delet\w*|empt\w*|drop\w*)[^.]*(state|momentum|buffers?|averages|history)|(state|momentum|buffers?|averages)[^.]*(reset|wiped|discarded|thrown away|lost|erased|deleted|cleared|restart\w*|from scratch|from zero)|(start|restart)\w* (afresh|from scratch|over)",
    ),
    M(
        "hw06",
        "train_epochs",
        [
            (
                "    rates = []\n    for _ in range(epochs):\n",
                "    rates = []\n    losses = []\n    for _ in range(epochs):\n",
            ),
            (
                "        losses = []\n        for xb, yb in batches:\n",
                "        for xb, yb in batches:\n",
            ),
        ],
        "Created the list of losses once, before the epoch loop, instead of at the start of every epoch, so ReduceLROnPlateau is stepped with the running mean over all epochs so far instead of the current epoch's mean.",
        r"(never|not|without|forg[eo]t\w*)[^.]*\b(reset|clear|emptied|empty|re-?initiali[sz]|re-?creat)\w*|(reset|clear|re-?initiali[sz]|re-?creat)\w*[^.]*(losses|list)[^.]*(each|every|per) epoch|(once|outside|before the (epoch )?loop)[^.]*\bloss|\b(losses|list)\b[^.]*(once|outside|before) (the )?(epoch )?loop|keeps? growing|(running|cumulative|accumulated|overall) (mean|average)|all (the )?(epochs|previous epochs|earlier epochs)|(accumulat\w*|pile\w*|grow\w*|keeps? growing)[^.]*(losses|list)|(previous|earlier|past|former|preceding) epochs|across epochs",
    ),
    # ---- hw07: simulated workers, gradient accumulation, the linear scaling rule
    M(
        "hw07",
        "worker_gradients",
        [("{key: g.copy() for key, g in", "{key: g / K for key, g in")],
        "Divided each worker's gradient by K, doing the all-reduce's averaging inside every worker, so each returned gradient is K times too small.",
        r"\bg ?/ ?K\b|divid\w*[^.]*\bby `?K\b|(K|k) times too small|too small|pre-?averag\w*|averag\w*[^.]*(inside|in|within) (each|every) worker|scal\w*[^.]*\b1 ?/ ?K\b|\b1/K\b|(shrunk|scaled down|divided)[^.]*(number of )?workers",
    ),
    M(
        "hw07",
        "accumulated_gradient",
        [("g * (X_j.shape[1] / m)", "g / m")],
        "Divided each micro-batch's gradient by m instead of weighting it by m_j / m, as if backward returned the gradient of the summed loss, so the result is about micro_batch_size times too small (right only for micro-batches of 1).",
        r"\bg ?/ ?m\b|divid\w*[^.]*\bby `?m\b`?(?! ?_?j| ?/)|(sum|summed|total) (loss|of the losses)|(micro_batch_size|m_j|micro-batch size) times too small|too small|(sum|summed)[^.]*(instead of|not|rather than) (the )?mean",
    ),
    M(
        "hw07",
        "scaled_rate",
        [
            (
                "return float(peak * (1 + np.cos(np.pi * (t - warmup_steps) / (total_steps - warmup_steps))) / 2)",
                "return float(peak * np.cos(np.pi / 2 * (t - warmup_steps) / (total_steps - warmup_steps)))",
            )
        ],
        "Wrote the decay as a quarter cosine, peak * cos(pi/2 * progress), instead of the half cosine peak * (1 + cos(pi * progress)) / 2, so the rate starts and ends right but stays too high in between (cos instead of cos squared).",
        r"pi ?/ ?2|π ?/ ?2|quarter|cos\w*[^.]*(instead of|not|rather than)[^.]*(cos\w*( of \w+)? squared|cos\^?2|cos²|half)|squared[^.]*cos|(too high|higher|above)[^.]*(between|middle|decay|cosine)|(1 ?\+ ?cos)[^.]*(missing|dropped|replaced|left out)|(without|missing|drop\w*|no) (the )?`?1 ?\+|(different|another|other|wrong) (cosine|decay) (formula|shape|curve)",
    ),
    M(
        "hw07",
        "scaled_rate",
        [("    if t < warmup_steps:\n", "    if t <= warmup_steps:\n")],
        "Wrote t <= warmup_steps for the warmup branch, which gives the same rate at t = warmup_steps but divides 0 by 0 when warmup_steps = 0, so a schedule without warmup raises ZeroDivisionError.",
        r"<=|t ?≤ ?warmup|ZeroDivision|\b0 ?/ ?0\b|0 by 0|zero by zero|warmup_steps ?(=|==|is) ?0\b|(no|without|zero|empty) warmup[^.]*(crash\w*|rais\w*|error|fail\w*|divi\w*)|(crash\w*|rais\w*|error|fail\w*)[^.]*(no|without|zero) warmup|boundary|(condition|comparison)[^.]*(inclusive|non-?strict)|(instead of|not|rather than) (a )?strict",
    ),
    # ---- hw08: rates on the quadratic model
    M(
        "hw08",
        "gd_optimal",
        [("(kappa - 1.0) / (kappa + 1.0)", "((kappa - 1.0) / (kappa + 1.0)) ** 2")],
        "Returned the square ((kappa - 1) / (kappa + 1)) ** 2, the rate at which the loss falls, instead of the rate of the distance to the minimum, so the rate does not equal max |1 - alpha lambda| at the returned alpha.",
        r"\bsquared?\b(?! root)|squaring|\*\* ?2|\^2|²|(loss|function value|objective|suboptimality)[^.]*(rate|falls|decreas\w*|contract\w*)|rate of the loss|(instead of|not|rather than) (the rate of )?(the )?(distance|iterates|error|parameters)",
    ),
    M(
        "hw08",
        "momentum_optimal",
        [(", float(rate)\n", ", float(1.0 - 1.0 / root_kappa)\n")],
        "Returned Nesterov's accelerated rate 1 - 1/sqrt(kappa) instead of sqrt(beta) = (sqrt(kappa) - 1) / (sqrt(kappa) + 1), a formula remembered from another method, so the rate does not match the roots at the returned alpha and beta.",
        r"nesterov|accelerat\w*|1 ?- ?1 ?/ ?(sqrt|√|root_kappa|np\.sqrt)|another (method|textbook|optimi[sz]er|algorithm|book)|approximation|(not|doesn'?t|does not) match (the )?roots|(rate|third value)[^.]*(instead of|not|rather than) `?sqrt\(beta|(instead of|not|rather than) `?rate`?\b",
    ),
    M(
        "hw08",
        "momentum_spectral_radius",
        [
            (
                "float(np.max(np.abs(np.linalg.eigvals(M))))",
                "float(np.linalg.norm(np.linalg.eigvals(M)))",
            )
        ],
        "Took np.linalg.norm of the vector of eigenvalues, the square root of the sum of their squared sizes, instead of the largest size, so the radius is overestimated (by sqrt(2) when the two roots are complex).",
        r"(norm|length|magnitude) of (the )?(vector of )?(the )?(two )?eigenvalues|norm\(np\.linalg\.eigvals|sum of (their |the )?(squares|squared)|sqrt\(2\)|√2|root (of )?2\b|euclidean|2-norm of the eigenvalues|over-?estimat\w*|too (large|big|high)|(instead of|not|rather than) (the )?(largest|max\w*)|infinity[- ]norm|ord ?= ?(np\.)?inf",
    ),
    M(
        "hw08",
        "measured_rate",
        [("** (1.0 / (T - s))", "** (1.0 / (T - s + 1))")],
        "Took the root of order T - k + 1, the number of distances in the second half, instead of T - k, the number of steps between them, so the measured rate is too close to 1.",
        r"T ?- ?k ?\+ ?1|T ?- ?s ?\+ ?1|(points|values|distances) in the second half|counts? the (distances|points|values)|(instead of|not|rather than) (the )?number of steps|off[- ]by[- ]one|fence-?post|too close to 1|(exponent|root|power)[^.]*(one too (large|many|small|few|big)|off by one)|one (step )?too many",
    ),
    # ---- hw09: clipping, averaging the weights, Lion
    M(
        "hw09",
        "clip_by_global_norm",
        [
            (
                "float(np.sum(np.square(g, dtype=np.float64)))",
                "float(np.sum(g, dtype=np.float64)) ** 2",
            )
        ],
        "Squared the sum of each array's entries, np.sum(g) ** 2, instead of summing their squares, so positive and negative entries cancel and the global norm, and with it the clipping factor, comes out wrong.",
        r"np\.sum\(g[^)]*\)\)? ?\*\* ?2|square of (the |each |their )?(array'?s )?sums?|squar\w* (the|each|their) sums?|sum(med)? (the entries |them )?(first|before squaring)|cancel\w*|sum of (the )?entries|(instead of|not|rather than) (the )?sum(ming)? (of )?(their |the )?squares|(order of|swapped) (sum|squar)",
    ),
    M(
        "hw09",
        "ema_of_weights",
        [
            (
                "    for theta in snapshots:\n"
                "        avg = {key: beta * avg[key] + (1 - beta) * np.asarray(theta[key], dtype=np.float64) for key in avg}\n"
                "    return {key: value / (1 - beta ** len(snapshots)) for key, value in avg.items()}\n",
                "    for t, theta in enumerate(snapshots, start=1):\n"
                "        avg = {key: (beta * avg[key] + (1 - beta) * np.asarray(theta[key], dtype=np.float64)) / (1 - beta ** t)\n"
                "               for key in avg}\n"
                "    return avg\n",
            )
        ],
        "Bias-corrected the average inside the loop at every step and fed the corrected value back into the recursion, so the corrections compound and the older snapshots get too much weight (it is right only for one snapshot).",
        r"(inside|in|within) the loop|(every|each) (step|snapshot|iteration)[^.]*correct\w*|correct\w*[^.]*(every|each) (step|snapshot|iteration)|fe[de]\w* back|back into|compound\w*|repeated\w*|(corrected|bias-corrected) (value|average|avg)[^.]*(reus\w*|recursi\w*|next|carried)|too (large|big)|too much weight|scaled up|(more than|several|multiple) (times|corrections?)|(older|earlier|oldest|first) snapshots?[^.]*(too much|over-?weight\w*|too heavy)",
    ),
    M(
        "hw09",
        "lion_step",
        [
            (
                "    c = beta1 * v + (1 - beta1) * grad\n",
                "    c = v\n    c *= beta1\n    c += (1 - beta1) * grad\n",
            )
        ],
        "Built c with c = v followed by c *= beta1 and c += (1 - beta1) * grad, so c is the same array as v and the momentum is overwritten by the blend before its own update, which then starts from c instead of the old v.",
        r"alias\w*|same array|\bc ?= ?v\b|(not|without|no) (a )?cop(y|ies)|(overwr\w*|clobber\w*|modif\w*|mutat\w*|corrupt\w*)[^.]*\b(v|momentum)\b|\b(v|momentum)\b[^.]*(overwritten|clobbered|modified|mutated|corrupted)|in[- ]place[^.]*\bc\b|\bc\b[^.]*in[- ]place|beta2 ?\*? ?c\b|starts? from `?c\b|reference to `?v\b",
    ),
    M(
        "hw09",
        "lion_step",
        [
            (
                "param -= lr * (np.sign(c) + weight_decay * param)",
                "param -= lr * (np.sign(c) - weight_decay * param)",
            )
        ],
        "Subtracted weight_decay * param inside the bracket instead of adding it, so the weight decay pushes the weights away from 0 and makes them grow instead of shrinking them.",
        r"(sign|direction) of the (weight[ _])?decay|(weight[ _])?decay'?s? (sign|direction)|(decay|weight_decay)( term)? (is |has )?(revers\w*|flipp\w*|negat\w*|the wrong way|with the wrong sign|backwards?)|wrong sign|away from (0|zero)|(grow|increas|enlarg|inflat)\w*[^.]*weights?|weights?[^.]*(grow|increas|inflat)\w*|- ?weight_decay ?\* ?param|(subtract\w*|minus)[^.]*weight_decay|anti-?decay|(instead of|not|rather than) shrink\w*",
    ),
]
