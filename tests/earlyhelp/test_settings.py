"""Settings come from the environment; these run the real import in a subprocess."""

import json
import os
import subprocess
import sys


def settings_in(env, expression):
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY"}
    }
    environment.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import json, earlyhelp.settings as s; print(json.dumps({expression}, default=str))",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = settings_in({"DEBUG": "0", "EARLYHELP_VAR_DIR": str(tmp_path)}, "s.SECRET_KEY")
    assert result.returncode == 1
    assert "SECRET_KEY is not set. With DEBUG off, set SECRET_KEY" in result.stderr


def test_development_generates_a_private_secret_key_once(tmp_path):
    env = {"EARLYHELP_VAR_DIR": str(tmp_path)}
    first = json.loads(settings_in(env, "s.SECRET_KEY").stdout)
    second = json.loads(settings_in(env, "s.SECRET_KEY").stdout)
    assert first == second == (tmp_path / "secret_key").read_text().strip()
    assert len(first) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_default_database_is_sqlite_under_var_in_wal_mode(tmp_path):
    result = settings_in({"EARLYHELP_VAR_DIR": str(tmp_path)}, "s.DATABASES['default']")
    database = json.loads(result.stdout)
    assert (database["ENGINE"], database["NAME"]) == (
        "django.db.backends.sqlite3",
        str(tmp_path / "earlyhelp.sqlite3"),
    )
    assert "PRAGMA journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert (database["OPTIONS"]["transaction_mode"], database["OPTIONS"]["timeout"]) == (
        "IMMEDIATE",
        20,
    )


def test_database_url_selects_postgresql(tmp_path):
    env = {
        "EARLYHELP_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://someone@db.example:5433/earlyhelp",
    }
    database = json.loads(settings_in(env, "s.DATABASES['default']").stdout)
    assert (database["ENGINE"], database["HOST"], database["PORT"], database["NAME"]) == (
        "django.db.backends.postgresql",
        "db.example",
        5433,
        "earlyhelp",
    )


def test_production_cookies_are_secure(tmp_path):
    env = {"DEBUG": "0", "SECRET_KEY": "x" * 60, "EARLYHELP_VAR_DIR": str(tmp_path)}
    values = json.loads(
        settings_in(
            env,
            "[s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
            "s.SECURE_HSTS_SECONDS, s.ALLOWED_HOSTS]",
        ).stdout
    )
    assert values == [True, True, True, 31536000, []]
