"""The part of the claims matrix that ``make test`` runs on every submission.

``make test`` already executes every chapter natively (nbval, claims strict). Here every
chapter runs again under :data:`courseware.claims_matrix.CI_CONFIGURATIONS`: other OpenBLAS
kernels (``OPENBLAS_CORETYPE=Prescott``) and every seed shifted by one
(``DLDEMOS_SEED_SHIFT=1``), both in one run, and each claim must hold there with at least its
``min_margin``. The full matrix (six configurations, each on its own) is ``make claims``, run
before a release.
``DLDEMOS_CLAIMS_CI_CONFIGS=haswell,seed2`` picks other configurations; each chapter's table
is written to ``book/_build/claims-ci/<chapter>.md``.
"""

from __future__ import annotations

import os

import pytest

from courseware.claims_matrix import (
    BOOK,
    CI_CONFIGURATIONS,
    build_matrix,
    chapters,
    markdown,
    run_matrix,
)

CONFIGURATIONS = [
    name for name in os.environ.get("DLDEMOS_CLAIMS_CI_CONFIGS", "").split(",") if name
] or list(CI_CONFIGURATIONS)
OUT = BOOK / "_build" / "claims-ci"


@pytest.mark.slow
@pytest.mark.parametrize("chapter", chapters(), ids=lambda path: path.stem)
def test_claims_hold_under_other_kernels_and_seeds(chapter):
    runs = run_matrix([chapter], CONFIGURATIONS, OUT, jobs=len(CONFIGURATIONS), progress=print)
    matrix = build_matrix(runs)
    (OUT / f"{chapter.stem}.md").write_text(markdown(matrix), encoding="utf-8")
    if matrix.problems:
        pytest.fail(
            f"{chapter.name} under {', '.join(CONFIGURATIONS)} (table in "
            f"{OUT / (chapter.stem + '.md')}; make claims CHAPTERS={chapter.stem[:2]} runs "
            "all six configurations):\n  " + "\n  ".join(matrix.problems),
            pytrace=False,
        )
