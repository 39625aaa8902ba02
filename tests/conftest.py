"""One grading cache for the whole test session.

Several test modules grade a temporary course made from the same ``solutions/`` with the same
limits (``grading_course.make_course``): the runs of the course's own notebooks (each
solution's, each assignment's generated mistakes) are then the same runs, kept under the same
keys. Graded with a cache per course, every module ran the mutants of every assignment again
(about a hundred CPU seconds each); with one cache (``$COURSEWARE_GRADING_CACHE``, shared by
the xdist workers, whose lock file makes a second worker wait for the first's run) the session
runs them once, as an instructor's second class would. Where ``$COURSEWARE_GRADING_CACHE``
is set already, that cache is used (kept between sessions: a rerun of the grading tests does
not run the mutants again). A test that wants a cold cache (``benchmarks.course``) removes the
variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from courseware.grading.course import GRADING_CACHE_ENVIRONMENT


@pytest.fixture(scope="session", autouse=True)
def shared_grading_cache(tmp_path_factory):
    if os.environ.get(GRADING_CACHE_ENVIRONMENT):  # one you chose (kept between sessions)
        yield Path(os.environ[GRADING_CACHE_ENVIRONMENT])
        return
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the workers' basetemps are folders of the session's
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(GRADING_CACHE_ENVIRONMENT, str(base / "grading-cache"))
        yield base / "grading-cache"


# The test files that take minutes, longest first. `make test` hands whole files to two xdist
# workers (--dist loadfile --no-loadscope-reorder) in the order they are collected: collected
# first, they start first, and the short files even out the end (xdist's default order, by the
# number of tests, started test_claims_ci.py, nine long tests, last, and it ran two minutes
# after the other worker had finished). test_grading.py, which needs the mistakes' runs that
# test_mistakes_feedback.py makes, comes late enough not to wait for them.
LONG_FILES = (
    "tests/test_mistakes_feedback.py",
    "tests/test_claims_ci.py",
    "tests/test_teaching.py",
    "tests/test_grading_attacks.py",
    "tests/test_grading.py",
    "tests/test_feedback_generalises.py",
    "tests/test_mistakes.py",
    "tests/test_distributed.py",
    "tests/test_grading_shards.py",
)


def pytest_collection_modifyitems(items):
    rank = {path: i for i, path in enumerate(LONG_FILES)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))
