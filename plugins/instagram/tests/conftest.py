import livemoney as lm
import livemoney_instagram
import pytest


@pytest.fixture
def pm():
    """A fresh manager with the host and the Instagram plugin only."""
    manager = lm.get_plugin_manager(load_entry_points_=False)
    manager.register(livemoney_instagram.PLUGIN, name="instagram")
    return manager
