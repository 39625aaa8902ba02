"""Grading a class beyond one machine: shards graded apart (``--shard i/n``), then merged.

Each shard is graded in its own copy of the course, as it would be on its own machine
(a Kubernetes Job, a Slurm array task); ``merge`` brings their results into the course.
The merged gradebook and CSV must equal what one run would give.
"""

from __future__ import annotations

import contextlib
import csv
import io
import shutil

import pytest
from grading_course import (
    cell_of,
    gradebook_scores,
    make_course,
    needs_sandbox,
    read,
    submit,
    with_sources,
)

from courseware import grading

pytestmark = [needs_sandbox, pytest.mark.slow]


def test_shards_graded_apart_then_merged_equal_one_run(tmp_path):
    course = make_course(tmp_path / "course")
    submitted = tmp_path / "submitted"
    solution = read(course.solutions / "hw01" / "hw01.ipynb")
    release = read(course.exercises / "hw01" / "hw01.ipynb")
    expected = {"ann": 10, "bob": 0, "cy": 2, "dee": 4}
    submit(submitted, "ann", "hw01", solution)
    submit(submitted, "bob", "hw01", release)
    submit(
        submitted,
        "cy",
        "hw01",
        with_sources(release, batch_sizes=cell_of(solution, "batch_sizes").source),
    )
    submit(
        submitted,
        "dee",
        "hw01",
        with_sources(release, train_one_epoch=cell_of(solution, "train_one_epoch").source),
    )
    shards = []
    for index in (1, 2, 3):
        machine = tmp_path / f"machine-{index}"
        shutil.copytree(course.root, machine)
        with contextlib.redirect_stdout(io.StringIO()):
            assert (
                grading.main(
                    [
                        "--course-dir",
                        str(machine),
                        "autograde",
                        "--submissions",
                        str(submitted),
                        "--assignment",
                        "hw01",
                        "--shard",
                        f"{index}/3",
                        "--no-feedback",
                        "--out",
                        str(machine / "grades.csv"),
                    ]
                )
                == 0
            )
        shards.append(machine)
    graded = [sorted(p.name for p in (m / "autograded").iterdir() if p.is_dir()) for m in shards]
    assert sorted(sum(graded, [])) == sorted(expected), (
        f"each student in exactly one shard: {graded}"
    )
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert (
            grading.main(
                [
                    "--course-dir",
                    str(course.root),
                    "merge",
                    *map(str, shards),
                    "--submissions",
                    str(submitted),
                    "--out",
                    str(course.root / "grades.csv"),
                ]
            )
            == 0
        )
    scores = gradebook_scores(course)
    assert {student: scores[(student, "hw01")] for student in expected} == expected
    rows = {
        r["student"]: r
        for r in csv.DictReader(open(course.root / "grades.csv"))
        if r["assignment"] == "hw01"
    }
    assert {s: float(r["score"]) for s, r in rows.items()} == expected
    assert "merged from 3 shards" in printed.getvalue()
