"""An eighth held-out set of student mistakes, written without the grader's error model.

Written after the seventh set, by a helper started with a fresh context, who saw neither the
grader's mistake lists, the mutants, the pitfalls nor the diagnosis code: it read only the task
statements, answer cells and visible tests of solutions/hw01 ... hw09, the ``dldemos`` package
they import, and the seven earlier held-out sets (tests/student_mistakes.py,
tests/student_mistakes_fresh.py, tests/student_mistakes_third.py,
tests/student_mistakes_fourth.py, tests/student_mistakes_fifth.py,
tests/student_mistakes_sixth.py, tests/student_mistakes_seventh.py), so as not to repeat them.
The set has four mistakes per assignment, spread over the answer cells, and mixes small slips
(an operator, a comparison's bound, a constant, a library call, the order of a list, a
rounding, a missing parenthesis, ``+=`` for an assignment, ``or`` for ``and``, ``min`` for
``max``) with larger misunderstandings (a formula misread, a bias correction half applied, the
other question's step size, clipping by value instead of by norm, a quantity taken from the
wrong object, a shallow copy that aliases the parameters, an edge case mishandled). Each entry
edits the solution's answer cell with ``(old, new)`` replacements (every ``old`` occurs exactly
once in that cell) and says in one sentence what the student did; ``names`` is a
case-insensitive regular expression that a correct diagnosis of that mistake matches and a
description of another mistake of the same cell (in any of the eight sets) does not. Every
edited cell runs and gives results different from the solution's (or raises where it does not)
on some input a hidden test would plausibly use (checked by running the edited cell beside the
original on the notebook's own test inputs).

Measured on the grader as it was when the set was written, before any change it could inform
(commit 5f5ee06, in a fresh-clone run of the whole suite): 14 of 36 named, 11 of its 33
unlisted (33 %), none with full marks. Of the 14 namings, four that the regexes missed were
right in other words and were then accepted, each by the sentence's own words (``beta * t``:
"multiplies by `t` where the solution raises to the power `t`"; ``|g|``: the listed "averages
g instead of g squared"; ``m / m_j``: "divides `m` by `X_j.shape[1]`"; the cosine over
``total_steps``: "leaves out `warmup_steps`"); one was right but badly said (the swapped
weights of momentum: "uses `1 - beta` where the solution uses `beta` (in all 2 places)", now
"swaps `beta` and `1 - beta`"), and one was wrong (an ``isfinite`` check of the last distance
only, called ``np.any`` for ``np.all``: the tests cannot tell the two apart).

After the edits that this set's misses suggested, three more namings were right in other words
and were accepted: the original arrays sliced ("uses `X` and `Y` where the solution uses
`X_shuffled` and `Y_shuffled`"), the labels' stride from 0 ("starts the slice at 0 where the
solution starts it at `r`") and ``len(theta)`` ("uses `theta`, the loop's last item, where the
solution uses `snapshots`").
"""

from student_mistakes import StudentMistake

M = StudentMistake

EIGHTH_MISTAKES: list[StudentMistake] = [
    # ---- hw01: mini-batch gradient descent
    M(
        "hw01",
        "batch_sizes",
        [("if m < 1 or batch_size < 1:", "if m < 0 or batch_size < 0:")],
        "Tested m < 0 or batch_size < 0 instead of < 1, so zero slips through the check: batch_size = 0 raises a ZeroDivisionError instead of a ValueError and m = 0 returns an empty list.",
        r"<\s?0\b|negative|(zero|\b0\b)[^.]*(slips?|pass\w*|accepted|allowed|through|not (rejected|caught|checked)|ZeroDivision|empty list)|ZeroDivision|divi\w* by (zero|0)\b|\bm ?(=|==) ?0\b|batch_size ?(=|==) ?0\b|(accept|allow)\w*[^.]*\b(0|zero)\b|below 0|(only|just) (rejects?|checks?|tests?)[^.]*negative|`<` 0",
    ),
    M(
        "hw01",
        "batch_sizes",
        [
            (
                "return [batch_size] * full + ([rest] if rest else [])",
                "return ([rest] if rest else []) + [batch_size] * full",
            )
        ],
        "Put the smaller leftover mini-batch first instead of last, so batch_sizes(10, 4) gives [2, 4, 4] instead of [4, 4, 2].",
        r"\b(comes?|placed|put|is|goes|appears?) first\b|first (instead of|rather than|and not) (the )?last|smaller (one |mini-?batch )?first|(leftover|remainder|partial|rest|smaller)\b[^.]*\bfirst\b|(wrong|reversed?|revers\w*|opposite) order|order[^.]*(wrong|reversed?|swap\w*)|\[2, ?4, ?4\]|(starts?|begins?) with the (smaller|partial|leftover|remainder|rest|last)|(front|beginning|head|start) of the list|before the full|prepend\w*|\[rest\][^.]*(before|in front)",
    ),
    M(
        "hw01",
        "random_mini_batches",
        [
            (
                "    return [(X_shuffled[:, start:start + batch_size], Y_shuffled[:, start:start + batch_size])\n",
                "    return [(X[:, start:start + batch_size], Y[:, start:start + batch_size])\n",
            )
        ],
        "Cut the mini-batches from the original X and Y instead of the shuffled copies, so the permutation is drawn but never used and the examples come out in their original order.",
        r"uses `X` and `Y` where the solution uses `X_shuffled`|(original|unshuffled|un-shuffled)[^.]*(\bX\b|\bY\b|arrays?|order|data|columns)|not shuffled|never (used|applied)|(unused|ignored)[^.]*(permutation|order|shuffl\w*)|(permutation|`?order`?|shuffl\w*)[^.]*(unused|ignored|never (used|applied)|not (used|applied))|no shuffl\w*|without (any )?shuffl\w*|X_shuffled[^.]*(unused|never)|slic\w*[^.]*\b(X|Y)\b[^.]*instead of[^.]*shuffled|(in|keeps?) (the|their) original order|`X` where the solution uses `X_shuffled`|(rather than|not|instead of) (from )?(the )?(shuffled|`?X_shuffled)|shuffled (copies|arrays|versions)[^.]*(unused|never|not used)",
    ),
    M(
        "hw01",
        "train_one_epoch",
        [("    losses = []\n", "    losses = []\n    np.random.shuffle(mini_batches)\n")],
        "Reshuffled the list of mini-batches with np.random.shuffle before the loop, so they are not trained in the given order (and the caller's list is reordered in place).",
        r"shuffl\w*|reorder\w*|(given|their|original) order|\bin order\b|(mini-?)?batches\'? order|np\.random|global (generator|rng|random)|random order|(order|sequence) of the (mini-?)?batches",
    ),
    # ---- hw02: exponentially weighted averages
    M(
        "hw02",
        "ewma",
        [("v = beta * v + (1 - beta) * value", "v = beta * v + value")],
        "Left out the factor 1 - beta on the new value, v = beta v + z_t, so the average adds the values up and grows about 1 / (1 - beta) times too large.",
        r"(leav\w*|left|without|missing|forg[eo]t\w*|omit\w*|drop\w*|no)( out)?( the)?( factor| weight)?( of)? `?\(?1 ?- ?beta\b|\(?1 ?- ?beta\)?`?( factor| weight)? (is |was )?(missing|left out|omitted|dropped|forgotten)|beta ?\* ?v ?\+ ?(value|z)|too (large|big)|\b(sum|summ\w*|accumulat\w*)\b|(not|never) (a )?(weighted )?average|1 ?/ ?\(1 ?- ?beta\)|scaled? up|\bgrows?\b|where the solution uses `?\(1 ?- ?beta\) ?\* ?value|(not|never) (weighted|scaled|multiplied) by `?\(?1 ?- ?beta",
    ),
    M(
        "hw02",
        "ewma_with_bias_correction",
        [("corrected[t - 1] = v / (1 - beta ** t)", "corrected[t - 1] = v / (1 - beta * t)")],
        "Typed beta * t instead of beta ** t in the correction, dividing by 1 - beta t, which is negative from t = 2 on for beta = 0.9 (and 0 at t = 10), so the corrected averages flip sign and blow up.",
        r"multipl\w* by `?t`? where the solution raises|beta ?\* ?t\b|\*(?!\*)`? (instead of|where the solution uses|for) `?\*\*|multipl\w*[^.]*(instead of|not|rather than) (rais|power|exponent)\w*|(product|multiplication|times)[^.]*(instead of|not|rather than)[^.]*(power|exponent)|(power|exponent\w*)[^.]*(missing|replaced|instead of a product)|negative|flip\w* sign|sign[^.]*flip|linear(ly)? in t|blow\w* up|divi\w* by (zero|0)\b|1 ?- ?beta ?t\b",
    ),
    M(
        "hw02",
        "effective_window",
        [
            (
                "    k = 1\n    while beta ** k > 1 / math.e:\n        k += 1\n    return k\n",
                "    k = 1\n    while True:\n        k += 1\n        if beta ** k <= 1 / math.e:\n            return k\n",
            )
        ],
        "Incremented k before testing it, so k = 1 is never checked and every beta whose first power is already at most 1/e (beta = 0, 0.1, 0.3) gets a window of 2 instead of 1.",
        r"k ?= ?1[^.]*(never|not|skip\w*)|(never|not|skip\w*)[^.]*k ?= ?1\b|increment\w*[^.]*(before|first)|(before|first)[^.]*increment|(window|returns?|gives?)( of)? 2\b|\b2 instead of 1\b|starts?[^.]*(at|from) (k ?= ?)?2\b|one too (large|many|big|high)|off[- ]by[- ]one|small (betas?|values of beta)|do-?while|while True",
    ),
    M(
        "hw02",
        "moving_average",
        [("ma = ma + (theta[t] - leaving) / window", "ma = (ma + theta[t] - leaving) / window")],
        "Put the division around the whole sum, ma = (ma + z_t - z_(t-n)) / n, so the previous average is divided by the window too and the averages shrink towards 0.",
        r"\(ma ?\+|parenthes\w*|bracket\w*|precedence|(previous|old|running|last) (average|ma\b|value)[^.]*(divid|scal|shrink)\w*|divid\w*[^.]*(previous|old|running|whole|entire) (average|ma\b|sum|update)|(whole|entire) (sum|expression|update)[^.]*divid|shrink\w*|decay\w*",
    ),
    # ---- hw03: momentum, RMSProp and Adam
    M(
        "hw03",
        "momentum_step",
        [("    v = beta * v + (1 - beta) * g\n", "    v = (1 - beta) * v + beta * g\n")],
        "Swapped the weights of the velocity update, v = (1 - beta) v + beta g, so the new gradient gets weight beta = 0.9 and the old velocity only 0.1.",
        r"swap\w*|revers\w*|interchang\w*|beta and 1 ?- ?beta|1 ?- ?beta and beta|\(1 ?- ?beta\) ?\*? ?v\b|beta ?\* ?g\b|wrong (way round|weights?)|(new|current) gradient[^.]*(weight|gets) `?beta\b(?! ?\*\*)|other way round|(weights?|coefficients?)[^.]*(exchang\w*|switch\w*)",
    ),
    M(
        "hw03",
        "rmsprop_step",
        [
            (
                "    s = beta * s + (1 - beta) * g ** 2\n",
                "    s = beta * s + (1 - beta) * np.abs(g)\n",
            )
        ],
        "Averaged the absolute values |g| instead of the squares g ** 2 in s, so sqrt(s) is the root of a mean absolute gradient and the steps no longer scale like g / RMS(g).",
        r"instead of g squared|np\.abs|\babs\w*|\|g\||(instead of|not|rather than) (the )?squar\w*|(without|no|forg[eo]t\w*|missing) (the )?squar\w*|squar\w*[^.]*(missing|forgotten|left out|dropped)|magnitude",
    ),
    M(
        "hw03",
        "adam_step",
        [
            (
                "p = p - lr * v_hat / (np.sqrt(s_hat) + eps)",
                "p = p - lr * v / (np.sqrt(s_hat) + eps)",
            )
        ],
        "Used the uncorrected v instead of v_hat in the update (only s is bias-corrected), so the first steps are about 1 - beta1 = 0.1 times too small.",
        r"\bv\b`?[^.]*(instead of|not|rather than|where the solution uses) `?v_hat|(uncorrected|raw|biased) (first[- ]moment|`?v\b|momentum|mean)|v_hat[^.]*(unused|never used|ignored|not used)|(only|just) `?s`? (is )?(bias[- ])?corrected|numerator|(first[- ]moment|\bv\b)[^.]*(not|never|without) (bias[- ])?correct\w*|too small|lr ?\* ?v ?/",
    ),
    M(
        "hw03",
        "pytorch_momentum_lr",
        [("    return lr * (1 - beta)\n", "    return round(lr * (1 - beta), 2)\n")],
        "Rounded the result to 2 decimals to hide the floating-point noise of 0.1 * (1 - 0.9), so small rates such as 0.2 * (1 - 0.99) = 0.002 come out as 0.0.",
        r"round\w*|decimal|precision|truncat\w*|(0|zero)\.?0? for small|small (rates|values|results)[^.]*(0|zero|lost)",
    ),
    # ---- hw04: learning-rate schedules
    M(
        "hw04",
        "staircase_decay",
        [("(t // interval)", "round(t / interval)")],
        "Rounded t / interval to the nearest integer with round() instead of flooring it, so the rate drops halfway through each interval (at t = 6 for interval 10) instead of at its end.",
        r"round\(|round\w* (it |t ?/ ?interval |the quotient )?(to|off to) (the )?nearest|nearest (integer|whole|int)|halfway|half(way)? (through|an interval|of (the|each|an) interval)|mid(dle|way)|banker|\bround(ed|s|ing)?\b(?![^.]*\b(up|ceil))[^.]*(instead of|not|rather than) (floor|round\w* down|//)",
    ),
    M(
        "hw04",
        "multistep_decay",
        [("if milestone <= t)", "if milestone == t)")],
        "Counted only the milestones equal to t, so the rate is multiplied by gamma only in the milestone epochs themselves and goes back to lr0 the epoch after.",
        r"==|equal\w*|exactly (at|on|in|the) (the )?milestone|only (at|on|in|for|during) (the )?milestone|(back|return\w*|revert\w*|recover\w*|reset\w*)[^.]*(lr0|initial|original|full|undecayed)|(not|never) (stays?|kept|remain\w*|persist\w*)|does(n'?t| not) (stay|persist|last)|temporar\w*|spike|\bdip\b",
    ),
    M(
        "hw04",
        "cosine_with_warmup",
        [("    if not 0 <= warmup < total:\n", "    if not 0 < warmup < total:\n")],
        "Checked 0 < warmup < total, so warmup = 0, which means no warmup, is rejected with a ValueError instead of giving a plain cosine.",
        r"0 ?< ?warmup|(reject\w*|refus\w*|raises?|raising|ValueError|error)[^.]*(warmup\s*(of\s*)?(=|==|is)\s*(0|zero)\b|no warmup|zero warmup|warmup of (0|zero))|(warmup\s*(of\s*)?(=|==|is)\s*(0|zero)\b|no warmup|zero warmup|warmup of (0|zero))[^.]*(reject\w*|refus\w*|raises?|ValueError|error|not allowed|disallow\w*)|strict\w*[^.]*(lower|\b0\b|zero|warmup)|`<` where the solution (uses|has) `<=`",
    ),
    M(
        "hw04",
        "suggest_lr",
        [
            (
                "return float(lrs[skip_start + np.argmin(slope)])",
                "return float(lrs[skip_start + np.argmax(slope)])",
            )
        ],
        "Took np.argmax of the slope instead of np.argmin, reading 'falls fastest' as the largest slope, so the suggested rate is where the smoothed loss falls slowest (or already turns up) instead of where it falls fastest.",
        r"np\.argmax|\bargmax\b|(largest|biggest|highest|maximum|most positive|max\w*) (slope|gradient|derivative)|(slope|gradient|derivative)[^.]*(largest|biggest|highest|most positive|maximum)|(instead of|not|rather than) (the )?(most negative|smallest|minimum|argmin|np\.argmin)|fall\w* slowest|least negative|(rises|climbs|turns up|increas\w*) (fastest|most)",
    ),
    # ---- hw05: saddle points and plateaus
    M(
        "hw05",
        "classify_critical_point",
        [
            (
                "if eigenvalues[0] < -zero and eigenvalues[-1] > zero:",
                "if eigenvalues[0] < -zero or eigenvalues[-1] > zero:",
            )
        ],
        "Joined the two saddle conditions with or instead of and, so any point with one clearly negative or one clearly positive eigenvalue, every minimum and maximum included, is called a saddle.",
        r"\bor\b`? (instead of|where the solution uses|rather than|for) `?\band\b|(either|any|one) (clearly )?(a )?(negative|positive)[^.]*saddle|(every|all|any) (minim\w*|maxim\w*)[^.]*saddle|saddle[^.]*(every|all|any) (minim\w*|maxim\w*)|(minim\w*|maxim\w*)[^.]*(called|classified|labell?ed|reported|returned) (as )?(a )?.?saddle|(not|no longer) requir\w* both|instead of both|only one sign",
    ),
    M(
        "hw05",
        "numerical_hessian",
        [("        step = np.zeros(n)\n        step[j] = h\n", "        step = np.eye(n)[j]\n")],
        "Shifted the point by the unit vector e_j itself instead of h e_j, while still dividing by 2h, so each column is a difference over a distance of 2 divided by 2h, about 1/h = 1e5 times too large.",
        r"(instead of|not|without|rather than) (the )?(scaled )?`?h ?\*? ?e_j|unit (vector|step)[^.]*(instead of|not|without|unscaled)|(without|never|not|forg[eo]t\w*|missing) (to )?(scal\w*|multipl\w*)(ing)? (e_j |it |the (unit )?(vector|step) )?by `?h\b|(step|shift|offset|perturbation)\w* (of|is|by) (size |length )?(1|one)\b|np\.eye|\beye\b|1e5|10 ?\*\* ?5|1 ?/ ?h\b|too (large|big)|huge|\bblow|(distance|step) of (1|2|one|two)\b|unscaled",
    ),
    M(
        "hw05",
        "fraction_of_minima",
        [("B = rng.standard_normal((num_samples, n, n))", "B = rng.random((num_samples, n, n))")],
        "Drew the matrices with rng.random, uniform on [0, 1), instead of rng.standard_normal, so every entry is positive and the matrices are not the Gaussian ones the task asks for (even 1 x 1 matrices are always minima).",
        r"rng\.random|uniform|\[0, ?1\)|(instead of|not|rather than) (a |the )?(standard[_ ])?normal|non-?negative|(all|every) (entries|entry|elements?)[^.]*positive|gaussian|(wrong|different) (distribution|generator|sampl\w*|random)",
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
                "    found = None\n"
                "    for i, (x, y) in enumerate(np.asarray(trajectory)):\n"
                "        if abs(y) >= distance:\n"
                "            found = i\n"
                "    return found\n",
            )
        ],
        "Stored the index in a variable without leaving the loop, so it is overwritten by every later escaped point and the function returns the last index with |y| >= distance instead of the first.",
        r"\blast\b|(overwr|replac)\w*|(no|without|missing|forg[eo]t\w*)[^.]*(break|early return|return\w* (immediately|at once|early))|(never|doesn'?t|does not) (stop|break|return early)|keeps? (looping|going|search\w*)|final (index|escape|point)|latest",
    ),
    # ---- hw06: optimizers in PyTorch
    M(
        "hw06",
        "adam",
        [("                if p.grad is None:\n", "                if not p.requires_grad:\n")],
        "Skipped the parameters with requires_grad=False instead of those whose .grad is None, so a trainable parameter that got no gradient in this step crashes the update with a TypeError.",
        r"requires_grad|\.?grad is None|(None|missing|no) (\.)?grad\w*[^.]*(crash|error|fail|TypeError|raise)|(crash|error|fail|TypeError|raise)\w*[^.]*(None|no|without a) (\.)?grad|frozen (instead|rather)|(instead of|not|rather than) (check\w* |test\w* )?(whether |if )?(p\.)?grad\b",
    ),
    M(
        "hw06",
        "fine_tuning_groups",
        [
            (
                "settings = (backbone_lr if id(p) in in_backbone else lr,",
                "settings = (lr if id(p) in in_backbone else backbone_lr,",
            )
        ],
        "Swapped the two learning rates, so the pretrained backbone trains at the head's lr and the new head at the small backbone_lr.",
        r"backbone[^.]*\b(gets?|at|with|uses?|has|receives?|trains? at)\b[^.]*\blr\b(?!_)|head[^.]*\bbackbone_lr|(swap\w*|revers\w*|invert\w*|exchang\w*|switch\w*|mix\w* up)[^.]*\b(learning )?rates?\b|\b(learning )?rates?\b[^.]*(swap\w*|revers\w*|invert\w*|exchang\w*|switch\w*|mix\w* up|each other)|lr if id",
    ),
    M(
        "hw06",
        "unfreeze",
        [
            (
                "    module.requires_grad_(True)\n"
                '    optimizer.add_param_group({"params": list(module.parameters()), "lr": lr})\n',
                "    params = [p for p in module.parameters() if p.requires_grad]\n"
                "    module.requires_grad_(True)\n"
                '    optimizer.add_param_group({"params": params, "lr": lr})\n',
            )
        ],
        "Kept only the parameters with requires_grad=True, but collected them before unfreezing the module, so the new group is empty and the module's parameters never reach the optimizer.",
        r"\bempty\b|(filter\w*|collect\w*|select\w*|gather\w*|list\w*)[^.]*before[^.]*(unfreez\w*|requires_grad)|before (unfreez\w*|(setting |calling )?requires_grad)|(no|none of the) (module'?s )?parameters?[^.]*(added|in the (new )?group|reach)|(never|not) (reach|added|in)\b[^.]*optimi[sz]er|(still|were) frozen (when|at the time)|if p\.requires_grad|(no|zero) parameters",
    ),
    M(
        "hw06",
        "train_epochs",
        [
            (
                "            losses.append(loss.item())\n",
                "            losses.append(loss.item() * len(xb))\n",
            ),
            (
                "scheduler.step(sum(losses) / len(losses))",
                "scheduler.step(sum(losses) / sum(len(xb) for xb, _ in batches))",
            ),
        ],
        "Passed ReduceLROnPlateau the per-example mean, each batch's loss weighted by its size, instead of the plain mean of the mini-batch losses, so the smaller last batch weighs less and the plateau decisions can change.",
        r"weight\w*[^.]*(size|len|number of examples)|(size|len\(xb\))[^.]*weight\w*|per[- ](example|sample)|(instead of|not|rather than) (the )?plain mean|len\(xb\)|(example|sample)[- ]weighted|\* ?len|(number|count) of examples",
    ),
    # ---- hw07: simulated workers, gradient accumulation, the linear scaling rule
    M(
        "hw07",
        "worker_gradients",
        [("Y[:, r::K]", "Y[:, ::K]")],
        "Sliced the labels as Y[:, ::K], without the worker's offset r, so every worker runs backward with worker 0's labels against its own examples.",
        r"starts the slice at 0 where the solution starts it at `r`|Y\[:, ?::K\]|(offset|start|\br\b)[^.]*(missing|left out|forgotten|dropped|omitted)|(without|missing|forg[eo]t\w*|drop\w*|omit\w*)[^.]*(offset|\br\b)|worker 0'?s labels|(wrong|mismatch\w*|other worker'?s|first worker'?s|same) labels|labels?[^.]*(mismatch\w*|don'?t match|do not match|wrong|worker 0|first shard)",
    ),
    M(
        "hw07",
        "accumulated_gradient",
        [("g * (X_j.shape[1] / m)", "g * (m / X_j.shape[1])")],
        "Weighted micro-batch j by m / m_j instead of m_j / m, the fraction upside down, so every gradient is multiplied by the number of micro-batches or more instead of shrunk.",
        r"divides `?m`? by `?(m_j|X_j\.shape\[1\])|\bm ?/ ?(m_j|X_j\.shape\[1\])|upside[- ]down|invert\w*|recipro\w*|(flip|swap)\w*[^.]*(fraction|ratio|weight)|(fraction|ratio|weight)[^.]*(flip|swap|revers|invert)\w*|wrong way round|other way round",
    ),
    M(
        "hw07",
        "accumulated_gradient",
        [
            (
                "    total = {key: np.zeros_like(p) for key, p in model.param_dict.items()}\n",
                "    total = model.param_dict.copy()\n",
            )
        ],
        "Started the sums from model.param_dict.copy(), a shallow copy, so the sums start at the parameter values and += writes the gradients into the model's own parameters.",
        r"shallow|param_dict\.copy|(start|begin|initiali[sz])\w*[^.]*(at|from|with) (the )?(parameters?|weights?|param_dict|parameter values)\b|\b(parameters?|weights?)\b[^.]*(changed|modified|overwritten|updated|mutated)|(modif|chang|mutat|overwr)\w*[^.]*\b(parameters?|weights?|param_dict)\b|in[- ]place|alias\w*|same arrays?|not (zeros?|zeroed)|instead of zeros",
    ),
    M(
        "hw07",
        "scaled_rate",
        [
            (
                "(t - warmup_steps) / (total_steps - warmup_steps)",
                "(t - warmup_steps) / total_steps",
            )
        ],
        "Divided the cosine's progress by total_steps instead of total_steps - warmup_steps, so the cosine has not reached 0 at t = total_steps and the rate drops abruptly to 0 there.",
        r"leaves out `warmup_steps`|\(t ?- ?warmup_steps\) ?/ ?total_steps\b(?! ?-)|divid\w*[^.]*by `?(T|total_steps)\b`?(?! ?-)|(instead of|not|rather than|where the solution uses) `?\(?(T|total_steps) ?- ?(T_?w|warmup_steps)|denominator|(length|span|duration) of the (cosine|decay)|(not|never|doesn'?t|does not) (reached|reach) (0|zero)|abrupt\w*|discontinu\w*|(too|still) (high|large) at",
    ),
    # ---- hw08: rates on the quadratic model
    M(
        "hw08",
        "gd_optimal",
        [
            (
                "return 2.0 / (lam_min + lam_max), (kappa - 1.0) / (kappa + 1.0)",
                "return 1.0 / np.sqrt(lam_min * lam_max), (kappa - 1.0) / (kappa + 1.0)",
            )
        ],
        "Took alpha = 1 / sqrt(lam_min lam_max), momentum's best step from question 2 (the geometric mean of the curvatures), instead of gradient descent's 2 / (lam_min + lam_max), so the returned rate does not hold at the returned alpha.",
        r"sqrt\(lam_min ?\*? ?lam_max\)|geometric[- ]mean|momentum'?s (best |optimal )?(alpha|step|learning rate|setting)|(alpha|step|learning rate)[^.]*(from|of|for) (the )?(heavy[- ]ball |polyak'?s )?momentum|1 ?/ ?(np\.)?sqrt|1/√|question 2|(mix\w*|confus\w*)[^.]*momentum",
    ),
    M(
        "hw08",
        "momentum_optimal",
        [("float(rate ** 2)", "float((root_kappa - 1.0) ** 2 / (root_kappa + 1.0))")],
        "Wrote beta as (sqrt(kappa) - 1) ** 2 / (sqrt(kappa) + 1), squaring only the numerator, so beta is sqrt(kappa) + 1 times too large (above 1 for kappa = 100).",
        r"(only|just) (the )?numerator|numerator (only|alone)|denominator[^.]*(not|never|un)\s?squared|(not|never|without) squar\w*[^.]*denominator|parenthes\w*|bracket\w*|precedence|\*\* ?2 ?/ ?\(root_kappa|too (large|big)|(above|greater than|exceeds?|over|larger than) 1\b",
    ),
    M(
        "hw08",
        "momentum_spectral_radius",
        [("np.max(np.abs(np.linalg.eigvals(M)))", "np.min(np.abs(np.linalg.eigvals(M)))")],
        "Took np.min instead of np.max of the absolute eigenvalues, returning the smaller root's size, so whenever the roots are real (beta = 0 gives 0) the rate is underestimated.",
        r"np\.min|\bmin(imum)?\b|smallest|smaller|(instead of|not|rather than) (the )?(largest|biggest|max\w*)|under-?estimat\w*",
    ),
    M(
        "hw08",
        "measured_rate",
        [("    if not np.all(np.isfinite(d)):\n", "    if not np.isfinite(d[-1]):\n")],
        "Checked only the last distance for being finite, so a run with an inf or nan earlier on (such as [1, inf, 1]) returns a number (here 0) instead of np.inf.",
        r"(only|just) (checks? |tests? |looks? at )?the (last|final)|(last|final) (distance|value|element|entry|one) only|d\[-1\]|earlier (inf|nan|non-?finite|infinit\w*|distances?)|(inf|nan|infinit\w*|non-?finite)[^.]*(before the (last|end)|earlier|middle|first half|in between)|\[1, ?inf, ?1\]|(not|never) (checks?|tests?) (the )?(other|earlier|all)",
    ),
    # ---- hw09: clipping, averaging the weights, Lion
    M(
        "hw09",
        "clip_by_global_norm",
        [
            (
                "    scale = min(1.0, max_norm / (norm + 1e-6))\n    for g in grads.values():\n        g *= scale\n",
                "    for g in grads.values():\n        np.clip(g, -max_norm, max_norm, out=g)\n",
            )
        ],
        "Clipped every entry to [-max_norm, max_norm] with np.clip (clipping by value) instead of scaling all arrays by max_norm / norm, so the direction of the gradient changes and its global norm can stay above max_norm.",
        r"np\.clip|by value|(each|every|individual) (entry|entries|element|component|coordinate)|element-?wise|clip_grad_value|\[-?max_norm, ?max_norm\]|direction[^.]*(chang\w*|not preserved|lost)|(not|never|instead of) (rescal|scal)\w*[^.]*(global )?norm",
    ),
    M(
        "hw09",
        "clip_by_global_norm",
        [
            (
                "scale = min(1.0, max_norm / (norm + 1e-6))",
                "scale = min(1.0, max_norm / norm + 1e-6)",
            )
        ],
        "Left out the parentheses, max_norm / norm + 1e-6, so 1e-6 is added to the factor instead of to the norm: the factor is slightly too large and a zero gradient divides by zero.",
        r"parenthes\w*|bracket\w*|precedence|order of operations|max_norm ?/ ?norm ?\+|(1e-6|10\^?-6|10 ?\*\* ?-6|eps\w*|guard)[^.]*(added|adds?) to the (factor|scale|ratio|quotient)|(zero|\b0\b)[^.]*(gradient|norm)[^.]*(divi\w*|ZeroDivision)|ZeroDivision|divi\w* by (zero|0)\b",
    ),
    M(
        "hw09",
        "ema_of_weights",
        [("(1 - beta ** len(snapshots))", "(1 - beta ** len(theta))")],
        "Bias-corrected with beta ** len(theta), the number of arrays in the last snapshot dict, instead of beta ** len(snapshots), the number of snapshots.",
        r"uses `theta`[^.]*where the solution uses `snapshots`|len\(theta\)|number of (keys|arrays|entries|parameters|names|items)|(keys|arrays|parameters) (in|of) (the )?(last |a |one |each )?(snapshot|dict)|(wrong|different) (length|count|len)|(instead of|not|rather than) (the )?number of snapshots|wrong `?t\b",
    ),
    M(
        "hw09",
        "lion_step",
        [
            (
                "    v[...] = beta2 * v + (1 - beta2) * grad\n",
                "    v += beta2 * v + (1 - beta2) * grad\n",
            )
        ],
        "Wrote v += beta2 * v + (1 - beta2) * grad instead of v[...] = ..., adding the new average onto the old momentum, so v becomes (1 + beta2) v + (1 - beta2) g and grows without bound.",
        r"\+=|add\w* (the new average |it )?(on)?to the old|1 ?\+ ?beta2|\bgrows?\b|accumulat\w*|(instead of|not|rather than) (assign|overwrit|replac)\w*|doubl\w*",
    ),
]
