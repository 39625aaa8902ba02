"""nbgrader configuration of the course's homework (commands: ``python -m dldemos.grading``).

The layout differs from nbgrader's default (``source/`` and ``release/``): the sources with
solutions and hidden tests are ``solutions/<hw>/<hw>.ipynb``, the student versions that
``nbgrader generate_assignment`` writes are ``exercises/<hw>/<hw>.ipynb``. Submissions go to
``submitted/<student>/<hw>/``, grades to ``gradebook.db``, results to ``autograded/`` and
``feedback/`` (all git-ignored).
"""

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput,
                                    DeduplicateIds, IgnorePattern, LimitOutput,
                                    OverwriteKernelspec, SaveAutoGrades)

from dldemos.grading import ResilientExecute, RestoreDeletedTests

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "nn-optimization"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# Each cell may run this long. The slowest cell of a solution takes one or two seconds, so a
# cell that reaches the limit is stuck: an endless loop costs one timeout, after which the
# cell is interrupted and the rest of the notebook is graded as usual.
c.Execute.timeout = 20
c.Execute.kernel_name = "python3"
c.Execute.extra_arguments = ["--IPKernelApp.log_level=ERROR"]   # no kernel chatter in the logs

# A test cell the student deleted is put back from the source (one edited always is), also
# when its answer cell was deleted with it (RestoreDeletedTests, see dldemos/grading.py).
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    RestoreDeletedTests,
    CheckCellMetadata,
]

# nbgrader 0.9's autograde steps with its Execute replaced by one that survives a kernel that
# dies or ignores its timeout (see dldemos/grading.py).
c.Autograde.autograde_preprocessors = [
    ResilientExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
