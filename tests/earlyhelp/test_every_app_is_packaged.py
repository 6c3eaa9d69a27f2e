"""Every app of ours is in the installed package: an app left out of
pyproject.toml's list works from the checkout but stops `earlyhelp` starting
once installed ("No module named ..."), which only a fresh install shows."""

import tomllib
from fnmatch import fnmatch
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]


def test_every_app_of_ours_is_in_the_package_list():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"
    ]["find"]["include"]
    ours = {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and "site-packages" not in Path(config.path).parts
    }
    missing = sorted(app for app in ours if not any(fnmatch(app, p) for p in patterns))
    assert missing == [], f"add {missing} to [tool.setuptools.packages.find] include"
