import livemoney_instagram
import pytest
from livemoney.pluginsys.manager import get_plugin_manager


@pytest.fixture
def pm():
    """A fresh manager with the host and the Instagram plugin only."""
    manager = get_plugin_manager(load_entry_points_=False)
    manager.register(livemoney_instagram, name="instagram")
    return manager
