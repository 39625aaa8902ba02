"""A sixth held-out set of student mistakes, written without the grader's error model.

Written after the fifth set, by a helper started with a fresh context, who saw neither the
grader's mistake lists, the mutants, the pitfalls nor the diagnosis code: it read only the task
statements, answer cells and visible tests of solutions/hw01 ... hw09, the ``dldemos`` package
they import, and the five earlier held-out sets (tests/student_mistakes.py,
tests/student_mistakes_fresh.py, tests/student_mistakes_third.py,
tests/student_mistakes_fourth.py, tests/student_mistakes_fifth.py), so as not to repeat them.
The set mixes small slips (one operator, index, constant, default, argument order, library
call, return order, in-place update, dtype or misplaced statement) with larger
misunderstandings (a formula misread, state not carried between steps, a wrong return
structure, an edge case mishandled). Each entry edits the solution's answer cell with
``(old, new)`` replacements (every ``old`` occurs exactly once in that cell) and says in one
sentence what the student did; ``names`` is a case-insensitive regular expression that a
correct diagnosis of that mistake matches and a description of another mistake of the same
cell (in any of the six sets) does not. Every edited cell runs and gives results different
from the solution's (or raises where it does not) on some input a hidden test would plausibly
use (checked by running the edited cell beside the original).

Measured before any change it could inform: 22 of 40 named, 18 of its 36 unlisted (50 %).
Thirteen right namings that the regexes missed were then accepted, each by the sentence's own
words (``leaves out the factor `lr```, ``ignores the condition `not state``` ...).

After the edits that the eighth and ninth sets' misses suggested, one more naming was right in
other words and was accepted: ``lr`` returned for ``peak`` ("uses `lr` where the solution uses
`peak`").
"""

from student_mistakes import StudentMistake

M = StudentMistake

SIXTH_MISTAKES: list[StudentMistake] = [
    # ---- hw01: mini-batch gradient descent
    M(
        "hw01",
        "batch_sizes",
        [
            (
                "    full, rest = divmod(m, batch_size)\n",
                "    if batch_size >= m:\n        return [batch_size]\n    full, rest = divmod(m, batch_size)\n",
            )
        ],
        "Treated batch_size >= m as a special case returning [batch_size], so a mini-batch larger than the data set is reported with batch_size examples instead of the m there are.",
        r"\[batch_size\]|batch_size ?>=? ?m\b|(larger|bigger|more) than (m|the (data ?set|number of examples))|exceeds m|\[m\]|(reports?|claims?|gives?|returns?)[^.]*batch_size (examples|instead of m)|(instead of|rather than|not) (the )?m (examples|that|there)|special[- ]case|batch gradient descent|(one|single|whole) (full-?)?batch (case|mode)",
    ),
    M(
        "hw01",
        "random_mini_batches",
        [
            (
                "    m = X.shape[1]\n",
                "    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)\n    m = X.shape[1]\n",
            )
        ],
        "Converted X and Y with np.asarray(..., dtype=float) first, so float32 inputs and integer labels come back as float64 mini-batches.",
        r"float64|float32|dtype|integer labels|(int|integer) (labels|arrays?|Y)|convert\w*|\bcast\w*|astype|asarray|precision",
    ),
    M(
        "hw01",
        "random_mini_batches",
        [
            (
                "    return [(X_shuffled[:, start:start + batch_size], Y_shuffled[:, start:start + batch_size])\n"
                "            for start in range(0, m, batch_size)]\n",
                "    starts = range(0, m, batch_size)\n"
                "    return ([X_shuffled[:, s:s + batch_size] for s in starts], [Y_shuffled[:, s:s + batch_size] for s in starts])\n",
            )
        ],
        "Returned a pair of lists, (all the X mini-batches, all the Y mini-batches), instead of a list of (X_t, Y_t) tuples.",
        r"(pair|tuple) of (two )?lists|two (separate )?lists|separate lists|lists? of (\(X_t, ?Y_t\) )?(tuples|pairs)|(instead of|not|rather than) (a list of )?(\(X_t, ?Y_t\) )?(tuples|pairs)|\bzip\w*|return (type|format|structure|value'?s? (shape|structure))|(two|2) (elements|items|entries)|len(gth)? (of )?2\b|(all|every) (the )?X (mini-?batches )?(together|first)",
    ),
    M(
        "hw01",
        "train_one_epoch",
        [("optimizer.add_grad(model.get_grad_dict())", "optimizer.add_grad(model.param_dict)")],
        "Passed model.param_dict, the parameters themselves, to optimizer.add_grad instead of the gradients from model.get_grad_dict().",
        r"param_dict|(parameters|weights) (themselves|instead of (the )?gradients?|as (the )?gradients?)|(instead of|not|rather than) (the )?gradients?\b|get_grad_dict|weight decay|add_grad\([^)]*param",
    ),
    M(
        "hw01",
        "train_one_epoch",
        [("    optimizer.increase_epoch()\n", "")],
        "Never called optimizer.increase_epoch(), so the optimizer's epoch count stays at 0 and epoch-based schedules never advance.",
        r"\b(never|forg[eo]t\w*|miss\w*|omit\w*|without|no|left out|leaves out|drop\w*|skip\w*)\b[^.]*increase_epoch|increase_epoch[^.]*(missing|never|omitted|not called|left out)|epoch (count|counter|number)[^.]*(0|zero|never|stays|not (advanced|increased|incremented))|optimizer\.epoch|(never|not) (count|increment|advanc)\w* (the )?epochs?",
    ),
    # ---- hw02: exponentially weighted averages
    M(
        "hw02",
        "ewma",
        [
            (
                "    v = 0.0\n    for t, value in enumerate(theta.astype(dtype)):\n",
                "    for t, value in enumerate(theta.astype(dtype)):\n        v = 0.0\n",
            )
        ],
        "Set v = 0.0 inside the loop, so the average restarts from 0 every day and each v_t is just (1 - beta) z_t.",
        r"v ?= ?0(\.0)?[^.]*\b(inside|in|within) the loop|\b(inside|in|within) the loop[^.]*\bv\b|(reset|restart|re-?initiali[sz])\w*|(never|not) carr\w*|(previous|last|old) (average|value|v)[^.]*(lost|forgotten|discarded|dropped|ignored|never used)|\(1 ?- ?beta\) ?\*? ?(z_?t|theta|value)|no memory|memoryless|sets `v` again in every pass",
    ),
    M(
        "hw02",
        "ewma_with_bias_correction",
        [("corrected[t - 1] = v / (1 - beta ** t)", "corrected[t - 1] = v * (1 - beta ** t)")],
        "Multiplied v_t by 1 - beta**t instead of dividing by it, so the correction shrinks the early averages further instead of lifting them.",
        r"multipl\w*|\* ?\(1 ?- ?beta|instead of divid\w*|(not|never|rather than) divid\w*|shrink\w*|(even|still) smaller|further (towards|to) (0|zero)|wrong (operator|operation)",
    ),
    M(
        "hw02",
        "effective_window",
        [
            (
                "    if not 0 <= beta < 1:\n"
                '        raise ValueError(f"beta must satisfy 0 <= beta < 1, got {beta!r}")\n',
                '    assert 0 <= beta < 1, f"beta must satisfy 0 <= beta < 1, got {beta!r}"\n',
            )
        ],
        "Checked beta with an assert, which raises AssertionError (and is skipped under python -O) instead of the ValueError the task asks for.",
        r"\bassert|(wrong|other|different) (kind|type|class) of (exception|error)|(wrong|other|different) (exception|error)|instead of (raising )?(a |the )?ValueError|not (raise )?(a |the )?ValueError|exception (type|class)|python -O",
    ),
    M(
        "hw02",
        "moving_average",
        [
            (
                "        ma = ma + (theta[t] - leaving) / window\n",
                "        ma = ma + (theta[t] - leaving)\n",
            )
        ],
        "Forgot to divide by window, so the function returns the moving sum of the last window days instead of their average.",
        r"\b(forg[eo]t\w*|without|never|missing|left out|leaves out|omit\w*|no)\b[^.]*divid\w* (by|through)|divid\w* by (the )?window[^.]*(missing|forgotten|left out|omitted)|(missing|without|no|forg[eo]t\w*)[^.]*/ ?window|/ ?window[^.]*(missing|forgotten|left out|omitted)|moving sum|(running|rolling|window(ed)?|plain) sum|window times (too )?(large|big)|(not|never) (averag|normali[sz])\w*|leaves out the division by `window`",
    ),
    # ---- hw03: momentum, RMSProp and Adam
    M(
        "hw03",
        "momentum_step",
        [("    return p, v\n", "    return v, p\n")],
        "Returned (v, p) instead of (p, v), the new velocity and the new parameter in each other's places.",
        r"\(v, ?p\)|return\w*[^.]*\border\b|\border of (the )?(return\w*|values|outputs|results)|swap\w*|each other|revers\w*|(exchang|interchang|switch)\w*|wrong (order|positions?)",
    ),
    M(
        "hw03",
        "rmsprop_step",
        [
            (
                "    s = beta * s + (1 - beta) * g ** 2\n",
                "    s *= beta\n    s += (1 - beta) * g ** 2\n",
            )
        ],
        "Updated s in place with s *= beta and s += (1 - beta) * g ** 2, so the caller's array s is modified.",
        r"in[- ]place|\*=|\+=|caller'?s (array|s\b)|modif\w*|mutat\w*|(overwr|chang|alter)\w*[^.]*(argument|input|caller)|(instead of|not|never) (return\w* )?(a )?new arrays?|\bcop(y|ies)\b",
    ),
    M(
        "hw03",
        "adam_step",
        [
            (
                "    p = p - lr * v_hat / (np.sqrt(s_hat) + eps)\n",
                "    p = p - lr * v_hat / np.sqrt(s_hat + eps)\n",
            )
        ],
        "Put eps inside the square root, np.sqrt(s_hat + eps), instead of adding it to np.sqrt(s_hat).",
        r"eps\w*[^.]*\b(inside|under|within|in) the (square )?root|sqrt\(s_hat ?\+ ?eps\)|\b(inside|under|within) the sqrt|(outside|after) the (square )?root|eps\w* placement|plac\w* (of )?eps",
    ),
    M(
        "hw03",
        "pytorch_momentum_lr",
        [("    return lr * (1 - beta)\n", "    return 1 - beta\n")],
        "Returned 1 - beta, leaving out the factor lr.",
        r"(leav\w*|left) out (the )?(factor )?(\blr\b|learning rate)|(without|missing|drop\w*|omit\w*|forg[eo]t\w*|ignor\w*|never uses?) (the )?(factor |input |argument )?(\blr\b|learning rate)|(\blr\b|learning rate) (is |was )?(missing|left out|dropped|omitted|ignored|never used|not used)|not (multipl|scal)\w* by (the )?(lr|learning rate)|forg[eo]t\w* to multiply by (the )?(lr|learning rate)|independent of (the )?(lr|learning rate)|return\w* (only |just )?`?1 ?- ?beta|leaves out the factor `lr`",
    ),
    # ---- hw04: learning-rate schedules
    M(
        "hw04",
        "staircase_decay",
        [("(t // interval)", "(t % interval)")],
        "Wrote t % interval instead of t // interval, so the rate decays within every interval and jumps back to lr0 at the start of the next (a sawtooth).",
        r"%|modul\w*|remainder|saw-?tooth|(jumps?|resets?|goes|returns?|springs?) back|periodic\w*|repeat\w*|cycl\w*|restart\w*",
    ),
    M(
        "hw04",
        "multistep_decay",
        [("if milestone <= t)", "if t <= milestone)")],
        "Reversed the comparison to t <= milestone, counting the milestones not yet passed instead of those reached, so the rate starts low and grows as the milestones go by.",
        r"t ?<= ?milestone|milestone ?>= ?t|revers\w*|(flip|swap|invert)\w*[^.]*compar\w*|compar\w*[^.]*(wrong|backwards?|flipped|reversed|other) (way|direction)|backwards|(not yet|still to come|upcoming|future|remaining|still ahead) (passed|reached|milestones)|not (been )?(reached|passed)( yet)?|milestones (ahead|still (to come|ahead)|after t|greater than t|>= ?t|at or after)|starts? (low|small)|(at or )?after t\b",
    ),
    M(
        "hw04",
        "cosine_with_warmup",
        [("(1 + math.cos(math.pi * progress)) / 2", "(1 - math.cos(math.pi * progress)) / 2")],
        "Wrote (1 - cos) / 2 instead of (1 + cos) / 2, so after the warmup the rate drops to eta_min and then rises to lr0 at total instead of annealing down.",
        r"1 ?- ?(math\.)?cos|minus sign|(wrong|flipped|opposite) sign|sign of (the )?cos\w*|upside[- ]down|invert\w*|revers\w*|(drops?|falls?|jumps?) (straight )?to eta_min|(from|at) eta_min (up )?to lr0|(ris\w*|climb\w*|grow\w*|increas\w*) (up )?to lr0|instead of (annealing|decaying|going) down|mirror\w*|backwards|subtracts `math\.cos",
    ),
    M(
        "hw04",
        "cosine_with_warmup",
        [("    if not 0 <= warmup < total:\n", "    if not 0 <= warmup <= total:\n")],
        "Checked 0 <= warmup <= total, so warmup = total is accepted instead of raising a ValueError (and t = total then divides 0 by 0).",
        r"<= ?total|warmup ?(==|=) ?total|equal\w*[^.]*total|total[^.]*equal|(accept\w*|allow\w*|no ValueError|not reject\w*|never reject\w*)[^.]*(warmup ?(==|=) ?total|equal)|(warmup ?(==|=) ?total|equal)[^.]*(accepted|allowed|not rejected)|validat\w*",
    ),
    M(
        "hw04",
        "suggest_lr",
        [("    if end - skip_start < 3:\n", "    if end < 3:\n")],
        "Checked end < 3 instead of end - skip_start < 3, counting the skipped points in the length of the stretch, so a stretch of 1 or 2 points after skip_start gives a number instead of None.",
        r"end ?< ?3|\b(without|forg[eo]t\w*|not|never|missing|leav\w* out|left out)\b[^.]*subtract\w*[^.]*skip_start|(ignor\w*|forg[eo]t\w*|drop\w*|omit\w*|leav\w* out|left out)[^.]*skip_start[^.]*(check|test|count|length|size)|(counts?|measures?|length)[^.]*from (index )?0|(includ|count)\w* (the )?skipped|skipped (points|values|losses|indices)|leaves out `skip_start`",
    ),
    # ---- hw05: saddle points and plateaus
    M(
        "hw05",
        "classify_critical_point",
        [
            (
                "    if np.any(np.abs(eigenvalues) <= zero):\n",
                "    if np.all(np.abs(eigenvalues) <= zero):\n",
            )
        ],
        "Called a point degenerate only when all eigenvalues are zero (np.all instead of np.any), so a Hessian with one zero eigenvalue and the others positive is called a minimum.",
        r"np\.all|only (when|if) (all|every)[^.]*zero|(all|every) (the )?eigenvalues? (are |is |be )?(zero|vanish)|(instead of|rather than|not) (np\.)?any\b|(one|a single|some) (zero|vanishing) eigenvalue|(only one|just one|a single) eigenvalue[^.]*zero",
    ),
    M(
        "hw05",
        "classify_critical_point",
        [
            (
                '    return "minimum" if eigenvalues[0] > 0 else "maximum"\n',
                '    return "maximum" if eigenvalues[0] > 0 else "minimum"\n',
            )
        ],
        'Swapped the labels of the last line, calling a point with all eigenvalues positive a "maximum" and one with all negative a "minimum".',
        r"swap\w*|(minimum|minima)[^.]*(maximum|maxima)[^.]*(swap|exchang|interchang|revers|each other|mix|confus|backwards|wrong way|upside|other way)|(labels?|names?)[^.]*(swap|revers|wrong|mix|exchang)|positive[^.]*(called|labell?ed|named|classif\w*)[^.]*maximum|maximum[^.]*positive|negative[^.]*(called|labell?ed|named|classif\w*)[^.]*minimum|minimum[^.]*(all )?negative|(convex|concave)[^.]*(maximum|minimum)",
    ),
    M(
        "hw05",
        "numerical_hessian",
        [("/ (2 * h)", "/ 2 * h")],
        "Wrote / 2 * h without parentheses, so the difference is divided by 2 and then multiplied by h instead of divided by 2h.",
        r"/ ?2 ?\* ?h|parenthes\w*|bracket\w*|precedence|multipl\w* by h|operator (order|precedence)|order of (the )?operations|h ?\*\* ?2|h squared|h\^2|h²",
    ),
    M(
        "hw05",
        "fraction_of_minima",
        [
            (
                "np.all(np.linalg.eigvalsh(H) > 0, axis=1)",
                "np.any(np.linalg.eigvalsh(H) > 0, axis=1)",
            )
        ],
        "Used np.any instead of np.all, counting the matrices with at least one positive eigenvalue instead of those with all of them positive.",
        r"np\.any|\bany\b( of the| one)?( eigenvalues?)? (is |are )?positive|any positive|at least one|(some|one|a single) positive|(instead of|rather than|not) (np\.)?all\b|where any\b",
    ),
    M(
        "hw05",
        "escape_step",
        [("            return i\n", "            return i + 1\n")],
        "Returned i + 1, counting the points from 1, so the index of the escape is one too large.",
        r"i ?\+ ?1|off[- ]by[- ]one|one too (large|high|big|late|many)|(count\w*|number\w*|index\w*) (the points )?from 1|1-based|one-based|(instead of|not) (the )?(0-based|zero-based)|shifted by one|one (step|index) (late|later|too far)",
    ),
    # ---- hw06: optimizers in PyTorch
    M(
        "hw06",
        "adam",
        [
            (
                "                if not state:\n"
                '                    state["step"] = 0\n'
                '                    state["exp_avg"] = torch.zeros_like(p)\n'
                '                    state["exp_avg_sq"] = torch.zeros_like(p)\n',
                '                state["step"] = 0\n'
                '                state["exp_avg"] = torch.zeros_like(p)\n'
                '                state["exp_avg_sq"] = torch.zeros_like(p)\n',
            )
        ],
        "Initialised the state at every step, without the `if not state:` test, so v, s and t restart from zero each step and every update is a first step.",
        r"if not state|every (step|call|update|time)[^.]*\b(zero|reset|restart|re-?initiali[sz]|fresh|first)|\b(reset|restart|re-?initiali[sz]|re-?creat|overwr|wip)\w*[^.]*(state|exp_avg|\bv\b|step count|averages|moments)|(state|averages|moments)[^.]*\b(reset|restart|re-?initiali[sz]|never (kept|carried|accumulat)|not (kept|carried|persist)|lost)|(always|each step|every step)[^.]*first (step|update)|not carried|(unconditional|always) (initiali[sz]|creat)|ignores the condition `not state`",
    ),
    M(
        "hw06",
        "adam",
        [
            (
                "                if p.grad is None:\n                    continue\n",
                "                if p.grad is None:\n                    break\n",
            )
        ],
        "Wrote break instead of continue for a parameter without a gradient, so every later parameter of that group is skipped too.",
        r"\bbreak\b|instead of continue|(later|following|remaining|subsequent|other|rest of the) param\w*[^.]*(skip|never|not updated|ignored|left)|(stops?|exits?|leaves?|abandons?|quits?) the (inner |parameter |group'?s? )?(loop|group)",
    ),
    M(
        "hw06",
        "fine_tuning_groups",
        [("weight_decay if p.ndim >= 2 else 0.0", "0.0 if p.ndim >= 2 else weight_decay")],
        "Swapped the two weight-decay branches, so biases and normalisation weights (p.ndim < 2) get weight_decay and the weight matrices get 0.",
        r"swap\w*|revers\w*|invert\w*|(exchang|interchang)\w*|opposite|the other way (round|around)|backwards|(weight )?matri(x|ces)[^.]*\b(get|gets|receive|receives|with)\b (0|zero|no)|(0|zero|no) (weight )?decay (on|for) (the )?(weight )?(matri|kernel)|decay[^.]*(only )?on (the )?(biases|vectors|1-d)|0\.0 if",
    ),
    M(
        "hw06",
        "unfreeze",
        [
            (
                '    optimizer.add_param_group({"params": list(module.parameters()), "lr": lr})\n',
                '    optimizer.param_groups[0]["params"].extend(module.parameters())\n',
            )
        ],
        "Appended the module's parameters to the optimizer's existing first group instead of adding a new group, so they train at that group's rate, not lr.",
        r"(existing|first|same|old|head'?s?) (parameter )?group|param_groups\[0\]|extend\w*|(no|without|instead of (adding )?a|never (adds?|creat\w*) a) new (parameter )?group|add_param_group[^.]*(not|never|instead)|(not|never|instead of) (call\w* )?add_param_group|(group'?s|head'?s) (rate|lr|learning rate)|(one|a single) group (only|in total)",
    ),
    M(
        "hw06",
        "train_epochs",
        [
            (
                "        if isinstance(scheduler, lr_scheduler.ReduceLROnPlateau):\n"
                "            scheduler.step(sum(losses) / len(losses))\n"
                "        elif scheduler is not None:\n"
                "            scheduler.step()\n",
                "        if scheduler is not None:\n"
                "            scheduler.step(sum(losses) / len(losses))\n",
            )
        ],
        "Passed the epoch's mean loss to every scheduler's step, not only ReduceLROnPlateau's, so StepLR and the others take the loss as an epoch number.",
        r"every scheduler|all (the )?(other )?schedulers|(not|without|never) (checking|testing|distinguishing)[^.]*ReduceLROnPlateau|isinstance|epoch (number|argument|index)|(loss|mean)[^.]*\bas (the |an )?epoch|(other|non-plateau) schedulers?|StepLR[^.]*(loss|mean)|(loss|mean)[^.]*StepLR",
    ),
    # ---- hw07: simulated workers, gradient accumulation, the linear scaling rule
    M(
        "hw07",
        "worker_gradients",
        [("    if K < 1 or m % K:\n", "    if K < 1 or K % m:\n")],
        "Wrote K % m instead of m % K in the divisibility check, so a valid split such as K = 4 workers for m = 96 examples raises a ValueError.",
        r"K ?% ?m|operands?|swap\w*|revers\w*|(wrong|other) way round|backwards|(valid|legal|even|equal) (split|shares?|input|case|shards?)[^.]*(raise|reject)|reject\w*[^.]*valid|(m|96) (does not|doesn'?t) divide K|whether m divides K",
    ),
    M(
        "hw07",
        "accumulated_gradient",
        [
            (
                "X[:, start:start + micro_batch_size], Y[:, start:start + micro_batch_size]",
                "X[:, start:micro_batch_size], Y[:, start:micro_batch_size]",
            )
        ],
        "Sliced the micro-batches as start:micro_batch_size instead of start:start + micro_batch_size, so every micro-batch after the first is empty.",
        r"start:micro_batch_size|(end|stop|upper) (index|bound)|start ?\+ ?micro_batch_size|(later|other|remaining|subsequent|next) micro-?batch\w*[^.]*empty|empty (micro-?batch|slice)|slic\w*[^.]*\b(end|stop)|(end|stop) of (the )?slice|only the first micro-?batch|leaves out `start`",
    ),
    M(
        "hw07",
        "scaled_rate",
        [
            (
                "    return float(peak * (1 + np.cos(np.pi * (t - warmup_steps) / (total_steps - warmup_steps))) / 2)\n",
                "    return float(peak * (1 + np.cos(np.pi * (t - warmup_steps) / (total_steps - warmup_steps))))\n",
            )
        ],
        "Left out the division by 2 in the cosine, so the decay starts at twice the peak rate.",
        r"/ ?2|halv\w*|\bhalf\b|twice|doubl\w*|2 ?(x|×|times)|factor (of )?(2|two)|by (2|two)\b|leaves out the division by `2`",
    ),
    M(
        "hw07",
        "scaled_rate",
        [("        return float(peak)\n", "        return float(lr)\n")],
        "Returned lr instead of peak after the warmup when total_steps is None, so without a decay the rate falls back to the small batch's rate.",
        r"uses `lr` where the solution uses `peak`|return\w* (the )?(base |small(-| )batch'?s? |unscaled )?(lr|rate)\b[^.]*(instead of|not|rather than) (the )?peak|(falls?|drops?|goes|returns?) back|float\(lr\)|(instead of|rather than|not) (the )?(peak|scaled (rate|lr)|k ?\*? ?alpha)|total_steps (is )?none|no decay|without (a )?decay|constant (phase|part|rate)",
    ),
    # ---- hw08: rates on the quadratic model
    M(
        "hw08",
        "gd_optimal",
        [("return 2.0 / (lam_min + lam_max), ", "return 1.0 / (lam_min + lam_max), ")],
        "Took alpha = 1 / (lam_min + lam_max), dropping the factor 2 of the optimal step 2 / (lam_min + lam_max).",
        r"1(\.0)? ?/ ?\(lam_min ?\+ ?lam_max\)|factor (of )?(2|two)|\b(2|two)\b[^.]*(missing|dropped|forgotten|left out)|\b(missing|dropp\w*|forg[eo]t\w*|left out|leaves out|without) (the )?(factor |numerator )?(2|two)\b|half (the|of the|as large|too small)|halv\w*|too small by (a factor )?(of )?(2|two)|numerator|uses `1\.0` where the solution uses `2\.0`",
    ),
    M(
        "hw08",
        "momentum_optimal",
        [("float(rate ** 2), float(rate)", "float(rate ** 2), float(rate ** 2)")],
        "Returned beta itself as the rate, rate ** 2 for the third value too, instead of its square root.",
        r"rate ?(=|is|as|equal to|equals) ?(\bbeta\b|rate ?\*\* ?2|the square)|(beta|rate ?\*\* ?2|rate squared) (itself )?(as|for|in place of|instead of) (the )?rate|(instead of|not|rather than|without taking) (the |its )?square root|sqrt\(beta\)|(same|identical|equal) (value|number)s?|both (places|positions|entries)|squar\w* the rate|rate[^.]*(squared|\*\* ?2) (twice|in both)",
    ),
    M(
        "hw08",
        "momentum_spectral_radius",
        [
            (
                "    return float(np.max(np.abs(np.linalg.eigvals(M))))\n",
                "    return float(np.abs(np.max(np.linalg.eigvals(M))))\n",
            )
        ],
        "Took np.abs of np.max of the eigenvalues instead of np.max of their absolute values, so a large negative eigenvalue is overlooked.",
        r"abs\w*( value)? of (the )?(np\.)?max|np\.abs\(np\.max|max(imum)?[^.]*(first|before)[^.]*abs|(order|sequence) of (np\.)?(abs|max)|(largest|max\w*) (real|signed) (eigenvalue|value)|(negative|complex) eigenvalue[^.]*(ignored|missed|lost|overlooked)|before (taking )?(the )?abs\w*|(swap|revers|exchang|invert)\w*[^.]*(abs|max)|takes `abs` of `max` where the solution takes `max` of `abs`",
    ),
    M(
        "hw08",
        "measured_rate",
        [("(d[T] / d[s])", "(d[s] / d[T])")],
        "Divided distances[k] by distances[T], the ratio upside down, so a shrinking run gives the inverse of its rate, a number above 1.",
        r"d\[s\] ?/ ?d\[T\]|upside[- ]down|invert\w*|revers\w*|reciprocal|inverse|swap\w*|(above|greater than|larger than|more than|exceeds) 1\b|1 ?/ ?rate|(earlier|first|middle|k-th|kth) (distance )?(divided )?by the (last|later|final)|divid\w* (the )?(earlier|first|middle) (distance )?by the (last|later|final)|divides `d\[s\]` by `d\[T\]`",
    ),
    # ---- hw09: clipping, averaging the weights, Lion
    M(
        "hw09",
        "clip_by_global_norm",
        [
            (
                "    scale = min(1.0, max_norm / (norm + 1e-6))\n",
                "    scale = max(1.0, max_norm / (norm + 1e-6))\n",
            )
        ],
        "Wrote max(1, ...) instead of min(1, ...), so large gradients are never shrunk and small ones are scaled up.",
        r"\bmax\(1|\bmax\b[^.]*instead of (the )?\bmin\b|(instead of|not|rather than) (the )?\bmin\b|\bmin\b[^.]*\bmax\b|\bmax\b[^.]*\bmin\b|(large|long|big)[^.]*(gradients?|norms?)[^.]*(never|not|left|un)\w* ?(clipped|scaled|shrunk)|never (clips?|shrinks?)|(no|without) clipping",
    ),
    M(
        "hw09",
        "clip_by_global_norm",
        [("    return norm\n", "    return scale\n")],
        "Returned the scaling factor scale instead of the norm.",
        r"return\w* (the )?(scal\w* factor|\bscale\b|factor|multiplier|clip(ping)? (factor|coefficient)|min\(1)|(scal\w* factor|\bscale\b|multiplier) (is )?returned|(scal\w* factor|\bscale\b|multiplier) instead of (the )?(global )?norm|instead of (the )?(global )?norm,? (it )?returns? (the )?(scal|factor)|returns `scale` where the solution returns `norm`",
    ),
    M(
        "hw09",
        "ema_of_weights",
        [
            (
                "        avg = {key: beta * avg[key] + (1 - beta) * np.asarray(theta[key], dtype=np.float64) for key in avg}\n"
                "    return {key: value / (1 - beta ** len(snapshots)) for key, value in avg.items()}\n",
                "        avg = {key: avg[key] + np.asarray(theta[key], dtype=np.float64) for key in avg}\n"
                "    return {key: value / len(snapshots) for key, value in avg.items()}\n",
            )
        ],
        "Returned the plain mean of the snapshots, every one weighted equally, instead of the exponentially weighted average (beta is ignored).",
        r"plain (mean|arithmetic)|arithmetic (mean|average)|simple (mean|arithmetic)|equal(ly)? weight\w*|weighted equally|(uniform|same) weights?|(ignor\w*|never uses?|without|unused|drop\w*) (the )?beta|beta[^.]*(ignored|unused|never used)|/ ?len\(snapshots\)|stochastic weight averag|\bswa\b|not exponential\w*|(instead of|rather than) (an |the )?(exponential|ewma|ema)",
    ),
    M(
        "hw09",
        "lion_step",
        [
            (
                "    v[...] = beta2 * v + (1 - beta2) * grad\n",
                "    v[...] = beta2 * v + (1 - beta2) * c\n",
            )
        ],
        "Updated the momentum with the blend c instead of the gradient, v = beta2 v + (1 - beta2) c.",
        r"\(1 ?- ?beta2\) ?\*? ?c\b|(with|from|using|of|by) (the )?(blend|interpolat\w*|\bc\b)[^.]*(instead of|not|rather than) (the )?(raw )?(grad|g\b)|(momentum|\bv\b)[^.]*(blend|\bc\b)[^.]*(instead of|not|rather than) (the )?(raw )?(grad|g\b)|feeds? c (back )?into|c (instead of|in place of|rather than) (the )?(raw )?(grad|g\b)|`v` uses `c` where the solution uses `grad`",
    ),
]
