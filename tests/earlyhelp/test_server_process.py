"""Each web server process settles the loaded application before serving
(earlyhelp/server_process.py): the real WSGI import, in a subprocess."""

import json
import os
import subprocess
import sys

from earlyhelp.server_process import YOUNG_COLLECTION_THRESHOLD

REPORT = (
    "import gc, json, sys; import earlyhelp.wsgi; "
    "print(json.dumps({'frozen': gc.get_freeze_count(), 'threshold': gc.get_threshold(), "
    "'views_loaded': 'episodes.views' in sys.modules, 'enabled': gc.isenabled()}))"
)


def test_the_wsgi_application_freezes_what_it_loaded_and_collects_less_often(tmp_path):
    ours = {"DATABASE_URL", "DATABASE_POOLER", "DEBUG", "SECRET_KEY", "TASKS_BACKEND"}
    environment = {k: v for k, v in os.environ.items() if k not in ours}
    environment["EARLYHELP_VAR_DIR"] = str(tmp_path / "var")
    result = subprocess.run(
        [sys.executable, "-c", REPORT],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    # The views were imported (by the URL configuration) before the freeze.
    assert report["views_loaded"]
    assert report["frozen"] > 50_000
    assert report["threshold"][0] == YOUNG_COLLECTION_THRESHOLD
    # Collection still runs: cycles are still freed.
    assert report["enabled"]
