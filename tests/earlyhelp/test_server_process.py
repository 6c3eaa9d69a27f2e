"""Each web server process settles the loaded application before serving
(earlyhelp/server_process.py): the real WSGI import, in a subprocess."""

import json

from earlyhelp.server_process import YOUNG_COLLECTION_THRESHOLD
from tests.earlyhelp.test_settings import python_in

REPORT = (
    "import gc, json, sys; import earlyhelp.wsgi; "
    "print(json.dumps({'frozen': gc.get_freeze_count(), 'threshold': gc.get_threshold(), "
    "'views_loaded': 'episodes.views' in sys.modules, 'enabled': gc.isenabled()}))"
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
