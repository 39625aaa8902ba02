"""The benchmark runner's machinery: interleaving, medians and ratios, the memory probe, the report.

No speed is asserted here (the goals live in benchmarks/RESULTS.md); a fake clock makes
the timing logic deterministic, and one tiny ``--quick`` run checks that the pieces fit.
"""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from benchmarks import course, report, run
from benchmarks.harness import Comparison, calls_per_sample, time_interleaved

ROOT = Path(__file__).resolve().parents[1]


class FakeClock:
    """A clock that only moves when a fake workload says it took some time."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def workload(self, name, seconds, log):
        def call():
            log.append(name)
            self.now += seconds

        return call


def test_calls_per_sample_grows_1_2_5_10_until_a_sample_is_long_enough():
    clock, log = FakeClock(), []
    number = calls_per_sample(clock.workload("A", 0.01, log), min_time=0.15, clock=clock)
    assert number == 20  # 10 calls take 0.1 s < 0.15 s
    assert len(log) == 1 + 2 + 5 + 10 + 20


def test_samples_are_taken_in_turn_after_the_warm_up():
    clock, log = FakeClock(), []
    contenders = {"A": clock.workload("A", 1.0, log), "B": clock.workload("B", 3.0, log)}
    samples = time_interleaved(contenders, repeats=4, warmup=2, min_time=0.5, clock=clock)
    # warm-up: A A B B; calibration: one call each; then one sample each per repetition
    assert log == ["A", "A", "B", "B", "A", "B"] + ["A", "B"] * 4
    assert samples == {"A": [1.0] * 4, "B": [3.0] * 4}


def test_a_sample_is_the_mean_time_per_call():
    clock, log = FakeClock(), []
    samples = time_interleaved(
        {"A": clock.workload("A", 0.1, log)}, repeats=2, warmup=0, min_time=0.45, clock=clock
    )
    assert samples["A"] == pytest.approx([0.1, 0.1])
    assert len(log) == (1 + 2 + 5) + 2 * 5  # calibration, then two samples of 5 calls


@pytest.mark.parametrize("bad", [{"repeats": 0}, {"warmup": -1}])
def test_time_interleaved_rejects_bad_settings(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        time_interleaved({"A": lambda: None}, **bad)


def test_comparison_reports_medians_their_ratio_and_the_spread_of_paired_ratios():
    c = Comparison("w", ours=[3.0, 1.0, 2.0], theirs=[4.0, 4.0, 1.0], goal=0.4)
    assert (c.ours_median, c.theirs_median) == (2.0, 4.0)
    assert c.ratio == 0.5
    assert c.ratio_range == (0.25, 2.0)  # 3/4, 1/4, 2/1
    assert c.met is False
    assert Comparison("w", [1.0], [2.0], goal=0.5).met is True
    assert Comparison("w", [1.0], [2.0]).met is None


def test_a_missed_goal_is_listed_with_its_reason(monkeypatch):
    monkeypatch.setitem(report.WHY_MISSED, "net-x", "because of X.")
    missed = Comparison("net-x", [2.0], [1.0], goal=1.0)
    held = Comparison("net-y", [1.0], [2.0], goal=1.0)
    networks = [
        ("x", "float32", "net-x", missed),
        ("y", "float32", "net-y", held),
        ("x", "float64", "net-x", missed),
    ]
    lines = report.missed_goals(
        {"networks": networks},
        None,
        {},
        [course.CourseTiming("hw09", None, 15.0, False, "not measured: why")],
    )
    assert len(lines) == 3
    assert "ratio 2.00 > 1" in lines[0] and "because of X." in lines[0]
    assert "float64" in lines[1] and "Same reason as above" in lines[1]
    assert "hw09" in lines[2] and "not measured: why" in lines[2]


def test_memory_probe_sees_a_leak_and_a_temporary():
    """An optimizer that keeps a copy of the gradient every step must not look flat."""
    script = textwrap.dedent("""
        import json, numpy as np
        from benchmarks import memory, workloads
        from dldemos.optim import SGD

        class Leaky(SGD):
            kept = []
            def step(self):
                self.kept.append({k: g * 1.0 for k, g in self.grad_dict.items()})  # a leak
                super().step()

        workloads.OPTIMIZERS["Leaky"] = lambda p: Leaky(p, 1e-3)
        print(json.dumps(memory.measure("Leaky", 2_000_000, steps=5)))
        print(json.dumps(memory.measure("SGD", 2_000_000, steps=5)))
    """)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    leaky, sgd = map(json.loads, result.stdout.splitlines())
    eight_mib = 2_000_000 * 4 / 2**20
    assert leaky["rss_growth_mib"] >= 3 * eight_mib * 0.9  # 4 more copies kept, 8 MiB each
    assert leaky["temporary_mib"] >= 4 * eight_mib * 0.9
    assert sgd["parameters_mib"] == pytest.approx(eight_mib)
    assert set(sgd) >= {"rss_first_mib", "rss_last_mib", "rss_growth_mib", "temporary_mib"}


def test_course_rows_say_not_measured_instead_of_failing(tmp_path):
    assert course.time_chapters(tmp_path) == []
    (row,) = course.time_autograding(tmp_path)
    assert row.seconds is None and row.met is None and row.note.startswith("not measured")


def test_unknown_workload_is_refused_with_the_known_names(capsys):
    with pytest.raises(SystemExit):
        run.parse_args(["--only", "resnet"])
    assert "net-digits" in capsys.readouterr().err


def test_quick_run_writes_a_report(tmp_path):
    out = tmp_path / "RESULTS.md"
    assert (
        run.main(
            [
                "--quick",
                "--no-as-user",
                "--only",
                "net-digits",
                "--only",
                "optim-adamw",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    text = out.read_text()
    assert "Quick run" in text and "N = 1 on both sides" in text
    assert "| 64-128-64-10, batch 64" in text
    assert "| AdamW | 10,000 | float32 |" in text
    assert "not measured" in text  # no default-threads columns without --as-user
    assert "## Executing the book" not in text  # not part of a quick run
    assert "## Goals missed" in text


def test_the_as_user_process_hands_back_rows_the_report_pairs(tmp_path):
    """What ``--measure-as-user`` writes (in the child) reads back as the same rows."""
    out = tmp_path / "speeds.json"
    assert run.main(["--quick", "--only", "optim-sgd", "--measure-as-user", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["seen"]["torch_threads"] >= 1
    speeds = run._from_json(data["speeds"])
    assert [row[:3] for row in speeds["optimizers"]] == [
        ("SGD", "float32", 10_000),
        ("SGD momentum", "float32", 10_000),
    ]
    assert isinstance(speeds["optimizers"][0][3], Comparison)
    assert speeds["networks"] == speeds["runs"] == []
    assert run._from_json(run._to_json(speeds)) == speeds


def test_report_shows_both_configurations_and_the_threads_goal():
    step = ("64-128-64-10, batch 64", "float32", "net-digits")
    limited = {"networks": [(*step, Comparison("net-digits", [1.0], [2.0], goal=1.0))]}
    as_user = {
        "networks": [
            (
                *step,
                Comparison("net-digits", [3.0], [2.0], goal=1.0, notes={"ours_one_thread": [1.0]}),
            )
        ]
    }
    machine = report.Machine("today", "cpu", 2, 8.0, "linux", {}, [], 1, (0.0, 0.0, 0.0))
    text = report.render(machine, "cmd", 1, 0.1, limited, as_user, {}, 100, None, None, None, "")
    row = next(line for line in text.splitlines() if line.startswith("| 64-128-64-10"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[2:5] == ["1 s", "2 s", "0.50 (0.50–0.50)"]  # one thread
    assert cells[5:8] == ["3 s", "2 s", "1.50 (1.50–1.50)"]  # default threads
    assert cells[8:] == ["≤ 1", "**no**", "3.00", "**no**"]  # missed in one config: missed
    missed = text.split("## Goals missed")[1]
    assert "default threads: ratio 1.50 > 1" in missed
    assert "default threads / ours with one thread = 3.00 > 1.1" in missed


def test_a_context_surrounds_every_sample_of_its_contender_only():
    clock, log = FakeClock(), []
    entered = []

    class Marker:
        def __enter__(self):
            log.append("enter")
            entered.append(clock.now)

        def __exit__(self, *exc):
            log.append("exit")

    contenders = {"A": clock.workload("A", 1.0, log), "B": clock.workload("B", 1.0, log)}
    time_interleaved(
        contenders, repeats=2, warmup=1, min_time=0.5, clock=clock, contexts={"B": Marker}
    )
    # warm-up, calibration and each sample of B inside the context; A never
    assert log == (
        ["A", "enter", "B", "exit"] + ["A", "enter", "B", "exit"] + ["A", "enter", "B", "exit"] * 2
    )
    with pytest.raises(ValueError, match="unknown contenders"):
        time_interleaved(contenders, contexts={"C": Marker})


def test_class_projection_scales_every_assignment_by_the_parallel_cost_of_one_submission():
    from benchmarks.course import CourseTiming, class_projection

    one_each = [CourseTiming("hw01", 6.0, 15, True), CourseTiming("hw03", 12.0, 15, True)]
    parallel = [
        CourseTiming("8 submissions of hw03, --jobs 1", 40.0, 120, True),
        CourseTiming("8 submissions of hw03, --jobs 2", 24.0, 60, True),
    ]
    text = class_projection(one_each, parallel, "hw03", submissions=8, students=400)
    # 3 s per hw03 submission against 12 s alone: (6 + 12) * 400 * 3 / 12 = 1800 s
    assert "400 students x 2 assignments: about 0.5 h" in text and "1.67x" in text
    assert class_projection(one_each, parallel[:1]).startswith("not projected")
