"""A seventh held-out set of student mistakes, written without the grader's error model.

Written after the sixth set, by a helper started with a fresh context, who saw neither the
grader's mistake lists, the mutants, the pitfalls nor the diagnosis code: it read only the task
statements, answer cells and visible tests of solutions/hw01 ... hw09, the ``dldemos`` package
they import, and the six earlier held-out sets (tests/student_mistakes.py,
tests/student_mistakes_fresh.py, tests/student_mistakes_third.py,
tests/student_mistakes_fourth.py, tests/student_mistakes_fifth.py,
tests/student_mistakes_sixth.py), so as not to repeat them. The set has four mistakes per
assignment, spread over the answer cells, and mixes small slips (an operator, an index, a
constant, argument order, a library call, a return order, an in-place update, a statement on
the wrong side of a loop, an accumulation overwritten) with larger misunderstandings (a formula
misread, a quantity taken from the wrong dimension, another parameter group's state changed,
an edge case mishandled). Each entry edits the solution's answer cell with ``(old, new)``
replacements (every ``old`` occurs exactly once in that cell) and says in one sentence what the
student did; ``names`` is a case-insensitive regular expression that a correct diagnosis of
that mistake matches and a description of another mistake of the same cell (in any of the seven
sets) does not. Every edited cell runs and gives results different from the solution's (or
raises where it does not) on some input a hidden test would plausibly use (checked by running
the edited cell beside the original on the notebook's own test inputs).

Measured on the grader as it was when the set was written, before any change it could inform:
24 of 36 named, 23 of its 35 unlisted (66 %), none with full marks; of the 24 namings, twelve
that the regexes missed were right in other words and were then accepted, each by the
sentence's own words, and one was wrong (``T / 2`` called a square root of ``T``; an edit for
true division where the solution floors came after, and names it).

After the edits that the eighth and ninth sets' misses suggested, four more namings were right
in other words and were accepted: the return indented into the loop ("returns inside `for ...`,
after its first pass"), ``0.0`` for ``eta_min`` ("uses `0.0` (the default) where the solution
uses `eta_min`"), ``groups[settings] = [p]`` ("sets `groups[settings]` to `[p]` where the
solution appends to it") and Lion's blend ("swaps `beta1` and `1 - beta1`").
"""

from student_mistakes import StudentMistake

M = StudentMistake

SEVENTH_MISTAKES: list[StudentMistake] = [
    # ---- hw01: mini-batch gradient descent
    M(
        "hw01",
        "batch_sizes",
        [("full, rest = divmod(m, batch_size)", "full, rest = divmod(batch_size, m)")],
        "Called divmod(batch_size, m) with its arguments swapped, so batch_sizes(10, 4) gives [4] and a batch_size larger than m is split into several mini-batches.",
        r"divmod\(batch_size, ?m\)|(arguments?|operands?)( of `?divmod`?)?[^.]*(swap\w*|revers\w*|wrong order|switch\w*|exchang\w*|other way)|(swap\w*|revers\w*|switch\w*|exchang\w*)[^.]*(arguments?|operands?|divmod|m and batch_size|batch_size and m)|batch_size (divided )?by m\b|divid\w* batch_size by m|each other'?s places|`divmod` (uses|gets|takes)|passes `batch_size` and `m` to `divmod` in the other order",
    ),
    M(
        "hw01",
        "random_mini_batches",
        [("for start in range(0, m, batch_size)]", "for start in range(0, m + 1, batch_size)]")],
        "Looped start over range(0, m + 1, batch_size), so when batch_size divides m (always for batch_size = 1) the list ends with an empty mini-batch of shape (n_x, 0).",
        r"m ?\+ ?1|(last|final) (mini-?)?batch (is |comes out |would be )?empty|empty (last |final |extra |trailing )?(mini-?)?batch|(extra|additional|spurious|one more|one too many|trailing)[^.]*(mini-?)?batch|(mini-?)?batch[^.]*(of )?(size|length|width) (0|zero)|\(n_x, ?0\)|zero columns|no columns|one (mini-?batch|step) too many|too many (mini-?)?batches|past the end|(stop|end|bound)[^.]*(one )?too (far|large|high)",
    ),
    M(
        "hw01",
        "random_mini_batches",
        [
            (
                "    return [(X_shuffled[:, start:start + batch_size], Y_shuffled[:, start:start + batch_size])\n"
                "            for start in range(0, m, batch_size)]\n",
                "    return ((X_shuffled[:, start:start + batch_size], Y_shuffled[:, start:start + batch_size])\n"
                "            for start in range(0, m, batch_size))\n",
            )
        ],
        "Wrote the comprehension in round brackets instead of square ones, so the function returns a one-shot generator, which has no len() and cannot be indexed or iterated twice, instead of a list.",
        r"\ba (one-shot |lazy )?generator|generator (expression|object)|\blazy|lazily|one-shot|parenthes\w*|round brackets|square brackets|no len|len\(\)|not a list(?! of)|instead of a list(?! of)|(rather than|not) (return\w* )?a list(?! of)|iterat\w* (only )?once|cannot be (indexed|iterated)|not (subscriptable|indexable)|(not|never) (materiali[sz]|buil)\w*[^.]*list",
    ),
    M(
        "hw01",
        "train_one_epoch",
        [
            (
                "        optimizer.step()\n    optimizer.increase_epoch()\n    return losses\n",
                "        optimizer.step()\n        optimizer.increase_epoch()\n        return losses\n",
            )
        ],
        "Indented the last two lines into the loop, so the function returns after the first mini-batch, with one loss, and the other mini-batches are never trained on.",
        r"returns inside `for|`?return( losses)?`?( statement| line)?( is)? (inside|within|in|into) the (for[- ]|mini-?batch )?loop|return\w*[^.]*after (only )?the first (mini-?)?batch|(only|just) (the )?(one|first|a single) (mini-?)?batch|only \w+ (on )?the first (mini-?)?batch|(one|a single) (mini-?batch|step|loss) only|stops? (early|after the first)|early return|returns? (too )?(early|soon)|indent\w*[^.]*\breturn|\breturn\w*[^.]*\bindent\w*|(list|losses) (of|has|with) (length|len) 1\b|other mini-?batches[^.]*(never|not|skipped)",
    ),
    # ---- hw02: exponentially weighted averages
    M(
        "hw02",
        "ewma",
        [("        averages[t] = v\n", "        averages[t - 1] = v\n")],
        "Stored v_t at averages[t - 1], taking the formula's 1-based t for the array index, so every average lands one place early and v_1 wraps round to the last entry.",
        r"averages\[t ?- ?1\]|(index|position|slot) `?t ?- ?1|\[t ?- ?1\]|one (place|position|index|slot|day) (early|earlier|too early|to the left|too soon)|shift\w* (left|back|forward|by one|one)|wrap\w*|rotat\w*|last (entry|element|position|place|slot)|1-based|one-based|(wrong|misplaced) (index|slot|position)|`averages` uses `t - 1` where the solution uses `t`",
    ),
    M(
        "hw02",
        "ewma_with_bias_correction",
        [("corrected[t - 1] = v / (1 - beta ** t)", "corrected[t - 1] = v / 1 - beta ** t")],
        "Left out the parentheses, writing v / 1 - beta ** t, so beta**t is subtracted from v instead of v being divided by 1 - beta**t.",
        r"parenthes\w*|bracket\w*|precedence|order of operations|v ?/ ?1 ?- ?beta|subtract\w*[^.]*beta ?\*\* ?t|beta ?\*\* ?t[^.]*subtract\w*|v ?- ?beta ?\*\* ?t|(not|never|instead of) divid\w* (v )?by (the whole )?\(?1 ?- ?beta|divid\w* (v )?(only )?by 1\b(?! ?-)",
    ),
    M(
        "hw02",
        "effective_window",
        [
            (
                "    while beta ** k > 1 / math.e:\n",
                "    while (1 - beta) * beta ** k > 1 / math.e:\n",
            )
        ],
        "Compared the value's whole weight (1 - beta) * beta ** k with 1/e instead of beta ** k, its weight relative to the newest value, so the condition is false from the start and every beta gives a window of 1.",
        r"\(1 ?- ?beta\) ?\*? ?beta ?\*\* ?k|(whole|absolute|full|actual|total|unnormali[sz]ed) weight|(extra|additional|spurious) factor|(condition|comparison|loop|while)[^.]*\(1 ?- ?beta\) ?\*|\(?1 ?- ?beta\)? in the (while |loop )?(condition|comparison|loop|test)|factor \(?1 ?- ?beta\)?[^.]*(condition|comparison|loop|while|threshold)|(always|every beta|whatever beta)[^.]*\b(1|one)\b|window of (1|one)\b|returns? (1|one) (for|always|whatever)|relative (weight|to the newest)",
    ),
    M(
        "hw02",
        "moving_average",
        [("    if window < 1:\n", "    if window <= 1:\n")],
        "Checked window <= 1 instead of window < 1, so the valid window = 1 (each day its own average) raises a ValueError.",
        r"window ?<= ?1|<= ?1|<=`? where the solution (uses|checks) `?<(?!=)|window ?(=|==) ?1\b|(reject\w*|refus\w*|raises?)[^.]*(valid|allowed|legal) (window )?(of )?(1|one)\b|boundary|(valid|allowed|legal)[^.]*window[^.]*(raise|reject)|window of (1|one)\b",
    ),
    # ---- hw03: momentum, RMSProp and Adam
    M(
        "hw03",
        "momentum_step",
        [("    p = p - lr * v\n", "    p = p + lr * v\n")],
        "Added lr * v to p instead of subtracting it, so the parameters move uphill, along the gradient.",
        r"\+ ?lr ?\* ?v|p ?\+ ?lr|add\w*[^.]*instead of subtract\w*|(instead of|rather than) subtract\w*|(plus|\+) (sign|instead of (the )?(minus|-))|(wrong|flipped|opposite) (sign|direction)|sign[^.]*(flip\w*|wrong|revers\w*)|uphill|ascen\w*|along the gradient|(increas|maximi)\w* the (loss|function)|`p` adds `lr \* v` where the solution subtracts it",
    ),
    M(
        "hw03",
        "rmsprop_step",
        [("    s = beta * s + (1 - beta) * g ** 2\n", "    s = beta * s + g ** 2\n")],
        "Left out the factor 1 - beta in front of g ** 2 (s = beta s + g**2), so s grows about 1 / (1 - beta) times too large and the steps shrink.",
        r"(leav\w*|left|without|missing|forg[eo]t\w*|omit\w*|drop\w*|no)( out)?( the)?( factor)? `?\(?1 ?- ?beta\b|\(?1 ?- ?beta\)?`?( factor)? (is |was )?(missing|left out|omitted|dropped|forgotten)|beta ?\* ?s ?\+ ?g ?\*\* ?2|(sum|accumulat)\w* (of )?(the )?squared|adagrad|too (large|big)|(not|never) (an? )?(weighted |exponential\w* )?(average|ewma)",
    ),
    M(
        "hw03",
        "adam_step",
        [("    v = beta1 * v + (1 - beta1) * g\n", "    v = beta1 * v + (1 - beta2) * g\n")],
        "Weighted the new gradient in v by 1 - beta2 instead of 1 - beta1, so the first moment takes in only a thousandth of g instead of a tenth.",
        r"\(1 ?- ?beta2\) ?\*? ?g\b(?! ?\*\*)|`?\bv`? (uses|is updated with|update uses|with) `?\(?(1 ?- ?)?beta2\b|(first[- ]moment|update of `?v\b|`?\bv`?\'s update|\bv update)[^.]*\bbeta2\b|1 ?- ?beta2 instead of 1 ?- ?beta1|1 ?- ?beta2\)?`? as the weight[^.]*\bv\b|1 ?- ?beta2[^.]*\bin `?v\b|mix\w* up (the )?betas|beta2 (in|for) (the )?(first[- ]moment|update of `?v\b|`?\bv`? update|momentum)",
    ),
    M(
        "hw03",
        "pytorch_momentum_lr",
        [("    return lr * (1 - beta)\n", "    return lr * (beta - 1)\n")],
        "Wrote lr * (beta - 1), subtracting in the wrong order, so the PyTorch learning rate comes out negative.",
        r"beta ?- ?1\b|negative|wrong order|(sign|minus)[^.]*(flip\w*|wrong|revers\w*)|(flip\w*|wrong|revers\w*|opposite)[^.]*sign|(revers|swap)\w*[^.]*subtract\w*|subtract\w*[^.]*(revers\w*|swap\w*|backwards|wrong)",
    ),
    # ---- hw04: learning-rate schedules
    M(
        "hw04",
        "staircase_decay",
        [("(t // interval)", "((t + 1) // interval)")],
        "Counted the epochs from 1 with (t + 1) // interval, so every drop comes one epoch early, at t = interval - 1 (and with interval = 1 even the first epoch is decayed).",
        r"t ?\+ ?1|one (epoch|step) (early|too early|too soon|before)|from 1\b|1-based|one-based|interval ?- ?1|off[- ]by[- ]one",
    ),
    M(
        "hw04",
        "multistep_decay",
        [("sum(1 for milestone", "sum(milestone for milestone")],
        "Summed the milestones themselves instead of counting them, so with milestones [30, 80] the rate at t = 30 is lr0 * gamma ** 30 instead of lr0 * gamma.",
        r"sum\w*[^.]*milestones? (themselves|values|epochs)|(values|epochs) of the milestones|sum\(milestone|instead of count\w*|(not|rather than) (the )?(number|count)\b|exponent[^.]*(milestone|sum|too (large|big)|huge)|gamma ?\*\* ?30|(adds?|added|adding) (up )?the milestones|milestone (values|epochs)",
    ),
    M(
        "hw04",
        "cosine_with_warmup",
        [
            (
                "        if t > total:\n            return eta_min\n",
                "        if t > total:\n            return 0.0\n",
            )
        ],
        "Returned 0.0 instead of eta_min after total, so with eta_min > 0 the rate drops from eta_min to 0 at t = total + 1.",
        r"`0\.0` \(the default\) where the solution uses `eta_min`|return\w* `?(0|zero|0\.0)\b|`?(0|0\.0)`? where the solution (uses|returns) `?eta_min|(0|zero|0\.0) (instead of|rather than|in place of) eta_min|eta_min[^.]*(ignored|forgotten|dropped|not used|missing)|(ignor\w*|forg[eo]t\w*|drop\w*|instead of) eta_min|(drops?|falls?|jumps?) (from eta_min )?to (0|zero)\b|after total[^.]*\b(0|zero)\b|past total[^.]*\b(0|zero)\b|(beyond|above) total[^.]*\b(0|zero)\b",
    ),
    M(
        "hw04",
        "suggest_lr",
        [
            (
                "smoothed[i] = average / (1 - beta ** (i + 1))",
                "smoothed[i] = average / (1 - beta ** i)",
            )
        ],
        "Bias-corrected with beta ** i instead of beta ** (i + 1), so the first smoothed value divides by 1 - beta**0 = 0 and every later correction is one step too strong.",
        r"beta ?\*\* ?i\b(?! ?\+)|exponent[^.]*(one )?(too small|short|off|wrong|less)|(one )?too (small|low)[^.]*exponent|beta ?\*\* ?0|divi\w* by (0|zero)|1 ?- ?beta ?\*\* ?0|off[- ]by[- ]one|count\w* (i |the steps )?from 0|too strong|`smoothed` leaves out `1`",
    ),
    # ---- hw05: saddle points and plateaus
    M(
        "hw05",
        "classify_critical_point",
        [("float(np.max(np.abs(eigenvalues)))", "float(np.min(np.abs(eigenvalues)))")],
        "Scaled the zero threshold by the smallest absolute eigenvalue (np.min) instead of the largest, so an eigenvalue like 1e-3 next to 1e9 is not treated as zero and the point is called a minimum instead of degenerate.",
        r"np\.min|\bmin\b[^.]*\|?(abs|eigen|lambda)|smallest (absolute |magnitude )?(\|?eigenvalue|\|?lambda|\|)|(instead of|not|rather than) (the )?(largest|biggest|max\w*)( absolute)? (\|?eigenvalue|\|?lambda)|(largest|max\w*)[^.]*(replaced|instead of)",
    ),
    M(
        "hw05",
        "numerical_hessian",
        [
            (
                "(np.asarray(grad(point + step)) - np.asarray(grad(point - step)))",
                "(np.asarray(grad(point - step)) - np.asarray(grad(point + step)))",
            )
        ],
        "Subtracted the gradients in the wrong order, grad(p - h e_j) - grad(p + h e_j), so every entry of the Hessian has the wrong sign.",
        r"wrong order|revers\w*|swap\w*|backwards|(wrong|opposite|flipped) sign|sign[^.]*(flip\w*|wrong|revers\w*|invert\w*)|negat\w*|minus (the|its)|grad\(point ?- ?step\)\)? ?- ?|h ?e_j\) ?- ?(np\.asarray\()?grad|(other|opposite) way round",
    ),
    M(
        "hw05",
        "fraction_of_minima",
        [("np.linalg.eigvalsh(H)", "np.linalg.eigvalsh(B)")],
        "Passed B instead of the symmetrised H to np.linalg.eigvalsh, which then reads only B's lower triangle, so the matrices tested are not the H of the task (their off-diagonal entries are twice as spread).",
        r"eigvalsh\(B\)|`?\bB`?\b[^.]*(instead of|not|rather than|where)[^.]*`?\bH\b|(instead of|not|rather than) (the )?(symmetri[sz]ed )?`?H`?\b|(unsymmetri[sz]ed|non-?symmetri[sz]ed|not symmetri[sz]ed|raw) (matrix|matrices|B)|(ignor\w*|never uses?|unused|discard\w*)[^.]*`?\bH\b|`?\bH`? (is )?(never|not) used|lower triangle",
    ),
    M(
        "hw05",
        "escape_step",
        [
            (
                "            return i\n    return None\n",
                "            return i\n        else:\n            return None\n",
            )
        ],
        "Put return None in an else branch inside the loop, so only the first point is checked and a path that starts inside the distance gives None.",
        r"\belse\b|(inside|in|within) the loop[^.]*(return|None)|return\w*[^.]*None[^.]*(inside|in|within) the (for[- ])?loop|(only|just) (checks? |looks? at |tests? )?(the )?first (point|row|step|position)|(first|initial) point only|gives up|(stops?|exits?|returns?) (None )?(after|at) the first|returns? (None )?(immediately|too early|early)|returns inside `for",
    ),
    # ---- hw06: optimizers in PyTorch
    M(
        "hw06",
        "adam",
        [('beta1, beta2 = group["betas"]', 'beta2, beta1 = group["betas"]')],
        'Unpacked group["betas"] as beta2, beta1, so the first moment averages with 0.999 and the second with 0.9.',
        r"beta2, ?beta1|swap\w*|revers\w*|(wrong|other) order|each other'?s (place|role)|(mix|mixe[sd]) up|interchang\w*|unpack\w*|the other way round",
    ),
    M(
        "hw06",
        "fine_tuning_groups",
        [("groups.setdefault(settings, []).append(p)", "groups[settings] = [p]")],
        "Wrote groups[settings] = [p] instead of appending, so each group keeps only the last parameter with its settings and the others are left out of the optimizer.",
        r"where the solution appends to it|overwr\w*|replac\w*|(only|just) (the )?last (parameter|one|p\b)|(instead of|not|never|rather than) (append\w*|add\w*|accumulat\w*)|= ?\[p\]|setdefault|(drops?|loses?|lost|left out|leaves? out|miss\w*)[^.]*parameters?|one parameter (per|in each|each) group|single parameter",
    ),
    M(
        "hw06",
        "unfreeze",
        [
            (
                '    optimizer.add_param_group({"params": list(module.parameters()), "lr": lr})\n',
                '    optimizer.add_param_group({"params": list(module.parameters())})\n'
                "    for group in optimizer.param_groups:\n"
                '        group["lr"] = lr\n',
            )
        ],
        "Set lr on every parameter group after adding the new one, so the existing groups of the head are moved to the new rate too instead of keeping theirs.",
        r"(every|all|each|all the) (parameter )?groups|(every|each) (parameter )?group\b|existing groups?[^.]*(rate|lr|chang\w*|overwr\w*|reset\w*)|(head|old|other|existing)[^.]*(rate|lr)[^.]*(chang\w*|overwr\w*|reset\w*|replac\w*|too)|for group in optimizer\.param_groups|(head|old|other|existing)\W[^.]*\b(lr|rate)\b[^.]*\b(too|as well|also)\b|(chang|overwr|reset|replac)\w*[^.]*(rate|lr) of (the )?(head|other|existing|old)",
    ),
    M(
        "hw06",
        "train_epochs",
        [
            (
                "            loss.backward()\n            optimizer.step()\n",
                "            optimizer.step()\n            loss.backward()\n",
            )
        ],
        "Called optimizer.step() before loss.backward(), so every step runs on gradients that were just cleared and the parameters never move.",
        r"step\(\)`? before `?(loss\.)?backward|backward\(\)`? after `?(optimizer\.)?step|before (the )?(gradients? (are|is|were) computed|backward)|(wrong|reversed|swapped) order|order of[^.]*(step|backward)|(parameters?|weights?|model)[^.]*(never|don'?t|do not|not) (move|change|update|get updated|train)\w*|(never|not) (move|change|update)\w*[^.]*(parameters?|weights?)|stale|(cleared|zero|zeroed|empty|no|none) gradients?|swaps the order of `loss\.backward\(\)` and `optimizer\.step\(\)`",
    ),
    # ---- hw07: simulated workers, gradient accumulation, the linear scaling rule
    M(
        "hw07",
        "worker_gradients",
        [("        grads.append({key: g.copy()", "    grads.append({key: g.copy()")],
        "Dedented the grads.append(...) line out of the loop over the workers, so only the last worker's backward runs and the list holds one dict instead of K.",
        r"append\w*[^.]*(outside|after) (the )?(for[- ])?loop|(dedent\w*|outside (of )?the loop|after the loop)[^.]*append|(only|just) (the )?last worker|(one|a single) (gradient )?(dict|entry|element)\b|instead of K (dicts|gradients|entries)|list (of|with|holds) (only )?(one|1|a single)\b|indent\w*|runs `grads\.append.{0,120}once, after `for r in range\(K\)`",
    ),
    M(
        "hw07",
        "worker_gradients",
        [("    m = X.shape[1]\n", "    m = X.shape[0]\n")],
        "Took m from X.shape[0], the number of features, instead of X.shape[1], so the divisibility check tests the wrong number: 12 examples with 5 features for 3 workers raise a ValueError, and splits that do not divide m pass.",
        r"shape\[0\]|(rows|features|n_x|input size)\b[^.]*(instead of|not|rather than)[^.]*(columns|examples|\bm\b)|number of (rows|features)|wrong (dimension|axis)|`m` uses `0` where the solution uses `1`",
    ),
    M(
        "hw07",
        "accumulated_gradient",
        [("g * (X_j.shape[1] / m)", "g * (X_j.shape[1] // m)")],
        "Computed the weight m_j / m with integer division, X_j.shape[1] // m, which is 0 for every micro-batch smaller than the whole batch, so the accumulated gradient is all zeros.",
        r"//|integer division|floor division|(round|truncat)\w*[^.]*(0|zero|down)|(all )?zeros\b|(weight|factor)s? (is |are |of )?(0|zero)\b|int(eger)? (weight|ratio)",
    ),
    M(
        "hw07",
        "scaled_rate",
        [
            (
                "    peak = lr * batch_size / base_batch_size\n",
                "    peak = batch_size / base_batch_size\n",
            )
        ],
        "Took the peak rate as k = batch_size / base_batch_size itself, leaving out the factor lr, so after the warmup the rate is the scaling factor (8.0 for 512 / 64) instead of k * lr.",
        r"(leav\w*|left|without|missing|forg[eo]t\w*|omit\w*|drop\w*)( out)?( the)?( factor| multiplication by| multiplying by)? \W?(lr|learning rate|alpha|base rate)\b|(lr|alpha)`? (is |was )?(missing|left out|omitted|dropped)|peak ?= ?batch_size|(peak|rate) (is|equals|=) `?k\b|\bk`? (itself|alone)|scaling factor (itself|alone|as the (peak|rate))|(not|never) (multipl|scal)\w*[^.]*\b(lr|alpha)\b|(forg[eo]t\w*|without) (to )?multipl\w*[^.]*by `?(lr|the learning rate|alpha)\b|k ?\* ?lr|kα|k ?α",
    ),
    # ---- hw08: rates on the quadratic model
    M(
        "hw08",
        "gd_optimal",
        [
            (
                "return 2.0 / (lam_min + lam_max), (kappa - 1.0) / (kappa + 1.0)",
                "return (kappa - 1.0) / (kappa + 1.0), 2.0 / (lam_min + lam_max)",
            )
        ],
        "Returned (rate, alpha), the two values in each other's places.",
        r"\(rate, ?alpha\)|each other'?s (place|position)|swap\w* (the )?(returned |two )?(values|alpha and (the )?rate|rate and alpha|outputs|pair|return)|revers\w* (the )?order|(wrong|other) order|order of (the )?(return\w*|values|pair|outputs)|interchang\w*|(alpha|rate) (comes? |is )?(first|second) (instead|where)|return\w* (the )?rate first",
    ),
    M(
        "hw08",
        "momentum_optimal",
        [("root_kappa = np.sqrt(lam_max / lam_min)", "root_kappa = np.sqrt(lam_min / lam_max)")],
        "Computed the square root of lam_min / lam_max, the condition number upside down, so beta comes out right but the returned rate is negative.",
        r"lam_min ?/ ?lam_max|upside[- ]down|invert\w*|revers\w*|(flip|swap)\w*[^.]*(lam|ratio|kappa|condition|fraction)|recipro\w*|1 ?/ ?kappa|negative|divides `lam_min` by `lam_max`",
    ),
    M(
        "hw08",
        "momentum_spectral_radius",
        [("1.0 + beta - alpha", "1.0 - beta - alpha")],
        "Wrote 1 - beta instead of 1 + beta in M[0, 0], so the top-left entry is 1 - beta - alpha (1 - beta) lam.",
        r"1(\.0)? ?- ?beta ?- ?alpha|1(\.0)? ?- ?beta`? where the solution uses `?1(\.0)? ?\+ ?beta|1 ?- ?beta instead of 1 ?\+ ?beta|1 ?\+ ?beta[^.]*(missing|wrong|flipped|negat\w*|instead)|(sign|minus|plus)[^.]*\bbeta\b[^.]*(M\[0, ?0\]|top[- ]left|first entry|diagonal)|(M\[0, ?0\]|top[- ]left|first entry)[^.]*(sign|minus|subtract)|subtract\w* beta|(flip\w*|wrong|opposite) sign of (the )?(first )?beta|`M` subtracts `beta` where the solution adds it",
    ),
    M(
        "hw08",
        "measured_rate",
        [("    s = T // 2\n", "    s = T / 2\n")],
        "Wrote k = T / 2 with true division, so k is a float and indexing distances[k] raises an IndexError.",
        r"\bT ?/(?!/) ?2|/`?(?<!//)(?<!//`) (where the solution uses|instead of) `?//|true division|float (index|k\b)|\bk\b (is )?a float|(not|instead of) (an )?(integer|floor) division|IndexError|non-?integer|float(ing)?[- ]point index|(index|indices) (must be|are) integers|divides with `/`",
    ),
    # ---- hw09: clipping, averaging the weights, Lion
    M(
        "hw09",
        "clip_by_global_norm",
        [
            (
                "float(np.sum(np.square(g, dtype=np.float64)))",
                "float(np.mean(np.square(g, dtype=np.float64)))",
            )
        ],
        "Took np.mean of each array's squares instead of np.sum, so the norm is a root of mean squares that shrinks with the arrays' sizes and the clipping factor is wrong.",
        r"np\.mean|\bmean\b|\baverag\w*|root[- ]mean[- ]square|\brms\b|divid\w*[^.]*(size|number of entries|count)|(instead of|not|rather than) (the )?sum\b",
    ),
    M(
        "hw09",
        "ema_of_weights",
        [
            (
                "beta * avg[key] + (1 - beta) * np.asarray(theta[key], dtype=np.float64)",
                "(1 - beta) * avg[key] + beta * np.asarray(theta[key], dtype=np.float64)",
            )
        ],
        "Swapped the weights, (1 - beta) * avg + beta * theta, so the newest snapshot gets weight beta and the running average only 1 - beta.",
        r"swap\w*|(weights?|beta and 1 ?- ?beta|coefficients?)[^.]*(revers\w*|exchang\w*|interchang\w*|switch\w*|wrong way|other way|each other)|\(1 ?- ?beta\) ?\*? ?avg|beta ?\* ?(np\.asarray\()?theta|(newest|new|latest|current) (snapshot|weights?|value)[^.]*(weight|gets) `?beta\b(?! ?\*\*)|each other'?s places",
    ),
    M(
        "hw09",
        "lion_step",
        [
            (
                "    param -= lr * (np.sign(c) + weight_decay * param)\n",
                "    param = param - lr * (np.sign(c) + weight_decay * param)\n",
            )
        ],
        "Wrote param = param - ... instead of param -= ..., rebinding the local name to a new array, so the caller's parameters never change (only v is updated).",
        r"param ?= ?param|(not|never|doesn\'?t) (update|modify|change)\w* `?param\b|(rebind\w*|re-?bound|new array|local (name|variable)|in[- ]place|cop(y|ies))[^.]*\bparam\w*|\bparam\w*[^.]*(rebind\w*|re-?bound|new array|not in[- ]place|never chang\w*|unchanged|not (updated|modified|changed)|local (name|variable))|makes a new `param` instead of updating it in place",
    ),
    M(
        "hw09",
        "lion_step",
        [("c = beta1 * v + (1 - beta1) * grad", "c = beta1 * grad + (1 - beta1) * v")],
        "Swapped the weights in the blend, c = beta1 * grad + (1 - beta1) * v, so the sign follows the new gradient almost alone instead of the momentum.",
        r"swaps `beta1` and `1 - beta1`|beta1 ?\* ?grad|\(1 ?- ?beta1\) ?\*? ?v\b|swap\w* the (two )?(weights|coefficients)( (in|of) (the )?(blend|`?c`?\b))?|(grad\w*|\bg\b) and (v|momentum)\b[^.]*(swap\w*|each other|exchang\w*)|(swap|exchang)\w* (the )?(grad\w*|\bg\b|momentum|\bv\b) and (the )?(grad\w*|\bg\b|momentum|\bv\b)|(grad\w*|\bg\b)[^.]*weight `?beta1\b|weight `?beta1`?[^.]*(grad\w*|\bg\b)|(almost|mostly) (only )?(the )?(new |raw )?gradient|`c` uses `1 - beta1` where the solution uses `beta1` \(in all 2 places\)",
    ),
]
