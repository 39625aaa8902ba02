"""The grading cache: the runs of the course's own notebooks are kept, the others never."""

import nbformat

from courseware.grading.autograde import _cached_run


class Counted:
    """Stands in for a sandboxed run: ``(executed notebook, records, seconds, trouble)``."""

    def __init__(self, trouble=""):
        self.calls, self.trouble = 0, trouble

    def __call__(self):
        self.calls += 1
        executed = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
        return executed, {"test": [{"kind": "equal", "got": self.calls}]}, 1.5, self.trouble


def test_a_kept_run_is_read_back_instead_of_run_again(tmp_path):
    run = Counted()
    first = _cached_run(tmp_path, "k", run)
    second = _cached_run(tmp_path, "k", run)
    assert run.calls == 1
    assert second[1] == first[1] == {"test": [{"kind": "equal", "got": 1}]}
    assert second[0].cells[0].source == "x = 1"
    _cached_run(tmp_path, "other", run)
    assert run.calls == 2, "another key is another run"


def test_a_run_that_went_wrong_is_not_kept(tmp_path):
    run = Counted(trouble="the notebook did not finish within its time limit (60 s)")
    _cached_run(tmp_path, "k", run)
    _cached_run(tmp_path, "k", run)
    assert run.calls == 2
    assert not list(tmp_path.glob("*.pickle"))


def test_a_damaged_cache_file_is_run_again_and_replaced(tmp_path):
    (tmp_path / "k.pickle").write_bytes(b"not a pickle")
    run = Counted()
    assert _cached_run(tmp_path, "k", run)[1]["test"][0]["got"] == 1
    assert run.calls == 1
    assert _cached_run(tmp_path, "k", run)[1]["test"][0]["got"] == 1
    assert run.calls == 1


def test_an_unwritable_cache_still_grades(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    run = Counted()
    assert _cached_run(blocked / "cache", "k", run)[3] == ""
    assert _cached_run(blocked / "cache", "k", run)[3] == ""
    assert run.calls == 2
