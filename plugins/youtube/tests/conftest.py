import livemoney as lm
import livemoney_youtube
import pytest


@pytest.fixture(scope="session")
def pm():
    """A manager with the host and the YouTube plugin only (valuation hooks are pure: safe to share)."""
    manager = lm.get_plugin_manager(load_entry_points_=False)
    manager.register(livemoney_youtube.PLUGIN, name="youtube")
    return manager
