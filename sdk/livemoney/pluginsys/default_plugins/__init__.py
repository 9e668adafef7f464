"""The host's own plugins: ordinary plugin modules, registered by name when a plugin manager is made."""
