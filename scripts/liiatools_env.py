"""Make (once) the virtual environment that runs `liiatools`, the package
councils clean their Ofsted Annex A files with, so the tests can check our
Annex A export against it.

liiatools 0.2.0 pins pandas below 2 (and so numpy below 2), which the service
cannot share, so it gets its own environment: .venv/liiatools (or
$LIIATOOLS_VENV), from the pinned scripts/liiatools-requirements.txt, installed
with --no-deps (the file lists every package; see its header for cchardet),
by uv when $UV names it (the Makefile's), else by pip.

Idempotent: a stamp in the environment records the requirements file's hash
and the Python it was made with; a second run with both unchanged does nothing
and takes well under a second. A lock keeps two test runs from building it at
once. Needs a Python from 3.9 to 3.11 (pandas 1.5 has no wheels beyond 3.11):
this one if it fits, else python3.11, python3.10 or python3.9 from PATH, or
$LIIATOOLS_PYTHON.

    python scripts/liiatools_env.py        # prints the environment's python
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "scripts" / "liiatools-requirements.txt"
CHECK = "import liiatools.datasets.annex_a.annex_a_cli"
STAMP_NAME = ".earlyhelp-ready"
FITS = "import sys; sys.exit(0 if (3, 9) <= sys.version_info < (3, 12) else 1)"


def venv_dir() -> Path:
    return Path(os.environ.get("LIIATOOLS_VENV") or ROOT / ".venv" / "liiatools")


def _fits(python: str) -> bool:
    try:
        result = subprocess.run(  # noqa: S603  (a Python found on PATH, fixed arguments)
            [python, "-c", FITS],
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def find_python() -> str:
    """A Python that liiatools' pinned packages install on."""
    wanted = os.environ.get("LIIATOOLS_PYTHON")
    if wanted:
        if not _fits(wanted):
            raise SystemExit(f"LIIATOOLS_PYTHON={wanted} is not a Python from 3.9 to 3.11.")
        return wanted
    candidates = [sys.executable] + [
        found for name in ("python3.11", "python3.10", "python3.9") if (found := shutil.which(name))
    ]
    for python in candidates:
        if _fits(python):
            return python
    raise SystemExit(
        "liiatools 0.2.0 needs Python 3.9, 3.10 or 3.11 (pandas 1.5); none was found. "
        "Install one, or set LIIATOOLS_PYTHON=/path/to/python3.11."
    )


def _python_in(venv: Path) -> Path:
    return venv / "bin" / "python"


def _wanted_stamp(python: str) -> str:
    version = subprocess.run(  # noqa: S603  (fixed arguments)
        [python, "-c", "import sys; print(sys.version)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    return f"{digest}\n{version}\n"


def _ready(venv: Path) -> bool:
    stamp = venv / STAMP_NAME
    python = _python_in(venv)
    if not (stamp.is_file() and python.is_file()):
        return False
    try:
        return stamp.read_text() == _wanted_stamp(str(python))
    except (OSError, subprocess.CalledProcessError):
        return False


def _installer(venv: Path) -> list[str]:
    """`pip install` for the environment: uv's when $UV names it (the
    Makefile passes the service environment's, which installs the same pinned
    files in a fraction of pip's time), else the environment's own pip."""
    uv = os.environ.get("UV")
    if uv and Path(uv).exists():
        return [uv, "pip", "install", "--python", str(_python_in(venv))]
    return [str(_python_in(venv)), "-m", "pip", "--disable-pip-version-check", "install"]


def ensure(quiet: bool = True) -> Path:
    """The environment's python, after making the environment if it is
    missing or out of date."""
    venv = venv_dir()
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.parent / f"{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _ready(venv):
            # Newer than this script and the requirements, for make.
            (venv / STAMP_NAME).touch()
            return _python_in(venv)
        python = find_python()
        if venv.exists():
            shutil.rmtree(venv)
        if not quiet:
            print(f"Making {venv} with {python} (once)...", file=sys.stderr)
        subprocess.run([python, "-m", "venv", str(venv)], check=True)  # noqa: S603
        subprocess.run(  # noqa: S603  (the pinned file in this repository)
            [*_installer(venv), "--quiet", "--no-deps", "-r", str(REQUIREMENTS)], check=True
        )
        subprocess.run([str(_python_in(venv)), "-c", CHECK], check=True)  # noqa: S603
        (venv / STAMP_NAME).write_text(_wanted_stamp(str(_python_in(venv))))
        return _python_in(venv)


if __name__ == "__main__":
    print(ensure(quiet=False))
