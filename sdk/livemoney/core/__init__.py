"""The core: money, the data model, the canonical event format, exchange rates, settings, one valuation.

It knows no plugin, no engine and no front end: every module here imports only `livemoney.errors`, the
standard library, third-party packages and other modules of the core.
"""
