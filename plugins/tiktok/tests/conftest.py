import livemoney as lm
import livemoney_tiktok
import pytest


@pytest.fixture(scope="session")
def pm():
    """A manager with the host and the TikTok plugin only (valuation hooks are pure: safe to share)."""
    manager = lm.get_plugin_manager(load_entry_points_=False)
    manager.register(livemoney_tiktok.PLUGIN, name="tiktok")
    return manager
