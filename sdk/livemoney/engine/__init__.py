"""The engine: valuing logs and live feeds through the plugins, and what that gives.

`api` (platforms, settings, one event), `readers` (the plugins' formats, detection), `valuer` (`value`,
the fast path for canonical logs), `report`, `ledger`, `comparison`, `tally` (`LiveTally`). It imports the
kit, the plugin system, the core and `livemoney.errors`, never a front end.
"""

from livemoney._moved import moved_names

OLD_NAMES = ("MAX_KEYS", "InvalidInput", "Valuer", "value", "write_reject")
"""The names of the old module ``livemoney.engine``, now in `livemoney.engine.valuer`, for one release
(``CHUNK_BYTES`` and ``DUPLICATE_WINDOW`` are gone: lines are read by `livemoney.core.untrusted.lines`, and
duplicates are caught across the whole input, `livemoney.engine.seen`)."""

__getattr__ = moved_names(__name__, "livemoney.engine.valuer", OLD_NAMES)
