"""A fourth held-out set of student mistakes, written without the grader's error model.

Written after the third set, by a helper started with a fresh context, who saw neither the
grader's mistake lists, the mutants, the pitfalls nor the diagnosis code: it read only the task
statements, answer cells and visible tests of solutions/hw01 ... hw09, the ``dldemos`` package
they import, and the three earlier held-out sets (tests/student_mistakes.py,
tests/student_mistakes_fresh.py, tests/student_mistakes_third.py), so as not to repeat them.
Each entry edits the solution's answer cell with ``(old, new)`` replacements (every ``old``
occurs exactly once in that cell, inside its solution region) and says in one sentence what the
student did; ``names`` is a case-insensitive regular expression that a correct diagnosis of
that mistake matches and a description of another mistake of the same cell does not. Every
edited cell runs and gives results different from the solution's (or raises where it does
not) on some input a hidden test would plausibly use (checked by running the edited cell beside
the original).
"""

from student_mistakes import StudentMistake

M = StudentMistake

FOURTH_MISTAKES: list[StudentMistake] = [
    # ---- hw01: mini-batch gradient descent
    M(
        "hw01",
        "batch_sizes",
        [
            (
                "return [batch_size] * full + ([rest] if rest else [])",
                "return [batch_size] * full + [rest]",
            )
        ],
        "Always appended the remainder, so when batch_size divides m the list ends with an empty mini-batch of size 0.",
        r"empty|size (of )?0\b|\bzero[- ]sized?|(of|with) (size )?0 examples|(always|unconditionally) (append|add)|extra (mini-?)?batch|if rest\b|\[rest\] (even|also|always)|(even|also) when (batch_size|it) divides",
    ),
    M(
        "hw01",
        "random_mini_batches",
        [
            (
                "    return [(X_shuffled[:, start:start + batch_size], Y_shuffled[:, start:start + batch_size])\n"
                "            for start in range(0, m, batch_size)]\n",
                "    num_batches = math.ceil(m / batch_size)\n"
                "    return list(zip(np.array_split(X_shuffled, num_batches, axis=1),\n"
                "                    np.array_split(Y_shuffled, num_batches, axis=1)))\n",
            )
        ],
        "Cut the shuffled arrays with np.array_split into ceil(m / batch_size) nearly equal parts, so the mini-batches have sizes like 4, 3, 3 instead of 4, 4, 2.",
        r"array_split|(nearly|roughly|almost) equal|equal(ly)?[- ]sized|even(ly)? (sized|split|spread|distribut)|balanced|4, 3, 3|(spread|distribut)\w* (the )?(remainder|rest|left ?over)|not (all )?(of )?(size )?batch_size (examples|columns)",
    ),
    M(
        "hw01",
        "random_mini_batches",
        [
            (
                "    X_shuffled, Y_shuffled = X[:, order], Y[:, order]\n",
                "    X[:] = X[:, order]\n    Y[:] = Y[:, order]\n    X_shuffled, Y_shuffled = X, Y\n",
            )
        ],
        "Shuffled X and Y in place (X[:] = X[:, order]), so the call reorders the caller's arrays.",
        r"in[- ]place|caller'?s?|modif(y|ies|ied)|\bmutat|overwr|X\[:\] ?=|(reorder|chang|shuffl)\w* (the )?(input|original|caller)|(input|original) (arrays?|data) (are |is )?(changed|reordered|modified|shuffled)",
    ),
    M(
        "hw01",
        "train_one_epoch",
        [("model.backward(Y_t)", "model.backward(Y_hat)")],
        "Called model.backward(Y_hat), passing the network's own predictions instead of the labels Y_t, so the gradient is zero and nothing is learned.",
        r"backward\(y_hat\)|backward.{0,60}(predictions?|y_hat|outputs?)\b|(predictions?|y_hat)\b.{0,60}backward|backward.{0,40}(instead of|not|rather than) (with )?(the )?(labels|targets|y_t)\b|uses `Y_hat` where the solution uses `Y_t`",
    ),
    M(
        "hw01",
        "train_one_epoch",
        [("    return losses\n", "    return float(np.mean(losses))\n")],
        "Returned the mean of the mini-batch losses, one float, instead of the list of the losses.",
        r"\bmean\b|\baverag|single (float|number|value)|one (float|number|value)\b|\bscalar|instead of (the |a )?list|not (a |the )?list|np\.mean",
    ),
    # ---- hw02: exponentially weighted averages
    M(
        "hw02",
        "ewma",
        [("        averages[t] = v\n", "        averages[t] = v / (1 - beta ** (t + 1))\n")],
        "Divided every average by 1 - beta**t, applying a bias correction that question 1 does not ask for.",
        r"bias[- ]correct|1 ?- ?beta ?\*\* ?\(?t|(correct|divid)\w* (the |each |every )?(average|value|v_?t?)\w* by|not (asked|requested|wanted|part of)|should(n't| not) (be )?correct|(first|start)\w* .{0,30}not pulled|uncorrected",
    ),
    M(
        "hw02",
        "ewma_with_bias_correction",
        [
            (
                "        corrected[t - 1] = v / (1 - beta ** t)\n    return corrected\n",
                "        corrected[t - 1] = v\n    return corrected / (1 - beta ** len(theta))\n",
            )
        ],
        "Divided every day's average by the same 1 - beta**T, with T the length of the series, instead of by 1 - beta**t of its own day t.",
        r"len\(theta\)|(the )?same (correction|factor|denominator|divisor)|(one|single|constant|fixed|last|final) (correction|factor|denominator|divisor|exponent|power)|length of the series|(every|each|all) (days?|averages?|values?) .{0,40}(same|one|single)|(its|each day's|the day's) own (day|t)\b|whole series|after the loop|at the end",
    ),
    M(
        "hw02",
        "effective_window",
        [("if not 0 <= beta < 1:", "if beta >= 1:")],
        "Checked only beta >= 1, so a negative beta such as -0.1 gets no ValueError.",
        r"negative|lower (bound|limit)|beta ?< ?0\b|below (0|zero)|-0\.1|only (check|test)\w* (the )?(upper|beta ?>= ?1)|(missing|left out|leaves out|forg[eo]t\w*|omit\w*|dropp?\w*) .{0,30}(0 ?<= ?beta|lower)|checks only `beta < 1`",
    ),
    M(
        "hw02",
        "moving_average",
        [
            (
                "leaving = theta[t - window] if t >= window else 0.0",
                "leaving = theta[t - window + 1] if t >= window else 0.0",
            )
        ],
        "Subtracted theta[t - window + 1], the oldest value still inside the window, instead of theta[t - window], the one that leaves it.",
        r"t ?- ?window ?\+ ?1|t ?- ?n ?\+ ?1|oldest value (still )?(inside|in the window)|(still|stays) (inside|in) the window|one (day|index|position|value) (too )?(late|early|off|ahead|too far)|off[- ]by[- ]one|(subtract|remov|drop)\w* the wrong (day|value)|wrong (day|value) (is )?(subtract|remov|drop)|`leaving` uses `t \+ 1`",
    ),
    M(
        "hw02",
        "moving_average",
        [
            (
                '    if window < 1:\n        raise ValueError(f"window must be at least 1, got {window!r}")\n',
                "",
            )
        ],
        "Left out the check of window, so window = 0 raises ZeroDivisionError and a negative window returns numbers instead of a ValueError.",
        r"valueerror|window ?(<|< ?1|= ?0\b|of 0\b|<= ?0)|zerodivision|divi\w* by zero|negative window|(check|validat)\w*.{0,30}\bwindow|\bwindow\b.{0,30}(check|validat)",
    ),
    # ---- hw03: momentum, RMSProp and Adam
    M(
        "hw03",
        "momentum_step",
        [("v = beta * v + (1 - beta) * g", "v = beta * v + g")],
        "Left out the factor 1 - beta in the velocity update, writing PyTorch's buffer v = beta v + g.",
        r"1 ?- ?beta|factor|pytorch|buffer|beta ?\*? ?v ?\+ ?g\b|(without|missing|forg[eo]t\w*|left out|drops?|omit\w*) .{0,30}(damp|weight)",
    ),
    M(
        "hw03",
        "rmsprop_step",
        [("p = p - lr * g / (np.sqrt(s) + eps)", "p = p - lr * g / np.sqrt(s) + eps")],
        "Left out the parentheses, p - lr * g / np.sqrt(s) + eps, so eps is added to p instead of to the denominator.",
        r"parenthes|bracket|precedence|(eps|epsilon)\w*.{0,40}(added|adds|to) (to )?(p\b|the param|the result|the update|the step)|(eps|epsilon) .{0,30}(outside|not in|missing from) the denominator|np\.sqrt\(s\) ?\+ ?eps(?!\))|(no|without) (eps|epsilon|guard) in the denominator",
    ),
    M(
        "hw03",
        "adam_step",
        [
            (
                "    v_hat = v / (1 - beta1 ** t)\n    s_hat = s / (1 - beta2 ** t)\n",
                "    v_hat = v / (1 - beta1) ** t\n    s_hat = s / (1 - beta2) ** t\n",
            )
        ],
        "Wrote the bias corrections as (1 - beta1)**t and (1 - beta2)**t, raising 1 - beta to the power t instead of beta.",
        r"\(1 ?- ?beta ?[12]?\) ?(\*\*|\^) ?t|parenthes|bracket|precedence|power of (1 ?- ?beta|the (difference|whole))|rais\w* (1 ?- ?beta[12]?|the difference)|instead of (1 ?- ?)?beta[12]? ?(\*\*|\^) ?t",
    ),
    M(
        "hw03",
        "adam_step",
        [
            (
                "    v_hat = v / (1 - beta1 ** t)\n    s_hat = s / (1 - beta2 ** t)\n",
                "    v_hat = v / (1 - beta1 ** (t + 1))\n    s_hat = s / (1 - beta2 ** (t + 1))\n",
            )
        ],
        "Used t + 1 in both bias corrections, as if t counted the steps already done, so every correction is one step too weak.",
        r"t ?\+ ?1|off[- ]by[- ]one|one step (too )?(late|ahead|weak|far)|already done|t (starts?|counted|counts?) (at|from) (0|zero)|(exponent|power) .{0,20}(too large|one too)|(step )?count\w* .{0,30}(wrong|off|shift)|counts t from 0",
    ),
    M(
        "hw03",
        "pytorch_momentum_lr",
        [("return lr * (1 - beta)", "return lr")],
        "Returned lr unchanged, as if PyTorch's momentum took the same learning rate as the course's.",
        r"unchanged|same (learning )?rate|(just|simply|only) (returns?|gives?) (the )?`?lr\b|returns? `?lr`?(?! ?[*/])(\.|,|$| (itself|as is|unchanged))|(without|missing|forg[eo]t\w*|no|leaves out|left out|drops?|omit\w*) .{0,30}(factor|1 ?- ?beta|scal|conver)|(ignor|drop)\w* beta|independent of beta|instead of `?lr ?\* ?\(1 ?- ?beta\)",
    ),
    # ---- hw04: learning-rate schedules
    M(
        "hw04",
        "staircase_decay",
        [
            (
                "return lr0 / (1 + decay_rate * (t // interval))",
                "return lr0 / (1 + decay_rate) * (t // interval)",
            )
        ],
        "Misplaced the parentheses, lr0 / (1 + decay_rate) * (t // interval), so the rate is 0 for the first interval and then grows.",
        r"parenthes|bracket|precedence|order of (op|evaluation)|multipl\w* (by|with) (the )?(stair|floor|number of (intervals|stairs)|t ?//)|(rate|lr) (is )?(0|zero)\b|grows|increas|lr0 ?/ ?\(1 ?\+ ?decay_rate\) ?\*(?!\*)",
    ),
    M(
        "hw04",
        "multistep_decay",
        [
            (
                "    def schedule(lr0, t):\n"
                "        return lr0 * gamma ** sum(1 for milestone in milestones if milestone <= t)\n",
                "    current = {}\n\n"
                "    def schedule(lr0, t):\n"
                '        rate = current.setdefault("lr", lr0)\n'
                "        if t in milestones:\n"
                '            rate = current["lr"] = rate * gamma\n'
                "        return rate\n",
            )
        ],
        "Kept the rate in the closure and multiplied it by gamma whenever t is a milestone, so the result depends on the earlier calls instead of on t alone (a fresh schedule called at t = 40 gives lr0).",
        r"state(ful)?\b|remember|closure|(earlier|previous|past|order of (the )?) ?calls|(depends?|relies|relying) on (the )?(order|calls|history|sequence)|pure function|t alone|t in milestones|cumulative|(every|each) (epoch|t) in order|mutable|(fresh|new) schedule",
    ),
    M(
        "hw04",
        "cosine_with_warmup",
        [
            (
                "return eta_min + (lr0 - eta_min) * (1 + math.cos(math.pi * progress)) / 2",
                "return eta_min + lr0 * (1 + math.cos(math.pi * progress)) / 2",
            )
        ],
        "Scaled the cosine by lr0 instead of lr0 - eta_min, so it starts at lr0 + eta_min instead of lr0.",
        r"lr0 ?- ?eta_min|lr0 ?\+ ?eta_min|amplitude|above lr0|eta_min (is )?(added|counted) twice|(starts?|begins?) .{0,20}too high|(instead of|not) (by )?\(?lr0 ?- ?eta_min|(forg[eo]t\w*|without|missing|not) (to )?subtract\w* eta_min|leaves out `eta_min`",
    ),
    M(
        "hw04",
        "suggest_lr",
        [
            (
                "slope = np.gradient(smoothed[skip_start:end], np.log(lrs[skip_start:end]))",
                "slope = np.gradient(losses[skip_start:end], np.log(lrs[skip_start:end]))",
            )
        ],
        "Took the slope of the raw losses instead of the smoothed ones over the stretch.",
        r"\braw (loss|losses|values)|unsmoothed|not (the )?smoothed|instead of (the )?smoothed|(slope|gradient) of (the )?(raw |noisy |original )?loss(es)?\b|noisy loss|losses\[skip_start|\blosses`? (where|instead of|rather than)",
    ),
    M(
        "hw04",
        "suggest_lr",
        [
            (
                "slope = np.gradient(smoothed[skip_start:end], np.log(lrs[skip_start:end]))",
                "slope = np.diff(smoothed[skip_start:end]) / np.diff(np.log(lrs[skip_start:end]))",
            )
        ],
        "Computed the slope with np.diff forward differences instead of np.gradient, so slope[i] belongs between points i and i + 1 and the suggested rate is shifted.",
        r"np\.diff|\bdiff\b|forward (difference|differences)|one[- ]sided|(instead of|not|without) (using )?np\.gradient|central difference|(shift|offset)\w* (by )?(half|one)|between (points|indices) i and i ?\+ ?1|one (element|point|entry) (shorter|fewer|less)",
    ),
    # ---- hw05: saddle points and plateaus
    M(
        "hw05",
        "classify_critical_point",
        [
            (
                "eigenvalues = np.linalg.eigvalsh(np.asarray(H, dtype=float))",
                "eigenvalues = np.sort(np.diag(np.asarray(H, dtype=float)))",
            )
        ],
        "Classified by the sorted diagonal entries of H instead of its eigenvalues.",
        r"diag|(not|instead of|without|never) (computing |using )?(the |its )?eigenvalues|(not|never|doesn't|does not) (call|use)\w* eigvalsh|rotat",
    ),
    M(
        "hw05",
        "classify_critical_point",
        [
            (
                "zero = tol * max(1.0, float(np.max(np.abs(eigenvalues))))",
                "zero = tol * float(np.max(np.abs(eigenvalues)))",
            )
        ],
        "Made the zero threshold purely relative, tol * max|lambda|, dropping the max(1, ...), so a tiny Hessian with eigenvalues [1e-3, 1e-10] counts as a minimum instead of degenerate.",
        r"max\(1|floor of 1|at least 1\b|purely relative|relative only|only relative|(small|tiny) (eigenvalues|hessians?|matri(x|ces)|scale)|(below|smaller than|less than) 1\b|(largest|max\w*) (absolute )?eigenvalue (is )?(below|smaller|less) (than )?1",
    ),
    M(
        "hw05",
        "numerical_hessian",
        [("return (H + H.T) / 2", "return H")],
        "Returned the raw difference matrix H without symmetrising it as (H + H.T) / 2.",
        r"symmetri|\(H ?\+ ?H\.?T\)|H\.T|transpose|asymmetric|not symmetric",
    ),
    M(
        "hw05",
        "fraction_of_minima",
        [
            (
                "float(np.mean(np.all(np.linalg.eigvalsh(H) > 0, axis=1)))",
                "float(np.mean(np.linalg.eigvalsh(H) > 0))",
            )
        ],
        "Returned the fraction of positive eigenvalues over all matrices instead of the fraction of matrices whose eigenvalues are all positive.",
        r"fraction of (the )?(positive )?eigenvalues|eigenvalues? (that are|which are) positive|(each|every|single|individual) eigenvalue (separately|on its own|individually)|(without|missing|forg[eo]t\w*|no|drop\w*|left out|leaves out) .{0,20}(np\.)?all\b|instead of (requiring|checking) (that )?all|per[- ]matrix|about (a )?half|\b0\.5\b|mean over all (the )?eigenvalues|all eigenvalues of all",
    ),
    M(
        "hw05",
        "escape_step",
        [("if abs(y) >= distance:", "if abs(y) > distance:")],
        "Used a strict > so a point exactly at the distance does not count as escaped.",
        r"strict|`?>`? (instead of|rather than|where the solution uses) `?>=|exactly (at|equal)|equal(s|ity)? (to )?(the )?distance|\| ?> ?distance|boundary",
    ),
    # ---- hw06: optimizers in PyTorch
    M(
        "hw06",
        "adam",
        [
            (
                '        for group in self.param_groups:\n            beta1, beta2 = group["betas"]\n',
                '        self.t = getattr(self, "t", 0) + 1\n'
                '        for group in self.param_groups:\n            beta1, beta2 = group["betas"]\n',
            ),
            (
                '                state["step"] += 1\n                t = state["step"]\n',
                "                t = self.t\n",
            ),
        ],
        "Counted the steps once per call of step() in self.t instead of per parameter in self.state[p], so a parameter without a gradient still advances t and state_dict() loses the count.",
        r"self\.t\b|(global|shared|single|one) (step )?(count|counter|t\b)|per call|calls? (of|to) step|instead of per[- ]parameter|not per[- ]parameter|own (step )?count|state\[.?step.?\]|not (kept |stored |saved )?in (self\.)?state\b|state_dict.{0,40}(lost|lose|not saved|misses|restart)",
    ),
    M(
        "hw06",
        "adam",
        [
            (
                "                v_hat = v / (1 - beta1 ** t)\n"
                "                s_hat = s / (1 - beta2 ** t)\n"
                '                p.sub_(group["lr"] * v_hat / (s_hat.sqrt() + group["eps"]))\n',
                '                step_size = group["lr"] / (1 - beta1 ** t)\n'
                '                denom = s.sqrt() / (1 - beta2 ** t) + group["eps"]\n'
                "                p.sub_(step_size * v / denom)\n",
            )
        ],
        "Wrote PyTorch's folded form but divided sqrt(s) by 1 - beta2**t instead of by its square root, sqrt(1 - beta2**t).",
        r"sqrt\(1 ?- ?beta ?2|square root of (the )?(second )?(bias[- ]correction|correction|1 ?- ?beta ?2)|(bias[- ]correction|correction).{0,40}(square root|sqrt)|(square root|sqrt).{0,40}(bias[- ]correction|correction)|s\.sqrt\(\) ?/ ?\(1 ?- ?beta2",
    ),
    M(
        "hw06",
        "fine_tuning_groups",
        [
            (
                "    groups = {}\n",
                "    groups = {(rate, decay): [] for rate in (backbone_lr, lr) for decay in (weight_decay, 0.0)}\n",
            )
        ],
        "Built all four (lr, weight decay) groups up front and returned them even when some hold no parameter, so empty groups reach the optimizer.",
        r"empty|no param\w*|(four|4|all) (combinations|groups|possible groups)|up front|zero parameters|(even|also) (when|if) .{0,30}(empty|no)",
    ),
    M(
        "hw06",
        "unfreeze",
        [
            (
                '    optimizer.add_param_group({"params": list(module.parameters()), "lr": lr})\n',
                "    for p in module.parameters():\n"
                '        optimizer.add_param_group({"params": [p], "lr": lr})\n',
            )
        ],
        "Added one parameter group per parameter instead of one group holding all of the module's parameters.",
        r"(one|a|separate|own) (parameter )?group (per|for each|for every) (parameter|tensor)|(several|many|multiple|too many) (parameter )?groups|per[- ]parameter groups?|number of (parameter )?groups|(instead of|not) (a single|one) (new )?group|loop\w* .{0,30}add_param_group|add_param_group.{0,30}(loop|each|every|per)",
    ),
    M(
        "hw06",
        "train_epochs",
        [
            (
                "        for xb, yb in batches:\n            optimizer.zero_grad()\n",
                "        optimizer.zero_grad()\n        for xb, yb in batches:\n",
            )
        ],
        "Cleared the gradients once per epoch, before the batch loop, so within an epoch every backward adds onto the previous batches' gradients.",
        r"zero_grad|(clear|zero|reset)\w* (the )?grad\w* .{0,20}(once|per epoch|outside|before the)|accumulat|add(s|ed)? (up|onto)|pile|outside the (batch|inner|mini-?batch) loop|before the (batch|inner|mini-?batch) loop",
    ),
    # ---- hw07: simulated workers, gradient accumulation, the linear scaling rule
    M(
        "hw07",
        "worker_gradients",
        [
            (
                "        model.forward(X[:, r::K])\n"
                "        grads.append({key: g.copy() for key, g in model.backward(Y[:, r::K]).items()})\n",
                "        model.forward(X[:, r::m // K])\n"
                "        grads.append({key: g.copy() for key, g in model.backward(Y[:, r::m // K]).items()})\n",
            )
        ],
        "Took every (m // K)-th column from r on, X[:, r::m // K], mixing up the number of workers with the shard size.",
        r"r::m ?// ?K|step (of |size )?(m ?//? ?K)|stride|every \(?m ?//? ?K\)?-?th|(mix|confus)\w* .{0,40}(number of workers|shard size)",
    ),
    M(
        "hw07",
        "worker_gradients",
        [("    for r in range(K):\n", "    for r in range(1, K + 1):\n")],
        "Numbered the workers from 1 to K, so worker 0's shard is never used and the last worker takes the columns K, 2K, ...",
        r"range\(1|1 (to|\.\.) ?K|(start|number)\w* (the workers )?(at|from) (1|one)|off[- ]by[- ]one|worker 0|shifted by one|first (column|example) (is )?(missing|never|left out|dropped)|counts from 1 to `K`",
    ),
    M(
        "hw07",
        "accumulated_gradient",
        [("total[key] += g * (X_j.shape[1] / m)", "total[key] += g * (micro_batch_size / m)")],
        "Weighted every micro-batch by micro_batch_size / m, so the smaller last micro-batch gets the weight of a full one.",
        r"micro_batch_size ?/ ?m|nominal|(requested|full|fixed) (micro-?batch )?size|(as if|like) (it were |it was )?(a )?full|weight of a full|same weight|instead of (its|the) (actual|real|own) (size|number of examples|m_j)",
    ),
    M(
        "hw07",
        "accumulated_gradient",
        [("total[key] += g * (X_j.shape[1] / m)", "total[key] += g * (X_j.shape[0] / m)")],
        "Weighted each micro-batch by X_j.shape[0] / m, the number of features, instead of its number of examples X_j.shape[1].",
        r"shape\[0\]|features?|\brows\b|n_x|wrong (axis|dimension)|axis 0|number of (rows|features)|uses `0` where the solution uses `1`",
    ),
    M(
        "hw07",
        "scaled_rate",
        [
            (
                "return float(peak * (1 + np.cos(np.pi * (t - warmup_steps) / (total_steps - warmup_steps))) / 2)",
                "return float(lr + (peak - lr) * (1 + np.cos(np.pi * (t - warmup_steps) / (total_steps - warmup_steps))) / 2)",
            )
        ],
        "Ran the cosine from the peak down to lr, the warmup's starting rate, instead of down to 0.",
        r"(down|decay\w*|ends?|goes|falls?) to (lr\b|the (base|small|starting|small batch'?s?) rate)|(floor|minimum|eta_min) (of |at )?lr\b|lr \+ \(peak ?- ?lr\) ?\* ?\(1 ?\+|instead of (down )?to (0|zero)|never reaches (0|zero)|(not|never) (go|goes|decay\w*|fall\w*) to (0|zero)",
    ),
    # ---- hw08: rates on the quadratic model
    M(
        "hw08",
        "gd_optimal",
        [
            (
                "return 2.0 / (lam_min + lam_max), (kappa - 1.0) / (kappa + 1.0)",
                "return 1.0 / lam_max, 1.0 - 1.0 / kappa",
            )
        ],
        "Chose alpha = 1 / lam_max, the step that just avoids overshooting along the largest curvature, with its rate 1 - 1/kappa, instead of the step that balances the two extreme curvatures.",
        r"1(\.0)? ?/ ?lam_max|1 ?- ?1 ?/ ?kappa|balanc|largest curvature alone|only (the )?(largest|lam_max)|2 ?/ ?\(lam_min ?\+ ?lam_max\)|overshoot",
    ),
    M(
        "hw08",
        "momentum_optimal",
        [
            (
                "float(1.0 / np.sqrt(lam_min * lam_max))",
                "float(1.0 / np.sqrt(lam_min) * np.sqrt(lam_max))",
            )
        ],
        "Wrote 1.0 / np.sqrt(lam_min) * np.sqrt(lam_max), so alpha is sqrt(lam_max / lam_min) instead of 1 / sqrt(lam_min lam_max).",
        r"parenthes|bracket|precedence|(multipl\w*|times) (by |with )?(np\.)?sqrt\(lam_max\)|sqrt\(lam_max\) (ends up )?in the numerator|1(\.0)? ?/ ?(np\.)?sqrt\(lam_min\) ?\* ?(np\.)?sqrt\(lam_max\)|sqrt\(lam_max ?/ ?lam_min\)",
    ),
    M(
        "hw08",
        "momentum_spectral_radius",
        [("np.linalg.eigvals(M)", "np.linalg.eigvalsh(M)")],
        "Used np.linalg.eigvalsh, which assumes a symmetric matrix and reads only one triangle of M, so the complex eigenvalues are never found.",
        r"eigvalsh|symmetric|hermitian|triangle|(lower|upper) half",
    ),
    M(
        "hw08",
        "momentum_spectral_radius",
        [
            (
                "    M = np.array([[1.0 + beta - alpha * (1.0 - beta) * lam, -beta], [1.0, 0.0]])\n"
                "    return float(np.max(np.abs(np.linalg.eigvals(M))))\n",
                "    b = 1.0 + beta - alpha * (1.0 - beta) * lam\n"
                "    root = np.sqrt(b ** 2 - 4.0 * beta)\n"
                "    return float(max(abs((b + root) / 2), abs((b - root) / 2)))\n",
            )
        ],
        "Solved z^2 - b z + beta = 0 with the real quadratic formula, so np.sqrt of a negative discriminant gives nan when the roots are complex.",
        r"quadratic formula|discriminant|(sqrt|square root) of a negative|\bnan\b|closed[- ]form|b ?\*\* ?2 ?- ?4",
    ),
    M(
        "hw08",
        "measured_rate",
        [("** (1.0 / (T - s))", "** (1.0 / T)")],
        "Took the ratio over the second half to the power 1 / T instead of 1 / (T - k), as if it covered the whole run.",
        r"1(\.0)? ?/ ?T\b(?! ?-)|power 1 ?/ ?T\b|exponent|whole run|all T steps|(T|t) steps instead of|instead of 1 ?/ ?\(T ?- ?[ks]\)|wrong (root|power)|leaves out `s`",
    ),
    # ---- hw09: clipping, averaging the weights, Lion
    M(
        "hw09",
        "clip_by_global_norm",
        [
            (
                "norm = float(np.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g in grads.values())))",
                "norm = float(sum(np.linalg.norm(g) for g in grads.values()))",
            )
        ],
        "Added up the norms of the arrays instead of taking the square root of the sum of all squares, overestimating the global norm.",
        r"sum of (the )?(per-?array |individual |separate |array )?norms|add\w* (up )?(the )?(per-?array |individual |separate )?norms|norms? (are |were )?(added|summed)|triangle|overestimat|(larger|bigger) than the (global|true) norm|instead of (the )?(square root of the )?sum of (all |the )?squares",
    ),
    M(
        "hw09",
        "clip_by_global_norm",
        [("    return norm\n", "    return norm * scale\n")],
        "Returned the norm after clipping, norm * scale, instead of the norm before clipping.",
        r"after (the )?clipping|clipped norm|norm \* scale|(instead of|not) the norm before|before clipping|returns? (the )?(new|scaled|final) norm",
    ),
    M(
        "hw09",
        "ema_of_weights",
        [("(1 - beta ** len(snapshots))", "(1 - beta ** (len(snapshots) - 1))")],
        "Corrected with beta ** (t - 1) instead of beta ** t, counting the snapshots from 0, so one snapshot divides by zero.",
        r"len\(snapshots\) ?- ?1|\bt ?- ?1\b|off[- ]by[- ]one|count\w* .{0,20}from (0|zero)|divi\w* by zero|\binf\b|infinit|\bnan\b|exponent (is )?(one )?too (small|low)|one (too )?(few|small)",
    ),
    M(
        "hw09",
        "lion_step",
        [("np.sign(c)", "c / np.abs(c)")],
        "Computed the sign as c / np.abs(c), which gives nan where c = 0 instead of sign(0) = 0.",
        r"c ?/ ?(np\.)?abs\(c\)|c ?/ ?\|c\||divi\w* by (the )?(absolute|\|c\||abs|zero)|\bnan\b|sign\(0\)|\bc ?= ?0\b|zero (blend|c\b|entries|coordinates)|(instead of|not|without) (using )?np\.sign",
    ),
    M(
        "hw09",
        "lion_step",
        [
            (
                "    c = beta1 * v + (1 - beta1) * grad\n"
                "    param -= lr * (np.sign(c) + weight_decay * param)\n",
                "    c = beta1 * v + (1 - beta1) * (grad + weight_decay * param)\n"
                "    param -= lr * np.sign(c)\n",
            )
        ],
        "Added weight_decay * param to the gradient inside c (L2 style) instead of decaying the parameter outside the sign.",
        r"inside (the )?(sign|c\b|blend)|(in|into) (the )?(gradient|blend|c\b)|\bcoupled|\bl2\b|(not|instead of) decoupled|outside (the )?sign|grad ?\+ ?weight_decay|(added|adds) .{0,30}(to|into) the gradient|weight decay through the gradient",
    ),
]
