"""The plugin manager survives a plugin whose hook name is misspelt, and honours the env variables."""

import pytest
from livemoney.pluginsys.manager import get_plugin_manager

TYPO = """
from livemoney import hookimpl

@hookimpl
def livemoney_value_gifts(platform, gift, context):
    return None
"""


@pytest.fixture
def typo_installed(tmp_path, monkeypatch):
    (tmp_path / "livemoney_typo.py").write_text(TYPO)
    info = tmp_path / "livemoney_typo-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: livemoney-typo\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text("[livemoney]\ntypo = livemoney_typo\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for variable in ("LIVEMONEY_LOAD_PLUGINS", "LIVEMONEY_DISABLE_PLUGINS"):
        monkeypatch.delenv(variable, raising=False)


def test_a_misspelt_hook_fails_that_plugin_alone(typo_installed):
    pm = get_plugin_manager()  # check_pending() would raise if the plugin had stayed registered
    (failure,) = [f for f in pm.failures if f.name == "typo"]
    assert failure.distribution == "livemoney-typo"
    assert "livemoney_value_gifts" in failure.error
    assert pm.get_plugin("typo") is None and pm.get_plugin("facebook") is not None


def test_load_and_disable_variables_choose_what_loads(typo_installed, monkeypatch):
    monkeypatch.setenv("LIVEMONEY_LOAD_PLUGINS", "livemoney-facebook,youtube")
    assert sorted(p.name for p in get_plugin_manager().loaded) == ["facebook", "youtube"]
    monkeypatch.setenv("LIVEMONEY_LOAD_PLUGINS", "")
    assert get_plugin_manager().loaded == []
    monkeypatch.delenv("LIVEMONEY_LOAD_PLUGINS")
    monkeypatch.setenv("LIVEMONEY_DISABLE_PLUGINS", "typo, livemoney-tiktok")
    loaded = {p.name for p in get_plugin_manager().loaded}
    assert "tiktok" not in loaded and "typo" not in loaded and "facebook" in loaded
