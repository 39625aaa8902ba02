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


@pytest.mark.parametrize("got, message", [
    (np.arange(4.0), r"expected shape \(3,\), got shape \(4,\)"),
    (np.array([0.0, 1.0, 2.5]), r"expected 2 at index \(2,\), got 2.5"),
    (None, "got None"),
])
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
    precomputed("race", compute, epochs=6)            # other parameters: computed again
    monkeypatch.setenv("DLDEMOS_RECOMPUTE", "1")
    precomputed("race", compute, epochs=5)            # forced
    assert len(calls) == 3
