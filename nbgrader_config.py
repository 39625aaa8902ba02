"""nbgrader configuration of the course's homework (commands: ``python -m courseware``).

The layout differs from nbgrader's default (``source/`` and ``release/``): the sources with
solutions and hidden tests are ``solutions/<hw>/<hw>.ipynb``, the student versions that
``nbgrader generate_assignment`` writes are ``exercises/<hw>/<hw>.ipynb``. Submissions go to
``submitted/<student>/<hw>/``, grades to ``gradebook.db``, results to ``autograded/`` and
``feedback/`` (all git-ignored).

nbgrader writes the release and keeps the gradebook; the submissions are run in a sandbox and
graded by ``courseware.grading`` (see its docstring), with the limits below.
"""

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "nn-optimization"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# Each cell may run this long. The slowest cell of a solution takes one or two seconds, so a
# cell that reaches the limit is stuck: an endless loop costs one timeout, after which the
# cell is interrupted and the rest of the notebook is graded as usual.
c.Execute.timeout = 20

# The limits of one notebook's run in the sandbox (courseware/grading/sandbox.py): the whole
# notebook (a solution takes 2-6 s), the memory of each process, the largest file it may write
# and the outputs kept per cell.
c.Sandbox.notebook_timeout = 60
c.Sandbox.memory_bytes = 6 * 2 ** 30
c.Sandbox.file_bytes = 64 * 2 ** 20
c.Sandbox.max_output_chars = 20_000

# Files of a source folder that are never released: the classic mistakes the grader names in
# feedback (courseware/grading/diagnosis.py) quote the solutions.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "mistakes.json"]

# What a student's feedback shows of the hidden tests: "summary" (each test's name, points and
# a message that says what differs in words; no hidden source, inputs or expected values, in
# tracebacks neither) or "full" (everything, e.g. after the deadline; regrade to rewrite the
# feedback). The instructor's copy in autograded/ always has everything.
c.Feedback.hidden_tests = "summary"
