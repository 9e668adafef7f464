import livemoney_tiktok
import pytest
from livemoney.pluginsys.manager import get_plugin_manager


@pytest.fixture(scope="session")
def pm():
    """A manager with the host and the TikTok plugin only (valuation hooks are pure: safe to share)."""
    manager = get_plugin_manager(load_entry_points_=False)
    manager.register(livemoney_tiktok, name="tiktok")
    return manager
