"""dldemos.torch.optim driven by PyTorch's own optimizer test inputs.

``torch.testing._internal.common_optimizers.optim_db`` lists, for every ``torch.optim`` class,
the constructor arguments PyTorch tests it with (``optim_inputs_func``) and the arguments that
must fail (``optim_error_inputs_func``). Each of our classes stands in for its counterpart:

* every input gives the same parameters and the same ``state_dict`` as ``torch.optim`` over
  several steps, on the per-tensor and the foreach path, in float32 and float64 (or, where
  ``torch.optim`` refuses an input at construction, ours refuses it with the same exception);
* every error input raises the same kind of exception (or warning);
* state_dicts move both ways mid-run, and older ones (a parameter-group key missing, a
  plain-number ``step``) load and step exactly as they do in ``torch.optim``.

The reference is always ``torch.optim`` itself, run side by side on identical copies.
"""

import copy

import pytest
import torch
from torch.testing._internal.common_optimizers import OptimizerErrorEnum, optim_db

from dldemos.torch import optim as ours

torch.set_num_threads(1)

COUNTERPARTS = {
    torch.optim.SGD: ours.SGD,
    torch.optim.Adagrad: ours.AdaGrad,
    torch.optim.RMSprop: ours.RMSProp,
    torch.optim.Adadelta: ours.AdaDelta,
    torch.optim.Adam: ours.Adam,
    torch.optim.AdamW: ours.AdamW,
}
INFOS = {info.optim_cls: info for info in optim_db if info.optim_cls in COUNTERPARTS}
DTYPES = [torch.float32, torch.float64]
SHAPES = [(5, 3), (3,), (), (2, 2, 2)]
STEPS = 6


def test_every_counterpart_is_in_optim_db():
    assert set(INFOS) == set(COUNTERPARTS)


def make_params(dtype):
    generator = torch.Generator().manual_seed(0)
    return [
        torch.nn.Parameter(torch.randn(shape, dtype=dtype, generator=generator)) for shape in SHAPES
    ]


def gradients(params, step):
    generator = torch.Generator().manual_seed(1000 + step)
    return [torch.randn(p.shape, dtype=p.dtype, generator=generator) for p in params]


def run(optimizer, params, steps, start=0):
    for step in range(start, start + steps):
        for p, g in zip(params, gradients(params, step)):
            p.grad = g
        optimizer.step()


def construct(cls, params, kwargs):
    """``cls(params, **kwargs)``, or the exception it raised."""
    try:
        return cls(params, **copy.deepcopy(kwargs))
    except Exception as error:  # noqa: BLE001 -- compared with torch.optim's own below
        return error


def assert_same_state(mine, theirs):
    """Same parameter-group options and the same per-parameter state (names, dtypes, values)."""
    a, b = mine.state_dict(), theirs.state_dict()
    assert a["state"].keys() == b["state"].keys(), (
        "state entries differ: which parameters have state"
    )
    for index in b["state"]:
        assert a["state"][index].keys() == b["state"][index].keys(), f"state of parameter {index}"
        for name, value in b["state"][index].items():
            torch.testing.assert_close(
                a["state"][index][name], value, msg=lambda m: f"state[{index}][{name!r}]: {m}"
            )
    for group_a, group_b in zip(a["param_groups"], b["param_groups"], strict=True):
        assert group_a.keys() == group_b.keys(), "parameter-group keys differ"
        for key, value in group_b.items():
            if torch.is_tensor(value) or (
                isinstance(value, tuple) and any(map(torch.is_tensor, value))
            ):
                torch.testing.assert_close(group_a[key], value)
            else:
                assert group_a[key] == value, (
                    f"param_groups[...][{key!r}]: {group_a[key]!r} != {value!r}"
                )


def assert_same_params(mine, theirs):
    for index, (p, q) in enumerate(zip(mine, theirs)):
        torch.testing.assert_close(
            p, q, msg=lambda m: f"parameter {index} of shape {tuple(q.shape)}: {m}"
        )


def accepted_inputs():
    cases = []
    for torch_cls, info in INFOS.items():
        for dtype in DTYPES:
            for optim_input in info.optim_inputs_func(device="cpu", dtype=dtype):
                assert optim_input.params is None, (
                    "optim_db now passes its own params: extend this test"
                )
                for foreach in (False, True):
                    label = f"{torch_cls.__name__}-{optim_input.desc}-{str(dtype)[6:]}-foreach={foreach}"
                    cases.append(
                        pytest.param(
                            torch_cls,
                            dtype,
                            {**optim_input.kwargs, "foreach": foreach},
                            id=label.replace(" ", "_"),
                        )
                    )
    return cases


def pair(torch_cls, dtype, kwargs):
    """Our optimizer and torch.optim's on identical parameters (or the construction errors)."""
    mine, theirs = make_params(dtype), make_params(dtype)
    return (mine, construct(COUNTERPARTS[torch_cls], mine, kwargs)), (
        theirs,
        construct(torch_cls, theirs, kwargs),
    )


@pytest.mark.parametrize("torch_cls, dtype, kwargs", accepted_inputs())
def test_optim_db_inputs_match_torch_optim(torch_cls, dtype, kwargs):
    (mine, optimizer), (theirs, reference) = pair(torch_cls, dtype, kwargs)
    if isinstance(reference, Exception):
        assert isinstance(optimizer, type(reference)), (
            f"torch.optim refuses {kwargs} with {reference!r}; ours gave {optimizer!r}"
        )
        assert str(optimizer).startswith(str(reference)), (
            f"torch.optim's message {str(reference)!r} must start ours: {str(optimizer)!r}"
        )
        return
    assert not isinstance(optimizer, Exception), (
        f"ours refused an input torch.optim accepts: {optimizer!r}"
    )
    run(optimizer, mine, STEPS)
    run(reference, theirs, STEPS)
    assert_same_params(mine, theirs)
    assert_same_state(optimizer, reference)
    assert all(optimizer.state.values()), (
        "a parameter has an empty state entry (torch.optim has none)"
    )


def error_inputs():
    cases = []
    for torch_cls, info in INFOS.items():
        for error_input in info.optim_error_inputs_func(device="cpu", dtype=torch.float32):
            label = f"{torch_cls.__name__}-{error_input.optimizer_error_input.desc}".replace(
                " ", "_"
            )
            cases.append(pytest.param(torch_cls, error_input, id=label))
    return cases


@pytest.mark.parametrize("torch_cls, error_input", error_inputs())
def test_optim_db_error_inputs_fail_like_torch_optim(torch_cls, error_input):
    optim_input = error_input.optimizer_error_input
    params = optim_input.params
    if params is None:
        params = [torch.nn.Parameter(torch.randn(2, 3)), torch.nn.Parameter(torch.randn(3))]
    cls = COUNTERPARTS[torch_cls]
    expected = error_input.error_type
    message = error_input.error_regex  # PyTorch's tests match the words: a drop-in keeps them
    if error_input.error_on == OptimizerErrorEnum.CONSTRUCTION_ERROR:
        if issubclass(expected, Warning):
            with pytest.warns(expected, match=message):
                cls(params, **optim_input.kwargs)
        else:
            with pytest.raises(expected, match=message):
                cls(params, **optim_input.kwargs)
    else:
        optimizer = cls(params, **optim_input.kwargs)
        for p in optimizer.param_groups[0]["params"]:
            p.grad = torch.randn_like(p)
        with pytest.raises(expected, match=message):
            optimizer.step()


@pytest.mark.parametrize(
    "torch_cls, dtype, kwargs", [case for case in accepted_inputs() if "float32" in case.id]
)
@pytest.mark.parametrize("direction", ["torch->ours", "ours->torch"])
def test_state_dicts_move_both_ways_mid_run(torch_cls, dtype, kwargs, direction):
    """Run one optimizer a few steps, load its state_dict into the other, continue both alike."""
    (mine, optimizer), (theirs, reference) = pair(torch_cls, dtype, kwargs)
    if isinstance(reference, Exception):
        return
    source, source_params = (reference, theirs) if direction == "torch->ours" else (optimizer, mine)
    run(source, source_params, 3)
    with torch.no_grad():
        for p, q in zip(mine, theirs):
            p.copy_(q) if source is reference else q.copy_(p)
    target = optimizer if source is reference else reference
    target.load_state_dict(copy.deepcopy(source.state_dict()))
    run(optimizer, mine, 3, start=3)
    run(reference, theirs, 3, start=3)
    assert_same_params(mine, theirs)
    assert_same_state(optimizer, reference)


def deterministic_cases():
    """Every class (``Momentum`` too, which has no ``torch.optim`` counterpart) with a few
    inputs of each kind, on both paths."""
    cases = [
        pytest.param(COUNTERPARTS[torch_cls], case.values[2], id=f"{torch_cls.__name__}-{case.id}")
        for torch_cls in INFOS
        for case in accepted_inputs()
        if case.values[0] is torch_cls and "float32" in case.id
    ][::3]
    for kwargs in ({}, {"momentum": 0.5}, {"weight_decay": 0.1}, {"maximize": True}):
        for foreach in (False, True):
            cases.append(
                pytest.param(
                    ours.Momentum,
                    {"lr": 0.1, **kwargs, "foreach": foreach},
                    id=f"Momentum-{kwargs}-foreach={foreach}",
                )
            )
    return cases


@pytest.mark.parametrize("cls, kwargs", deterministic_cases())
def test_state_dict_is_deterministic(cls, kwargs):
    """As PyTorch's ``test_state_dict_deterministic``: an optimizer loaded with another's
    state_dict on cloned parameters steps alike and ends with an equal state_dict."""
    torch.manual_seed(0)
    weight, bias = torch.nn.Parameter(torch.randn(2, 3)), torch.nn.Parameter(torch.randn(2))
    x = torch.randn(3)

    def fit(optimizer, w, b):
        optimizer.zero_grad()
        (w.mv(x) + b).pow(2).sum().backward()
        optimizer.step()

    optimizer = cls([weight, bias], **copy.deepcopy(kwargs))
    for _ in range(10):
        fit(optimizer, weight, bias)
    with torch.no_grad():
        weight_c, bias_c = torch.nn.Parameter(weight.clone()), torch.nn.Parameter(bias.clone())
    optimizer_c = cls([weight_c, bias_c], **copy.deepcopy(kwargs))
    optimizer_c.load_state_dict(copy.deepcopy(optimizer.state_dict()))
    for _ in range(10):
        fit(optimizer, weight, bias)
        fit(optimizer_c, weight_c, bias_c)
        torch.testing.assert_close(weight, weight_c)
        torch.testing.assert_close(bias, bias_c)
    torch.testing.assert_close(optimizer.state_dict(), optimizer_c.state_dict())


def older(state_dict, drop=(), plain_step=False):
    """A state_dict as an older version stored it: some group keys missing, ``step`` a number."""
    state_dict = copy.deepcopy(state_dict)
    for group in state_dict["param_groups"]:
        for key in drop:
            group.pop(key)
    if plain_step:
        for state in state_dict["state"].values():
            if "step" in state:
                state["step"] = float(state["step"])
    return state_dict


OLDER_CASES = [
    pytest.param(torch_cls, kwargs, id=f"{torch_cls.__name__}-{kwargs}")
    for torch_cls, kwargs in [
        (torch.optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True)),
        (torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.01)),
        (torch.optim.RMSprop, dict(lr=0.01, momentum=0.5, centered=True)),
        (torch.optim.Adadelta, dict(lr=0.5)),
        (torch.optim.Adam, dict(lr=0.01, amsgrad=True)),
        (torch.optim.AdamW, dict(lr=0.01)),
    ]
]


@pytest.mark.parametrize("torch_cls, kwargs", OLDER_CASES)
@pytest.mark.parametrize("foreach", [False, True])
def test_older_state_dicts_load_and_step_as_in_torch_optim(torch_cls, kwargs, foreach):
    """Each group key torch.optim can do without is dropped (one at a time, then all of them),
    and ``step`` stored as a plain number: where torch.optim loads and steps, ours does the same."""
    (mine, optimizer), (theirs, reference) = pair(
        torch_cls, torch.float32, {**kwargs, "foreach": foreach}
    )
    run(reference, theirs, 3)
    saved = reference.state_dict()
    optional = []
    for key in saved["param_groups"][0]:
        if key == "params":
            continue
        probe_params = [p.detach().clone().requires_grad_() for p in theirs]
        try:
            probe = torch_cls(probe_params, **kwargs)
            probe.load_state_dict(older(saved, drop=[key]))
            run(probe, probe_params, 1, start=3)
        except Exception:  # noqa: BLE001 -- torch.optim itself needs this key
            continue
        optional.append(key)
    assert "foreach" in optional and "maximize" in optional
    for drop in [[key] for key in optional] + [optional]:
        (mine, optimizer), (again, reference) = pair(torch_cls, torch.float32, kwargs)
        with torch.no_grad():
            for p, q, r in zip(mine, again, theirs):
                p.copy_(r)
                q.copy_(r)
        old = older(saved, drop=drop, plain_step=True)
        optimizer.load_state_dict(copy.deepcopy(old))
        reference.load_state_dict(copy.deepcopy(old))
        run(optimizer, mine, 3, start=3)
        run(reference, again, 3, start=3)
        assert_same_params(mine, again)
        assert_same_state(optimizer, reference)


@pytest.mark.parametrize(
    "cls, switch, value",
    [
        (ours.Adam, "capturable", True),
        (ours.Adam, "fused", True),
        (ours.SGD, "differentiable", True),
        (ours.RMSProp, "capturable", True),
        (ours.AdaGrad, "fused", True),
        (ours.AdaDelta, "differentiable", True),
    ],
)
def test_switches_we_do_not_implement_are_refused_by_name(cls, switch, value):
    with pytest.raises(ValueError, match=f"{switch}=True.*only {switch}="):
        cls([torch.nn.Parameter(torch.zeros(2))], **{switch: value})


@pytest.mark.parametrize("torch_cls", list(COUNTERPARTS))
def test_signatures_match_torch_optim(torch_cls):
    """Same argument names, order, kinds and defaults: one can replace the other in any call."""
    import inspect

    theirs = inspect.signature(torch_cls.__init__).parameters
    mine = inspect.signature(COUNTERPARTS[torch_cls].__init__).parameters
    assert [(p.name, p.kind, p.default) for p in mine.values()] == [
        (p.name, p.kind, p.default) for p in theirs.values()
    ]


def test_a_tensor_lr_changed_in_place_is_followed():
    """A scheduler may change a tensor ``lr`` in place; the next step must use the new value."""
    lr = torch.tensor(0.1)
    (mine, optimizer), (theirs, reference) = pair(torch.optim.Adam, torch.float32, {"lr": lr})
    run(optimizer, mine, 2)
    run(reference, theirs, 2)
    lr.fill_(0.01)
    run(optimizer, mine, 2, start=2)
    run(reference, theirs, 2, start=2)
    assert_same_params(mine, theirs)
