"""Lets the tests import ``livemoney_tax`` (and ``livemoney_agency``, to compose the two) uninstalled."""

import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE), str(HERE.parent / "agency")]
