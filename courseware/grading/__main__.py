import sys

from courseware.grading.cli import main

sys.exit(main())
