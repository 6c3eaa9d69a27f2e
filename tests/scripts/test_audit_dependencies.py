"""The dependency audit's decisions, fed canned pip-audit reports: no network."""

import datetime
import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies.py"
spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

TODAY = datetime.date(2026, 11, 23)
CLEAN = {
    "dependencies": [
        {"name": "django", "version": "5.2.19", "vulns": []},
        {"name": "whitenoise", "version": "6.9.0", "vulns": []},
    ],
    "fixes": [],
}
VULNERABLE = {
    "dependencies": [
        {
            "name": "django",
            "version": "5.2.19",
            "vulns": [
                {
                    "id": "PYSEC-2099-1",
                    "aliases": ["CVE-2099-0001", "GHSA-aaaa-bbbb-cccc"],
                    "fix_versions": ["5.2.20"],
                    "description": "Synthetic vulnerability for a test.",
                }
            ],
        },
        {"name": "whitenoise", "version": "6.9.0", "vulns": []},
    ],
    "fixes": [],
}
ALL_SKIPPED = {
    "dependencies": [
        {
            "name": name,
            "skip_reason": f"Dependency not found on PyPI and could not be audited: {name} (1.0)",
        }
        for name in ("django", "whitenoise", "qrcode")
    ],
    "fixes": [],
}


def accepted(id="CVE-2099-0001", review_by=datetime.date(2027, 1, 31)):
    return audit.AcceptedVulnerability(
        id=id, package="django", reason="Synthetic: the feature is not used.", review_by=review_by
    )


def text(outcome):
    return "\n".join(outcome.lines)


def test_a_clean_complete_audit_passes_and_says_so():
    outcome = audit.assess(CLEAN, [], TODAY, require_complete=True)
    assert (outcome.exit_code, outcome.lines) == (
        0,
        ["Dependency audit: no known vulnerabilities in the 2 locked packages."],
    )


def test_one_known_vulnerability_fails_naming_it_and_its_fix():
    outcome = audit.assess(VULNERABLE, [], TODAY, require_complete=False)
    assert outcome.exit_code == 1
    assert outcome.lines[0] == "VULNERABLE: django 5.2.19: PYSEC-2099-1 (fixed in: 5.2.20)"
    assert "no known vulnerabilities" not in text(outcome)


def test_an_accepted_vulnerability_passes_and_is_listed_with_its_reason():
    # Matched by an alias: pip-audit may report another id for the same advisory.
    outcome = audit.assess(VULNERABLE, [accepted()], TODAY, require_complete=True)
    assert (outcome.exit_code, outcome.lines) == (
        0,
        [
            "Accepted: django PYSEC-2099-1 until 2027-01-31: Synthetic: the feature is not used.",
            "Dependency audit: no known vulnerabilities in the 2 locked packages "
            "(1 accepted, listed above).",
        ],
    )


def test_an_expired_exception_no_longer_applies():
    outcome = audit.assess(
        VULNERABLE, [accepted(review_by=datetime.date(2026, 11, 1))], TODAY, True
    )
    assert outcome.exit_code == 1
    assert outcome.lines[0].startswith("Exception CVE-2099-0001 (django) expired on 2026-11-01")


@pytest.mark.parametrize(("require", "exit_code"), [(False, 0), (True, 1)])
def test_packages_that_could_not_be_audited_are_never_called_safe(require, exit_code):
    outcome = audit.assess(ALL_SKIPPED, [], TODAY, require_complete=require)
    assert outcome.exit_code == exit_code
    assert "3 of 3 locked packages could NOT be audited" in text(outcome)
    assert "  not audited: django, qrcode, whitenoise" in outcome.lines
    assert "  why: Dependency not found on PyPI and could not be audited" in outcome.lines
    assert "no known vulnerabilities" not in text(outcome).lower()


def test_a_vulnerability_fails_even_when_other_packages_were_skipped():
    report = {"dependencies": VULNERABLE["dependencies"] + ALL_SKIPPED["dependencies"]}
    outcome = audit.assess(report, [], TODAY, require_complete=False)
    assert outcome.exit_code == 1
    assert "3 of 5 locked packages could NOT be audited" in text(outcome)


@pytest.mark.parametrize(("require", "exit_code"), [(False, 0), (True, 1)])
def test_no_report_at_all_is_an_incomplete_audit(require, exit_code):
    outcome = audit.assess(None, [], TODAY, require_complete=require)
    assert outcome.exit_code == exit_code
    assert "NO package could be audited" in text(outcome)
    assert "no known vulnerabilities" not in text(outcome).lower()


def test_the_command_ignores_only_exceptions_in_force(tmp_path):
    command = audit.pip_audit_command(
        tmp_path / "requirements.lock",
        [accepted(), accepted(id="CVE-2000-0001", review_by=datetime.date(2020, 1, 1))],
        TODAY,
    )
    assert command[2:] == [
        "pip_audit",
        "-r",
        str(tmp_path / "requirements.lock"),
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--no-deps",
        "--disable-pip",
        "--ignore-vuln",
        "CVE-2099-0001",
    ]


@pytest.mark.parametrize(
    ("lock", "pinned"),
    [
        ("Django==5.2.19\npsycopg[binary]==3.2.1\n# a comment\n", True),
        ("Django==5.2.19\nwhitenoise>=6.9\n", False),
        ("", False),
    ],
)
def test_only_a_fully_pinned_lock_skips_dependency_resolution(lock, pinned):
    assert audit.is_fully_pinned(lock) is pinned


def test_exceptions_are_read_with_their_reason_and_review_date(tmp_path):
    path = tmp_path / "exceptions.toml"
    path.write_text(
        '[[exception]]\nid = "CVE-2099-0001"\npackage = "Django"\n'
        'reason = "Synthetic: the feature is not used."\nreview_by = 2027-01-31\n'
    )
    assert audit.load_exceptions(path) == [accepted()]


@pytest.mark.parametrize(
    "body",
    [
        '[[exception]]\nid = "CVE-2099-0001"\npackage = "django"\nreview_by = 2027-01-31\n',
        '[[exception]]\nid = "CVE-2099-0001"\npackage = "django"\nreason = "x"\n',
        '[[exception]]\nid = "CVE-2099-0001"\npackage = "django"\nreason = "x"\n'
        'review_by = "soon"\n',
        "not toml [",
    ],
)
def test_an_exception_without_reason_or_review_date_is_refused(tmp_path, body):
    path = tmp_path / "exceptions.toml"
    path.write_text(body)
    with pytest.raises(audit.ExceptionsFileError):
        audit.load_exceptions(path)


def test_the_projects_exceptions_file_is_valid():
    assert all(e.reason and e.review_by for e in audit.load_exceptions(audit.DEFAULT_EXCEPTIONS))


def _main(tmp_path, capsys, report=None, stdout=None, environ=None, exceptions=""):
    lock = tmp_path / "requirements.lock"
    lock.write_text("Django==5.2.19\nwhitenoise==6.9.0\n")
    exceptions_path = tmp_path / "exceptions.toml"
    exceptions_path.write_text(exceptions)
    commands = []

    def runner(command):
        commands.append(command)
        # pip-audit's own summary, which is wrong when packages were skipped.
        return (
            (1 if report is VULNERABLE else 0),
            (stdout if stdout is not None else json.dumps(report)),
            "No known vulnerabilities found\n",
        )

    code = audit.main(
        [str(lock), "--exceptions", str(exceptions_path)],
        runner=runner,
        today=TODAY,
        environ=environ or {},
    )
    return code, capsys.readouterr(), commands


def test_main_runs_pip_audit_on_the_lock_and_hides_its_misleading_summary(tmp_path, capsys):
    code, out, commands = _main(tmp_path, capsys, report=ALL_SKIPPED)
    assert (code, len(commands), "--no-deps" in commands[0]) == (0, 1, True)
    assert "No known vulnerabilities found" not in out.out + out.err
    assert "could NOT be audited" in out.out


def test_main_fails_an_incomplete_audit_when_required(tmp_path, capsys):
    code, out, _commands = _main(
        tmp_path, capsys, report=ALL_SKIPPED, environ={"REQUIRE_DEPENDENCY_AUDIT": "1"}
    )
    assert (code, "REQUIRE_DEPENDENCY_AUDIT=1: an incomplete audit fails." in out.out) == (
        1,
        True,
    )


def test_main_fails_on_a_vulnerability(tmp_path, capsys):
    code, out, _commands = _main(tmp_path, capsys, report=VULNERABLE)
    assert (code, "VULNERABLE: django 5.2.19: PYSEC-2099-1" in out.out) == (1, True)


def test_main_passes_a_clean_audit(tmp_path, capsys):
    code, out, _commands = _main(tmp_path, capsys, report=CLEAN)
    assert (code, out.out) == (
        0,
        "Dependency audit: no known vulnerabilities in the 2 locked packages.\n",
    )


def test_main_treats_garbage_from_pip_audit_as_nothing_audited(tmp_path, capsys):
    code, out, _commands = _main(tmp_path, capsys, stdout="Traceback: network is unreachable")
    assert (code, "NO package could be audited" in out.out) == (0, True)
    assert "no known vulnerabilities" not in (out.out + out.err).lower()


def test_main_refuses_a_bad_exceptions_file(tmp_path, capsys):
    code, out, commands = _main(
        tmp_path, capsys, report=CLEAN, exceptions='[[exception]]\nid = "X"\n'
    )
    assert (code, commands, "needs package, reason, review_by" in out.err) == (2, [], True)
