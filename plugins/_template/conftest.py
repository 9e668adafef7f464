"""Lets the tests import ``livemoney_myplatform`` from this folder when the distribution is not installed."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
