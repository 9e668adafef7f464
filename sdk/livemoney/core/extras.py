"""The optional libraries (the extras: pandas, pyarrow, DuckDB, pyspark, openpyxl), imported only when a
feature needs one; a missing one is `livemoney.errors.MissingExtra`, saying which extra installs it."""

from __future__ import annotations

import importlib
from typing import Any

from livemoney.errors import MissingExtra


def extra(module: str, needs: str) -> Any:
    """The module ``module`` (``pyarrow.parquet``), or `MissingExtra` whose message is ``needs``: what needs
    it and how to install it (``a Parquet export needs pyarrow: pip install 'livemoney[parquet]'``)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(needs) from None
