"""A third held-out set of student mistakes, written without the grader's error model.

Written after the grader's generated mistakes existed, by someone who saw neither them nor the
grader's mistake lists, the mutants or the diagnosis code: its author read only the task
statements, answer cells and visible tests of solutions/hw01 ... hw09 (and the
``what_the_student_did`` sentences of the two earlier held-out sets, so as not to repeat
them). Each entry edits the solution's answer cell with ``(old, new)`` replacements (every
``old`` occurs exactly once in that cell) and says in one sentence what the student did;
``names`` is a case-insensitive regular expression that a correct diagnosis of that mistake
matches and a description of another mistake of the same cell does not. Every edited cell runs
and gives results different from the solution's on some input a hidden test would plausibly
use (checked by running the edited cell beside the original).
"""

from student_mistakes import StudentMistake

M = StudentMistake

THIRD_MISTAKES: list[StudentMistake] = [
    # ---- hw01: mini-batch gradient descent
    M(
        "hw01",
        "batch_sizes",
        [("if m < 1 or batch_size < 1:", "if m < 1 and batch_size < 1:")],
        "Joined the two checks with `and` instead of `or`, so the ValueError is raised only when both m and batch_size are below 1.",
        r"`and`|\band\b,? (instead of|rather than|where the solution uses) `?or\b|only (when|if) both|both .{0,40}(below|smaller|less|invalid|< ?1|too small)|(just|only) one of (them|the two|m and batch_size)|(m ?= ?0|batch_size ?= ?0).{0,60}(no (error|valueerror)|accepted|returns|without)|accepts a batch size of (zero|0)",
    ),
    M(
        "hw01",
        "random_mini_batches",
        [("order = rng.permutation(m)", "order = rng.choice(m, size=m)")],
        "Drew the order with rng.choice(m, size=m), which samples with replacement, so some examples appear twice and others never.",
        r"replacement|choice|repeat|duplicat|twice|more than once|not a permutation|instead of (a |rng\.)?permutation|some examples (are )?(missing|never|left out|skipped)",
    ),
    M(
        "hw01",
        "train_one_epoch",
        [("model.loss(Y_t, Y_hat)", "model.loss(Y_hat, Y_t)")],
        "Passed the prediction and the labels to model.loss in the wrong order, model.loss(Y_hat, Y_t).",
        r"(swap|revers|exchang|switch|interchang|transpos)\w* (the )?(arguments|labels|predictions?|inputs|y_t and y_hat|y_hat and y_t|order of (the )?(arguments|labels|inputs))|(arguments|labels|inputs|predictions?)( are| of model\.loss)? (in|given in|passed in) (the )?(wrong|reversed|swapped) order|model\.loss.{0,40}(wrong|reversed|swapped) order|(wrong|reversed|swapped) order.{0,40}model\.loss|loss\(y_hat, ?y_t\)|order of (the )?(arguments|labels and predictions|predictions and labels)|(labels|predictions?) (first|second)|(passes|gives|hands) .{0,40}(to `?loss`? )?in the other order",
    ),
    M(
        "hw01",
        "train_one_epoch",
        [
            (
                "        optimizer.step()\n    optimizer.increase_epoch()",
                "        optimizer.step()\n        optimizer.increase_epoch()",
            )
        ],
        "Called optimizer.increase_epoch() inside the loop, once per mini-batch instead of once after the epoch.",
        r"increase_epoch|epoch (counter|count)|(per|every|each|for each|after each|after every) (mini-?batch|batch|step|iteration|update).{0,60}epoch|epoch.{0,60}(per|every|each|inside|in) (the )?(loop|mini-?batch|batch|step)",
    ),
    # ---- hw02: exponentially weighted averages
    M(
        "hw02",
        "ewma",
        [
            (
                "        v = beta * v + (1 - beta) * value\n        averages[t] = v",
                "        averages[t] = v\n        v = beta * v + (1 - beta) * value",
            )
        ],
        "Stored the average before updating it, so the result is v_0, ..., v_(T-1), one day late and starting with 0.",
        r"before (updat|the update|adding|comput|the new)|one (day|step|place|position|index) (late|behind|off|shifted|too late)|shift|lag\w* (by )?one|previous (average|value of v)|old (average|value of v|`v`)|starts? (with|at) (a )?(0|zero)\b(?! =)|off[- ]by[- ]one|averages\[t\] = v.{0,40}before",
    ),
    M(
        "hw02",
        "ewma_with_bias_correction",
        [("corrected = np.empty(theta.shape, dtype=dtype)", "corrected = np.empty_like(theta)")],
        "Allocated the result with np.empty_like(theta), so an integer series gives truncated integer averages instead of float64.",
        r"empty_like|integer|\bint(32|64)?\b|dtype|truncat|float ?64|type of (the )?(input|theta|series)",
    ),
    M(
        "hw02",
        "effective_window",
        [("return k", "return k - 1")],
        "Returned k - 1, the last k with beta**k still above 1/e, instead of the first k at or below it.",
        r"k ?- ?1|one (too )?(less|fewer|small|short|low)|off[- ]by[- ]one|last k\b|last (day|power|exponent|k) (still )?above|one day (too )?(short|early|few)|one less|too small by one",
    ),
    M(
        "hw02",
        "moving_average",
        [("if t >= window else 0.0", "if t > window else 0.0")],
        "Wrote t > window instead of t >= window, so on day t = window the oldest value is not dropped and that average covers window + 1 days.",
        r"t > window|`?>`? (instead of|rather than|where the solution uses) `?>=|strict|off[- ]by[- ]one|(one|a) day (late|too late)|not (dropped|removed|subtracted)|(first|oldest) value.{0,30}(never|not|kept|stays)|window \+ 1|one (day|value) too (many|late)",
    ),
    # ---- hw03: momentum, RMSProp and Adam
    M(
        "hw03",
        "momentum_step",
        [("beta=0.9):", "beta=0.99):")],
        "Gave beta the default 0.99 instead of 0.9.",
        r"default|0\.99\b|beta ?= ?0\.99",
    ),
    M(
        "hw03",
        "rmsprop_step",
        [
            (
                "    s = beta * s + (1 - beta) * g ** 2\n    p = p - lr * g / (np.sqrt(s) + eps)",
                "    p = p - lr * g / (np.sqrt(s) + eps)\n    s = beta * s + (1 - beta) * g ** 2",
            )
        ],
        "Moved p with the old s, updating s only after the step.",
        r"old (value of )?s\b|previous s\b|before (updating|the update of|computing the new|it updates) s|s (is )?updated (only )?after|stale|un-?updated s|not (yet )?updated|(update|compute)s? s after|order of the (two )?(lines|updates|statements)",
    ),
    M(
        "hw03",
        "adam_step",
        [("beta1=0.9, beta2=0.999", "beta1=0.999, beta2=0.9")],
        "Swapped the defaults of beta1 and beta2 (beta1 = 0.999, beta2 = 0.9).",
        r"default|beta1 ?= ?0\.999|beta2 ?= ?0\.9\b|0\.999 .{0,20}(for|as) beta1|0\.9 .{0,20}(for|as) beta2",
    ),
    M(
        "hw03",
        "pytorch_momentum_lr",
        [("return lr * (1 - beta)", "return lr * beta")],
        "Multiplied the rate by beta instead of 1 - beta.",
        r"lr \* beta\b(?! ?\))|(multipl\w*|times|scal\w*) (it |the (learning )?rate |lr )?(by )?beta\b(?! ?\))|\bbeta\b,? (instead|rather) of (by )?\(?1 ?- ?beta|(uses|used) `?beta`? where|(forgot|left out|dropped|missing|without) (the )?(`?1 ?- ?`?|one minus|subtraction)",
    ),
    # ---- hw04: learning-rate schedules
    M(
        "hw04",
        "staircase_decay",
        [("(t // interval)", "math.ceil(t / interval)")],
        "Rounded t / interval up with math.ceil instead of down, so the rate drops right after t = 0 instead of at t = interval.",
        r"ceil|round(ed|s|ing)? (it |t ?/ ?interval )?up|instead of (floor|rounding down|down)|(drops?|decay\w*|falls?) .{0,30}(too )?(early|first epoch|t ?= ?1|one (stair|interval|step|epoch) early)|at t ?= ?1\b|rounds .{0,40}\bup\b",
    ),
    M(
        "hw04",
        "multistep_decay",
        [("lr0 * gamma ** sum(", "lr0 * gamma * sum(")],
        "Multiplied gamma by the number of passed milestones instead of raising it to that power, so the rate is 0 before the first milestone.",
        r"gamma \* sum|instead of (raising|the power|an exponent|exponent|to the power)|not (as )?(a |an )?(power|exponent)|multipl\w* (gamma )?by the (number|count)|times the (number|count)|(rate|lr) (is )?(0|zero) before|`?\*`? (instead|rather) of `?\*\*|product (instead|rather) of (a )?power|multiplies by .{0,120}where the solution raises (it )?to the power",
    ),
    M(
        "hw04",
        "cosine_with_warmup",
        [("math.cos(math.pi * progress)", "math.cos(progress)")],
        "Left the factor pi out of the cosine, so it covers only one radian and at t = total the rate is still far above eta_min.",
        r"\bpi\b|π|radian",
    ),
    M(
        "hw04",
        "suggest_lr",
        [("np.log(lrs[skip_start:end])", "lrs[skip_start:end]")],
        "Took the slope against the rates themselves instead of their logarithm.",
        r"\blog|linear (scale|rates?|axis)|rates? themselves|raw (rates?|lrs?)|not (on a |the )?log",
    ),
    # ---- hw05: saddle points and plateaus
    M(
        "hw05",
        "classify_critical_point",
        [
            (
                "if eigenvalues[0] < -zero and eigenvalues[-1] > zero:",
                "if np.linalg.det(np.asarray(H, dtype=float)) < 0:",
            )
        ],
        "Detected a saddle by a negative determinant, which holds only for 2 x 2 Hessians (a 3 x 3 saddle with two negative eigenvalues has a positive determinant).",
        r"determinant|\bdet\b|2 ?x ?2|two negative",
    ),
    M(
        "hw05",
        "numerical_hessian",
        [
            (
                "    for j in range(n):\n        step = np.zeros(n)\n",
                "    step = np.zeros(n)\n    for j in range(n):\n",
            )
        ],
        "Created the step vector once, before the loop, so the earlier unit steps stay set and column j moves along e_0 + ... + e_j.",
        r"(once|outside|before) (the )?loop|never (reset|cleared|zeroed)|(not|isn't|is not) (reset|cleared|zeroed)|stays? set|accumulat|earlier (unit )?steps|reus(e|es|ed|ing) (the )?(same )?step|(several|multiple|all|previous) (coordinates|directions|entries)",
    ),
    M(
        "hw05",
        "fraction_of_minima",
        [("B.transpose(0, 2, 1)", "B.T")],
        "Transposed with B.T, which reverses all three axes instead of swapping the last two, so the shapes do not match.",
        r"\.T\b|all (three )?axes|every axis|revers\w* (all|the|every) (three )?ax|(not|instead of) (only )?(swapping|the last two)|shapes? (do(es)? not|don't|mismatch|error)|broadcast",
    ),
    M(
        "hw05",
        "escape_step",
        [("for i, (x, y) in", "for i, (y, x) in")],
        "Unpacked each point as (y, x), so the escape is measured on the first column, x, instead of y.",
        r"\(y, ?x\)|first (column|coordinate)|\|x\||\bx\b,? (instead of|rather than) \|?y|column 0|swap\w* (x and y|y and x|the (two )?(coordinates|columns))|(x|y) and (y|x) (are )?swapped|along x\b",
    ),
    # ---- hw06: optimizers in PyTorch
    M(
        "hw06",
        "adam",
        [('p.sub_(group["lr"] * v_hat', 'p.sub_(self.defaults["lr"] * v_hat')],
        "Read the learning rate from self.defaults instead of the parameter's group, so group rates and schedulers are ignored.",
        r"defaults|(ignor\w*|not read\w*|doesn't read|does not read) .{0,30}(group|scheduler)|constructor'?s? (lr|rate)|(group|scheduler)'?s? (lr|rates?|learning rates?) .{0,30}(ignor|never|not)",
    ),
    M(
        "hw06",
        "fine_tuning_groups",
        [("weight_decay if p.ndim >= 2 else 0.0", "weight_decay if len(p) >= 2 else 0.0")],
        "Decided on weight decay with len(p), the size of the first dimension, instead of p.ndim, so biases of length 2 or more get weight decay.",
        r"len\(p\)|length|size of (the|its) first|first dimension|number of (rows|elements|entries)|shape\[0\]|decays biases",
    ),
    M(
        "hw06",
        "unfreeze",
        [(', "lr": lr}', "}")],
        "Left lr out of the new group, so it gets the optimizer's default rate.",
        r"(forgot|left out|leaves out|without|missing|omit\w*|never (sets?|passes)|not (set|pass)\w*|drop\w*) .{0,30}\blr\b|default (learning )?rate|\blr\b.{0,30}(not (set|passed|given)|missing|left out|ignored)|rate of the new group|without (its|the|a) learning rate",
    ),
    M(
        "hw06",
        "train_epochs",
        [
            (
                "            losses.append(loss.item())\n"
                "        if isinstance(scheduler, lr_scheduler.ReduceLROnPlateau):\n"
                "            scheduler.step(sum(losses) / len(losses))\n"
                "        elif scheduler is not None:\n"
                "            scheduler.step()",
                "            losses.append(loss.item())\n"
                "            if isinstance(scheduler, lr_scheduler.ReduceLROnPlateau):\n"
                "                scheduler.step(sum(losses) / len(losses))\n"
                "            elif scheduler is not None:\n"
                "                scheduler.step()",
            )
        ],
        "Stepped the scheduler inside the mini-batch loop, once per mini-batch instead of once per epoch.",
        r"(per|every|each|after each|after every) (mini-?batch|batch|step|update|iteration)|inside the (mini-?batch |inner |batch )?loop|in the inner loop|too (often|many times)|every pass of `for \(xb, yb\) in batches`",
    ),
    # ---- hw07: simulated workers, gradient accumulation, the linear scaling rule
    M(
        "hw07",
        "worker_gradients",
        [
            (
                "    return grads\n",
                "    return {key: sum(g[key] for g in grads) / K for key in grads[0]}\n",
            )
        ],
        "Returned the average of the K gradients, what the all-reduce gives, instead of the list of the K workers' dicts.",
        r"return\w* (the |their |an? )?(average|mean|all-?reduced)|all-?reduce|single dict|one dict\b(?! per)|instead of (the|a) list|not (a|the) list|averag\w* (them|the (K |workers'? )?gradients)",
    ),
    M(
        "hw07",
        "accumulated_gradient",
        [("g * (X_j.shape[1] / m)", "g")],
        "Added the micro-batch gradients up without weighting them by m_j / m, so the result is about A times too large.",
        r"without (the |any )?(weight|scal|divi)|unweighted|(no|missing|forgot\w*|left out|omit\w*|drop\w*) .{0,20}(weight|m_j ?/ ?m|factor|scal|divi)|plain sum|(just|simply) (add|sum)|too (large|big)|not (weighted|divided|scaled|averaged)|sum of (the )?(micro-?batch )?gradients",
    ),
    M(
        "hw07",
        "scaled_rate",
        [("peak = lr * batch_size / base_batch_size", "peak = lr * base_batch_size / batch_size")],
        "Inverted the scaling factor, using base_batch_size / batch_size, so a larger batch gets a smaller peak rate.",
        r"invert|upside[- ]down|revers|base_batch_size ?/ ?batch_size|reciprocal|1 ?/ ?k\b|lr ?/ ?k\b|swap\w* (batch_size and base_batch_size|base_batch_size and batch_size|the (two )?batch sizes)|smaller peak|(divid|scal)\w* (down|by k)",
    ),
    M(
        "hw07",
        "scaled_rate",
        [("(peak - lr) * t / warmup_steps", "(peak - lr) * t / (warmup_steps - 1)")],
        "Divided the warmup progress by warmup_steps - 1, so the rate reaches the peak one step early and warmup_steps = 1 divides by zero.",
        r"warmup_steps ?- ?1|one step (too )?early|off[- ]by[- ]one|\bT_w ?- ?1|divi\w* by zero|zerodivision|(reach|hit)\w* the peak (at|on|by) (step )?(t ?= ?)?(T_w|warmup(_steps)?) ?- ?1",
    ),
    # ---- hw08: rates on the quadratic model
    M(
        "hw08",
        "gd_optimal",
        [("kappa = lam_max / lam_min", "kappa = lam_min / lam_max")],
        "Computed the condition number as lam_min / lam_max, upside down, so the rate comes out negative.",
        r"lam_min ?/ ?lam_max|upside|invert|revers|reciprocal|1 ?/ ?kappa|negative|(less|smaller) than (1|one)|swap|divides `?lam_min`? by `?lam_max",
    ),
    M(
        "hw08",
        "momentum_optimal",
        [("float(1.0 / np.sqrt(lam_min * lam_max))", "float(1.0 / (lam_min * lam_max))")],
        "Forgot the square root in alpha, returning 1 / (lam_min lam_max).",
        r"alpha.{0,40}(square root|sqrt)|(square root|sqrt).{0,40}alpha|1 ?/ ?\(lam_min ?\*? ?lam_max\)|geometric mean|forgets the square root",
    ),
    M(
        "hw08",
        "momentum_spectral_radius",
        [("float(np.max(np.abs(np.linalg.eigvals(M))))", "float(np.linalg.norm(M, 2))")],
        "Returned the matrix 2-norm of M, its largest singular value, instead of its spectral radius (the largest |eigenvalue|).",
        r"norm|singular",
    ),
    M(
        "hw08",
        "measured_rate",
        [("if not np.all(np.isfinite(d)):", "if np.any(np.isnan(d)):")],
        "Checked only for NaN, so a run with an infinite distance is not reported as np.inf.",
        r"\bnan\b|isnan|infinit|\binf\b|isfinite|diverg",
    ),
    # ---- hw09: clipping, averaging the weights, Lion
    M(
        "hw09",
        "clip_by_global_norm",
        [
            ("float(np.sqrt(sum(", "float(sum("),
            ("for g in grads.values())))", "for g in grads.values()))"),
        ],
        "Used the sum of squares, the squared norm, without taking its square root.",
        r"squared norm|square root|sqrt|sum of (the )?squares|norm squared|\*\* ?2",
    ),
    M(
        "hw09",
        "ema_of_weights",
        [("(1 - beta ** len(snapshots))", "(1 - beta)")],
        "Divided by 1 - beta instead of 1 - beta**t in the bias correction.",
        r"1 ?- ?beta\b(?! ?\*\*)(?! ?\^)|without (the )?(power|exponent)|(power|exponent|\*\* ?t\b|\^ ?t\b).{0,30}(missing|forgot|left out|dropped)|(forgot|left out|leaves out|dropped|missing|omit\w*) .{0,30}(power|exponent|\*\* ?t\b|\^ ?t\b|\*\* ?len)",
    ),
    M(
        "hw09",
        "lion_step",
        [
            ("v[...] = beta2 * v + (1 - beta2) * grad", "v[...] = beta1 * v + (1 - beta1) * grad"),
            ("c = beta1 * v + (1 - beta1) * grad", "c = beta2 * v + (1 - beta2) * grad"),
        ],
        "Swapped beta1 and beta2: the blend c uses beta2 and the momentum update beta1.",
        r"(swap|exchang|interchang|revers|mix\w* up|confus)\w*.{0,30}(beta ?1|beta ?2|betas|β)|beta ?1 and beta ?2 .{0,20}(swap|exchang|interchang|revers|mix|confus)|(\bc\b|blend).{0,30}beta ?2|beta ?2.{0,30}(\bc\b|blend)|(momentum|state)\b.{0,40}beta ?1\b|beta ?1\b.{0,30}(momentum|state)",
    ),
    M(
        "hw09",
        "lion_step",
        [("v[...] = beta2", "v = beta2")],
        "Rebound v to a new array instead of writing into it with v[...] =, so the caller's momentum never changes.",
        r"rebind|rebound|rebinds|new (local )?(array|name|variable|object)|local (name|variable|copy)|in[- ]place|v\[\.\.\.\]|caller'?s? (momentum|v\b|array)|never (updated|changes|stored)|not (updated|stored|written)",
    ),
]
