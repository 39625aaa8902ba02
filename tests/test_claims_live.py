"""courseware.claims and courseware.live: the helpers behind checked sentences and live coding."""

import numpy as np
import pytest

from courseware.claims import ClaimFailed, claim
from courseware.live import check_live, precomputed


def test_claim_prints_the_sentence_and_its_numbers(capsys):
    claim("Adam needs fewer steps", 41 < 97, adam=41, momentum=97.123456)
    assert capsys.readouterr().out == "✓ Adam needs fewer steps (adam=41, momentum=97.12)\n"


def test_a_false_claim_fails_with_its_numbers():
    with pytest.raises(ClaimFailed, match=r"Adam needs fewer steps.*adam=120, momentum=97"):
        claim("Adam needs fewer steps", np.int64(120) < 97, adam=np.int64(120), momentum=97)


def test_a_claim_needs_a_boolean():
    with pytest.raises(TypeError, match="give a boolean, or a number"):
        claim("x", np.array([True, False]))


def test_check_live_accepts_the_reference(capsys):
    check_live("ewma", np.arange(3.0), np.arange(3.0))
    check_live("state", {"v": np.ones(2), "t": 3}, {"v": np.ones(2), "t": 3})
    assert "✓ ewma matches dldemos" in capsys.readouterr().out


@pytest.mark.parametrize(
    "got, message",
    [
        (np.arange(4.0), r"expected shape \(3,\), got shape \(4,\)"),
        (np.array([0.0, 1.0, 2.5]), r"expected 2 at index \(2,\), got 2.5"),
        (None, "got None"),
    ],
)
def test_check_live_names_what_differs(got, message):
    with pytest.raises(AssertionError, match=message):
        check_live("ewma", got, np.arange(3.0))


def test_check_live_names_the_key():
    with pytest.raises(AssertionError, match=r"state\['v'\]"):
        check_live("state", {"v": np.zeros(2)}, {"v": np.ones(2)})
    with pytest.raises(AssertionError, match="keys"):
        check_live("state", {"s": np.ones(2)}, {"v": np.ones(2)})


def test_precomputed_stores_and_reloads(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DLDEMOS_PRECOMPUTED_DIR", str(tmp_path))
    monkeypatch.delenv("DLDEMOS_RECOMPUTE", raising=False)
    calls = []
    compute = lambda: calls.append(1) or {"loss": np.arange(3.0)}  # noqa: E731
    first = precomputed("race", compute, epochs=5)
    second = precomputed("race", compute, epochs=5)
    assert len(calls) == 1 and np.array_equal(first["loss"], second["loss"])
    assert "loaded the precomputed result 'race'" in capsys.readouterr().out
    precomputed("race", compute, epochs=6)  # other parameters: computed again
    monkeypatch.setenv("DLDEMOS_RECOMPUTE", "1")
    precomputed("race", compute, epochs=5)  # forced
    assert len(calls) == 3


# ---- margins and modes ------------------------------------------------------------------

from courseware.claims import margin  # noqa: E402


@pytest.mark.parametrize(
    "value, bound, expected",
    [
        (12.0, {"above": 10}, 0.2),
        (8.0, {"above": 10}, -0.2),
        ([11.0, 15.0], {"above": 10}, 0.1),  # every value must pass: the smallest
        (-4.0, {"above": -5}, 0.2),  # relative to |threshold|
        (0.4, {"below": 0.5}, 0.2),
        (0.6, {"below": 0.5}, -0.2),
        ([0.1, 0.45], {"below": 0.5}, 0.1),
        (0.92, {"between": (0.9, 0.95)}, min(0.02 / 0.9, 0.03 / 0.95)),
        (0.96, {"between": (0.9, 0.95)}, -0.01 / 0.95),
        (3.3, {"about": 3, "rtol": 0.15}, 0.05),  # 15% tolerance, 10% of it used
        (2.4, {"about": 3, "rtol": 0.15}, -0.05),
        ([2.9, 3.45], {"about": 3, "rtol": 0.2}, 0.05),  # the value farthest from 3
    ],
)
def test_margin_of_each_comparison(value, bound, expected):
    assert margin(value, **bound) == pytest.approx(expected)


def test_margin_edge_cases():
    assert margin(float("nan"), above=0.0) == -float("inf")
    assert margin(1.0, above=0.0) == float("inf") and margin(-1.0, above=0.0) == -float("inf")
    with pytest.raises(TypeError, match="exactly one"):
        margin(1.0, above=0, below=2)
    with pytest.raises(TypeError, match="rtol"):
        margin(1.0, about=1)
    with pytest.raises(ValueError, match="empty"):
        margin(1.0, between=(2, 1))


def test_a_comparison_claim_prints_its_value_threshold_and_margin(capsys):
    claim("Adam needs at most half of momentum's steps", 0.41, below=0.5, adam=41)
    assert capsys.readouterr().out == (
        "✓ Adam needs at most half of momentum's steps (value=0.41 < 0.5, margin 18%, adam=41)\n"
    )
    with pytest.raises(ClaimFailed, match=r"about 3.*value=4 ≈ 3 ± 15%"):
        claim("the ratio is about 3", 4.0, about=3, rtol=0.15)


@pytest.mark.parametrize("mode", ["warn", "record"])
def test_warn_and_record_modes_print_and_go_on(mode, monkeypatch, capsys):
    monkeypatch.setenv("DLDEMOS_CLAIMS", mode)
    claim("the loss climbs more than tenfold", 3.0, above=10, epoch_5=0.07)
    claim("every seed diverges", False)
    out = capsys.readouterr().out
    assert "the loss climbs more than tenfold" in out
    assert "epoch_5=0.07" in out and "every seed diverges" in out
    if mode == "warn":  # says what the class sees, not how to edit the book
        assert "⚠ This run gave 3 where the sentence needs > 10" in out
        assert "⚠ This run does not bear out the sentence 'every seed diverges'" in out
        assert out.count("⚠ ") == 2 and "lecture goes on" in out
        assert "Reword" not in out
    else:
        assert out.count("✗ ") == 2 and "value=3 > 10" in out


def test_strict_is_the_default(monkeypatch):
    monkeypatch.delenv("DLDEMOS_CLAIMS", raising=False)
    with pytest.raises(ClaimFailed, match="Reword the sentence"):
        claim("x is above 1", 0.5, above=1)


def test_the_log_has_one_json_line_per_claim(tmp_path, monkeypatch):
    import json

    log = tmp_path / "claims.jsonl"
    monkeypatch.setenv("DLDEMOS_CLAIMS_LOG", str(log))
    monkeypatch.setenv("DLDEMOS_CLAIMS", "record")
    claim("a ratio below a half", np.float64(0.49), below=0.5, steps=np.int64(41))
    claim("every seed diverges", np.bool_(True), min_margin=0)
    claim("the ratio is about 3", [2.0, 3.1], about=3, rtol=0.1)
    first, second, third = [json.loads(line) for line in log.read_text().splitlines()]
    assert first == {
        "sentence": "a ratio below a half",
        "holds": True,
        "margin": pytest.approx(0.02),
        "min_margin": 0.05,
        "value": 0.49,
        "threshold": "< 0.5",
        "numbers": {"steps": 41},
    }
    assert second["holds"] is True and second["margin"] is None and second["min_margin"] == 0
    assert third["holds"] is False and third["margin"] == pytest.approx(0.1 - 1 / 3)
    assert third["value"] == [2.0, 3.1]
