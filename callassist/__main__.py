"""Allow ``python -m callassist``."""

import sys

from callassist.cli import main

sys.exit(main())
