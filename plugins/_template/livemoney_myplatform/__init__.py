"""livemoney plugin for My Platform: viewers buy tokens and send them; the creator earns per token.

Made from livemoney's plugin template, in the shape of every platform plugin:

- `rules`: the figures, each a `Setting` with its `Source`, and the platform (``PLATFORM``);
- `value`: the valuations, one function a hook (``value_gift``, ``value_donation`` ...);
- `readers`: one module a format the platform's data comes in (``readers/jsonl.py``), ``READERS``;
- ``PLUGIN``: the hook implementations, the kit's `PlatformPlugin`; the entry point ``myplatform`` in
  ``pyproject.toml`` names it.

Until a source gives the figures every valuation is unknown, with the reason. To make the platform
real: cite the sources in `rules`, value its events in `value`, read its real capture format in
`readers` (livemoney's docs/tutorial.md does it for Twitch). Sponsorships keep the host's default (all
to the creator): subclass `PlatformPlugin` with a ``livemoney_value_sponsorship`` method only if the
platform takes a share of them.
"""

from __future__ import annotations

from livemoney.kit import PlatformPlugin

from livemoney_myplatform import value
from livemoney_myplatform.readers import READERS
from livemoney_myplatform.rules import PLATFORM, SETTINGS

PLUGIN = PlatformPlugin(PLATFORM, SETTINGS, READERS, value)
