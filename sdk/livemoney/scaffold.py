"""A new platform plugin from livemoney's template (``livemoney new-plugin NAME``).

The template, ``plugins/_template`` of the livemoney repository, is a complete plugin for the
platform ``myplatform`` ("My Platform") whose valuations say unknown until sources give the figures.
`new_plugin` copies it and renames it: the platform key, the module, the distribution, the setting
keys and the reader's name. The copy passes its own tests as it is. The key of an installed plugin is
refused (`installed_plugin`): a second distribution for one platform would clash with the first.
"""

from __future__ import annotations

import re
import shutil
from importlib.metadata import PackageNotFoundError, distribution, entry_points
from pathlib import Path

from livemoney.errors import ScaffoldError
from livemoney.pluginsys.manager import GROUP

TEMPLATE_KEY = "myplatform"
TEMPLATE_TITLE = "My Platform"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
TEXT_SUFFIXES = frozenset({".py", ".toml", ".md", ".txt", ".jsonl", ".json", ".cfg"})
SKIPPED = ("__pycache__", "*.egg-info", "build", "dist", ".pytest_cache", ".hypothesis")


def template_directory() -> Path:
    """The template folder of this copy of livemoney (a source checkout or an editable install)."""
    folder = Path(__file__).resolve().parents[2] / "plugins" / "_template"
    if not (folder / "pyproject.toml").is_file():
        raise ScaffoldError(
            f"the plugin template is not at {folder}: it ships with livemoney's source (plugins/_template); "
            "install livemoney from a checkout (pip install -e .) or pass template="
        )
    return folder


def installed_plugin(name: str) -> str | None:
    """The installed plugin a new plugin for platform ``name`` would clash with (``plugin 'tiktok'
    (distribution livemoney-tiktok 0.1.0)``): one whose entry point is ``name`` (a platform plugin's
    entry-point name is its key), or the distribution ``livemoney-NAME``; ``None`` when there is none."""
    for entry_point in entry_points(group=GROUP):
        if entry_point.name.lower() == name.lower():
            dist = entry_point.dist
            return f"plugin {entry_point.name!r} (distribution {dist.name} {dist.version})" if dist else repr(name)
    try:
        dist = distribution(f"livemoney-{name}")
    except PackageNotFoundError:
        return None
    return f"distribution {dist.metadata['Name']} {dist.version}"


def new_plugin(name: str, directory: str | Path, title: str | None = None, template: str | Path | None = None) -> Path:
    """Create the plugin for platform ``name`` in ``directory`` (a new folder) and return that folder.

    :param name: the platform key and entry-point name (``twitch``): lower-case letters, digits, ``_``.
    :param directory: the folder to create, e.g. ``livemoney-twitch``; it must not exist or be empty.
    :param title: the platform's display name (default: ``name`` capitalised, ``Twitch``).
    :param template: another template folder (default: livemoney's own).
    """
    if not NAME_PATTERN.match(name) or name.startswith("livemoney"):
        raise ScaffoldError(
            f"{name!r} is not a platform key: use lower-case letters, digits and '_', starting with a letter "
            "(e.g. twitch)"
        )
    installed = installed_plugin(name)
    if installed is not None:
        raise ScaffoldError(
            f"{name!r} is the platform key of an installed plugin, {installed}: a second plugin for it would clash "
            "with it; choose another key, or change that plugin's own source"
        )
    title = title.strip() if title else name.replace("_", " ").capitalize()
    if not title:
        raise ScaffoldError("the title is empty")
    if any(char in '"\\' or not char.isprintable() for char in title):
        raise ScaffoldError(
            f"the title {title!r} holds a double quote, a backslash or a control character: it is written into the "
            "plugin's pyproject.toml and Python strings as it is; choose a title without them"
        )
    source = Path(template) if template is not None else template_directory()
    target = Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} already exists and is not an empty folder")
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(*SKIPPED), dirs_exist_ok=True)
    for path in sorted(target.rglob("*"), key=lambda path: len(path.parts), reverse=True):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace(TEMPLATE_TITLE, title).replace(TEMPLATE_KEY, name), encoding="utf-8")
        if TEMPLATE_KEY in path.name:
            path.rename(path.with_name(path.name.replace(TEMPLATE_KEY, name)))
    return target
