import sys

from dldemos.grading.cli import main

sys.exit(main())
