"""The classic mistakes of every homework (``solutions/<hw>/mistakes.json``), for the tests.

Each entry is one wrong answer a student writes, as edits of the solution's code; the grader
names it in feedback (:mod:`courseware.grading.diagnosis`). ``tests/test_mistakes.py`` checks that
the visible tests catch at least half of them before submitting, and
``tests/test_mistakes_feedback.py`` grades every one as a submission.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from courseware.grading.diagnosis import Mistake, load_mistakes

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Collected:
    assignment: str
    mistake: Mistake

    @property
    def function(self) -> str:
        return self.mistake.function

    @property
    def id(self) -> str:
        slug = "".join(
            ch if ch.isalnum() else "-" for ch in self.mistake.description.lower()
        ).strip("-")
        return f"{self.assignment}-{self.function}-{slug[:40]}"

    def apply(self, source: str) -> str:
        return self.mistake.apply(source)


MISTAKES = [
    Collected(folder.name, mistake)
    for folder in sorted((ROOT / "solutions").iterdir())
    for mistake in load_mistakes(folder)
]
