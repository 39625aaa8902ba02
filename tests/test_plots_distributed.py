"""The chapter 7 figures build headless, with a title, axis labels and a legend on every panel."""

import math

import numpy as np
import pytest

from dldemos.plots.distributed import plot_scaling_rule, plot_warmup


def _assert_labelled(figure, panels):
    axes = figure.get_axes()
    assert len(axes) == panels
    for ax in axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
        assert ax.get_legend() is not None and ax.get_legend().get_texts()


def test_scaling_rule_draws_a_median_per_policy_and_skips_missing_runs():
    losses = {
        "fixed": [[0.01, 0.02, 0.05], [0.012, 0.03, 0.06]],
        "linear": [[np.nan, 0.01, 2.0], [np.nan, 0.02, 1.5]],
    }
    figure = plot_scaling_rule([64, 128, 256], losses, base_batch_size=64, epochs=20)
    _assert_labelled(figure, 1)
    ax = figure.get_axes()[0]
    medians = {line.get_label(): line for line in ax.get_lines() if "median" in line.get_label()}
    assert set(medians) == {"fixed (median of 2 seeds)", "linear (median of 2 seeds)"}
    np.testing.assert_allclose(medians["linear (median of 2 seeds)"].get_ydata(), [0.015, 1.75])
    assert "epoch 20" in ax.get_ylabel()


def test_scaling_rule_refuses_a_row_of_the_wrong_length():
    with pytest.raises(ValueError, match="final_losses\\['fixed'\\] has 2 columns"):
        plot_scaling_rule([64, 128, 256], {"fixed": [[0.1, 0.2]]}, base_batch_size=64, epochs=5)


def test_warmup_draws_schedules_and_one_line_per_seed():
    lrs = {"no warmup": [0.3] * 5, "warmup": [0.0, 0.1, 0.2, 0.3, 0.3]}
    losses = {
        "no warmup": [[2.3, 9.0, 5.0, 2.3, 2.3]] * 3,
        "warmup": [[2.3, 2.0, 1.0, 0.5, 0.2]] * 3,
    }
    figure = plot_warmup(lrs, losses)
    _assert_labelled(figure, 2)
    loss_panel = figure.get_axes()[1]
    seed_lines = [line for line in loss_panel.get_lines() if line.get_linestyle() == "-"]
    assert len(seed_lines) == 6
    assert any(np.allclose(line.get_ydata(), math.log(10)) for line in loss_panel.get_lines())
    assert figure.get_suptitle()


def test_warmup_needs_the_same_labels_in_both_dicts():
    with pytest.raises(KeyError, match="same labels"):
        plot_warmup({"a": [0.1]}, {"b": [[1.0]]})
