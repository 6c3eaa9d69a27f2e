"""Check the locked dependencies against the known-vulnerability databases.

    python scripts/audit_dependencies.py requirements.lock [--exceptions FILE]

Runs pip-audit over the lock file and decides:

- a known vulnerability that is not an accepted exception fails (exit 1);
- exceptions live in security/pip-audit-exceptions.toml, each with the
  vulnerability's id, the package, a reason and a `review_by` date; after that
  date it no longer counts (the vulnerability fails again until reviewed);
- a package pip-audit could not audit (the package index or the vulnerability
  service did not answer for it) is never reported as safe: a loud warning
  names how many and why. That exits 0 on a developer's machine, and 1 where
  REQUIRE_DEPENDENCY_AUDIT=1 (set it in CI);
- pip-audit itself failing (no report at all) is treated the same way: nothing
  could be audited;
- an unreadable exceptions file, or an exception without a reason or review
  date, exits 2.

Only a complete audit with nothing found prints "no known vulnerabilities".
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EXCEPTIONS = ROOT / "security" / "pip-audit-exceptions.toml"
REQUIRE_ENV = "REQUIRE_DEPENDENCY_AUDIT"
PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?==[^=\s;]+(\s*;.*)?$")


class ExceptionsFileError(Exception):
    pass


@dataclass(frozen=True)
class AcceptedVulnerability:
    id: str
    package: str
    reason: str
    review_by: datetime.date

    def applies(self, today):
        return today <= self.review_by


@dataclass
class Outcome:
    exit_code: int
    lines: list = field(default_factory=list)


def load_exceptions(path):
    """The accepted vulnerabilities in `path` (none if the file does not exist)."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ExceptionsFileError(f"{path}: not valid TOML: {error}") from error
    accepted = []
    for number, entry in enumerate(data.get("exception", []), start=1):
        missing = [
            key
            for key in ("id", "package", "reason", "review_by")
            if not str(entry.get(key, "")).strip()
        ]
        if missing:
            raise ExceptionsFileError(
                f"{path}: exception {number} needs {', '.join(missing)} "
                "(every exception carries a reason and a review date)"
            )
        review_by = entry["review_by"]
        if not isinstance(review_by, datetime.date) or isinstance(review_by, datetime.datetime):
            raise ExceptionsFileError(
                f"{path}: exception {number} ({entry['id']}): review_by must be a date, "
                "e.g. review_by = 2026-06-30"
            )
        accepted.append(
            AcceptedVulnerability(
                id=str(entry["id"]).strip(),
                package=str(entry["package"]).strip().lower(),
                reason=str(entry["reason"]).strip(),
                review_by=review_by,
            )
        )
    return accepted


def is_fully_pinned(lock_text):
    """Every requirement is `name==version`: no resolution is needed to audit it."""
    lines = [line.split("#")[0].strip() for line in lock_text.splitlines()]
    requirements = [line for line in lines if line and not line.startswith("-")]
    return bool(requirements) and all(PINNED.match(line) for line in requirements)


def pip_audit_command(lock_path, accepted, today, pinned=True):
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "-r",
        str(lock_path),
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    if pinned:
        # The lock pins every package: audit exactly those versions, without
        # installing them into a throwaway environment first.
        command += ["--no-deps", "--disable-pip"]
    for exception in accepted:
        if exception.applies(today):
            command += ["--ignore-vuln", exception.id]
    return command


def assess(report, accepted, today, require_complete):
    """The verdict on pip-audit's JSON report (None: pip-audit gave no report)."""
    lines = []
    in_force = [e for e in accepted if e.applies(today)]
    for exception in accepted:
        if not exception.applies(today):
            lines.append(
                f"Exception {exception.id} ({exception.package}) expired on "
                f"{exception.review_by.isoformat()}: review it in "
                "security/pip-audit-exceptions.toml; until then it is not applied."
            )
    if report is None:
        dependencies, skipped = [], None
    else:
        dependencies = report.get("dependencies", [])
        skipped = [d for d in dependencies if "skip_reason" in d]

    found, excepted = [], []
    for dependency in dependencies:
        for vulnerability in dependency.get("vulns", []):
            ids = {vulnerability.get("id"), *vulnerability.get("aliases", [])}
            match = next((e for e in in_force if e.id in ids), None)
            entry = (dependency, vulnerability, match)
            (excepted if match else found).append(entry)

    for dependency, vulnerability, _match in found:
        fixes = ", ".join(vulnerability.get("fix_versions", [])) or "none yet"
        lines.append(
            f"VULNERABLE: {dependency['name']} {dependency.get('version', '?')}: "
            f"{vulnerability.get('id')} (fixed in: {fixes})"
        )
    for dependency, vulnerability, match in excepted:
        lines.append(
            f"Accepted: {dependency['name']} {vulnerability.get('id')} until "
            f"{match.review_by.isoformat()}: {match.reason}"
        )

    incomplete = report is None or bool(skipped)
    if incomplete:
        lines.extend(_incomplete_warning(dependencies, skipped, require_complete))

    audited = len(dependencies) - len(skipped or [])
    if found:
        lines.append(
            f"Dependency audit FAILED: {len(found)} known "
            f"vulnerabilit{'y' if len(found) == 1 else 'ies'} in requirements.lock. "
            "Upgrade the package, or record an exception with a reason and a review "
            "date in security/pip-audit-exceptions.toml."
        )
        return Outcome(1, lines)
    if incomplete:
        return Outcome(1 if require_complete else 0, lines)
    note = f" ({len(excepted)} accepted, listed above)" if excepted else ""
    lines.append(
        f"Dependency audit: no known vulnerabilities in the {audited} locked packages{note}."
    )
    return Outcome(0, lines)


def _incomplete_warning(dependencies, skipped, require_complete):
    bar = "!" * 78
    if skipped is None:
        what = "pip-audit produced no report: NO package could be audited."
        reasons = []
    else:
        what = (
            f"{len(skipped)} of {len(dependencies)} locked packages could NOT be audited; "
            "they may have known vulnerabilities."
        )
        reasons = sorted({_reason(d["skip_reason"]) for d in skipped})
    lines = [bar, f"WARNING: dependency audit incomplete. {what}"]
    lines += [f"  why: {reason}" for reason in reasons[:5]]
    if skipped:
        names = ", ".join(sorted(d["name"] for d in skipped))
        lines.append(f"  not audited: {names}")
    lines.append(
        "  (pip-audit looks up each pinned version on the package index; where the "
        "index or the vulnerability service does not answer, e.g. a 404 from the "
        "per-version JSON endpoint, that package is skipped, not cleared.)"
    )
    if require_complete:
        lines.append(f"  {REQUIRE_ENV}=1: an incomplete audit fails.")
    else:
        lines.append(f"  Set {REQUIRE_ENV}=1 (as CI should) to make an incomplete audit fail.")
    lines.append(bar)
    return lines


def _reason(skip_reason):
    """The reason without the package's own name and version, so they group."""
    return re.sub(r":\s*\S+ \([^)]*\)\s*$", "", skip_reason).strip()


def parse_report(stdout):
    try:
        report = json.loads(stdout)
    except (json.JSONDecodeError, TypeError):
        return None
    return report if isinstance(report, dict) and "dependencies" in report else None


def run(command):
    completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    return completed.returncode, completed.stdout, completed.stderr


def main(argv=None, runner=run, today=None, environ=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lock", type=Path)
    parser.add_argument("--exceptions", type=Path, default=DEFAULT_EXCEPTIONS)
    args = parser.parse_args(argv)
    today = today or datetime.date.today()
    environ = os.environ if environ is None else environ
    require_complete = environ.get(REQUIRE_ENV) == "1"
    try:
        accepted = load_exceptions(args.exceptions)
    except ExceptionsFileError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2
    pinned = is_fully_pinned(args.lock.read_text(encoding="utf-8"))
    returncode, stdout, stderr = runner(pip_audit_command(args.lock, accepted, today, pinned))
    report = parse_report(stdout)
    if report is None:
        # pip-audit's own words about why it failed; never its summary line.
        said = [
            line for line in stderr.splitlines() if "no known vulnerabilities" not in line.lower()
        ]
        print(
            "\n".join(said).strip() or f"pip-audit exited with status {returncode}", file=sys.stderr
        )
    outcome = assess(report, accepted, today, require_complete)
    for line in outcome.lines:
        print(line)
    return outcome.exit_code


if __name__ == "__main__":
    sys.exit(main())
