"""The plugin system: the hooks (`hookspecs`), the plugin manager and loader (`manager`), and the host's
own plugin (`default_plugins.host`), registered like any other.

It imports the core and `livemoney.errors`, never the engine or a front end.
"""
