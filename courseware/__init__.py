"""courseware: what runs the course, apart from what it teaches.

``dldemos`` holds what the chapters teach; this package holds the machinery around them:

* :mod:`courseware.claims`: checked claims, the hidden cells behind every sentence of a
  chapter that states an experiment's outcome;
* :mod:`courseware.live`, :mod:`courseware.teaching`, :mod:`courseware.slides`: live coding
  (precomputed results, ``check_live``), live notebooks with instructor notes, slide decks;
* :mod:`courseware.checks` and :mod:`courseware.records`: the checks homework test cells use,
  and what they record in a graded run;
* :mod:`courseware.lecture_plans`: the lecture plans of ``book/lectures`` read and checked
  (objectives, timed segments, board work, questions with answers);
* :mod:`courseware.grading`: releasing homework, autograding it in a sandbox, self-checks;
  :mod:`courseware.solutions`: the solutions for students, only after the deadline;
* :mod:`courseware.cli`: one command for all of it, ``python -m courseware`` (or ``courseware``)
  ``release``, ``grade``, ``merge``, ``check``, ``solutions``, ``live``, ``slides``.

It may import ``dldemos``; ``dldemos`` never imports it, and neither package has import cycles
(the import-linter contracts of ``pyproject.toml``, run by ``tests/test_imports.py``).
"""
