"""A platform plugin whose import fails, as when a dependency is missing: the tests' broken plugin."""

import livemoney_dependency_that_is_not_installed  # noqa: F401
