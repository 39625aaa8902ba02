"""``python -m courseware``: see :mod:`courseware.cli`."""

import sys

from courseware.cli import main

sys.exit(main())
