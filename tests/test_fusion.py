"""dldemos.fusion: the timings chapter 3's side note on fused optimizers cites."""

import pytest
import torch

from dldemos.fusion import time_update_rules


def test_every_variant_is_timed_and_torch_threads_are_restored():
    threads = torch.get_num_threads()
    timings = time_update_rules(n=2_000, n_arrays=4, repeats=2)
    assert list(timings) == [
        "numpy: p -= lr * d",
        "torch: p.add_(d, alpha=-lr)",
        "torch: one _foreach_add_",
        "numpy: dldemos.optim.Adam",
        "torch: Adam, foreach=False",
        "torch: Adam, foreach=True",
        "torch: Adam, fused=True",
    ]
    assert all(seconds > 0 for seconds in timings.values())
    assert torch.get_num_threads() == threads


@pytest.mark.parametrize("bad", [dict(n=3, n_arrays=4), dict(n_arrays=0), dict(repeats=0)])
def test_bad_sizes_are_named(bad):
    with pytest.raises(ValueError, match="n_arrays"):
        time_update_rules(**bad)
