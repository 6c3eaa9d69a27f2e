"""Fail early, with what to do, when the browser tests cannot run."""

import os
import shutil
import sys
from pathlib import Path

chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
problems = []
if not (Path(chromium).exists() or shutil.which(chromium)):
    problems.append(
        f"Chromium was not found at {chromium}. Install Debian's package: "
        "apt-get install chromium fonts-liberation (or set CHROMIUM_PATH)."
    )
if not Path("node_modules/axe-core/axe.min.js").exists():
    problems.append("axe-core is missing: run `npm ci` (make assets does this).")
if problems:
    print("ERROR: the browser tests cannot run:\n- " + "\n- ".join(problems), file=sys.stderr)
    sys.exit(1)
