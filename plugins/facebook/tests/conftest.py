import livemoney as lm
import livemoney_facebook
import pytest


@pytest.fixture
def pm():
    """A fresh manager with the host and the Facebook plugin only."""
    manager = lm.get_plugin_manager(load_entry_points_=False)
    manager.register(livemoney_facebook.PLUGIN, name="facebook")
    return manager
