"""Each web server process settles the loaded application before serving
(earlyhelp/server_process.py): the real WSGI import, in a subprocess."""

import json

from earlyhelp.server_process import YOUNG_COLLECTION_THRESHOLD
from tests.earlyhelp.test_settings import python_in

REPORT = (
    "import gc, json, sys; import earlyhelp.wsgi; "
    "from django.template import engines; "
    "from django.utils.translation import trans_real; "
    "from earlyhelp.server_process import project_template_names; "
    "cache = engines['django'].engine.template_loaders[0].get_template_cache; "
    "print(json.dumps({'frozen': gc.get_freeze_count(), 'threshold': gc.get_threshold(), "
    "'views_loaded': 'episodes.views' in sys.modules, 'enabled': gc.isenabled(), "
    "'compiled': sorted(cache), 'templates': project_template_names(), "
    "'languages': sorted(trans_real._translations)}))"
)


def test_the_wsgi_application_freezes_what_it_loaded_and_collects_less_often(tmp_path):
    result = python_in({"EARLYHELP_VAR_DIR": str(tmp_path / "var")}, REPORT)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    # The views were imported (by the URL configuration) before the freeze.
    assert report["views_loaded"]
    assert report["frozen"] > 50_000
    assert report["threshold"][0] == YOUNG_COLLECTION_THRESHOLD
    # Collection still runs: cycles are still freed.
    assert report["enabled"]


def test_the_wsgi_application_compiles_every_template_and_language_before_serving(tmp_path):
    # A new server process's first page with the whole layout took 82 ms,
    # not 11: its templates were compiled by the first user's request.
    result = python_in({"EARLYHELP_VAR_DIR": str(tmp_path / "var")}, REPORT)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(report["templates"]) > 150
    assert "episodes/episode_detail.html" in report["templates"]
    # Only the project's own: not the packages' (the admin's hundred).
    assert not [name for name in report["templates"] if name.startswith("admin/")]
    assert set(report["templates"]) <= set(report["compiled"])
    assert {"en-gb", "en", "pl", "ar", "ps", "ro", "uk"} <= set(report["languages"])
