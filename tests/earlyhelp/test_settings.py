"""Settings come from the environment; these run the real import in a subprocess."""

import json
import os
import subprocess
import sys

import pytest


def python_in(env, code):
    """`code` run by a new Python with `env` set; the suite's own database and
    queue settings (a pooled PostgreSQL run) stay out."""
    ours = {"DATABASE_URL", "DATABASE_POOLER", "DEBUG", "SECRET_KEY", "TASKS_BACKEND"}
    ours |= {"REDIS_URL", "TASKS_REDIS_URL"}
    environment = {k: v for k, v in os.environ.items() if k not in ours}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def settings_in(env, expression):
    return python_in(
        env, f"import json, earlyhelp.settings as s; print(json.dumps({expression}, default=str))"
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = settings_in({"DEBUG": "0", "EARLYHELP_VAR_DIR": str(tmp_path)}, "s.SECRET_KEY")
    assert result.returncode == 1
    assert "SECRET_KEY is not set. With DEBUG off, set SECRET_KEY" in result.stderr


def prepare(env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    environment.update(env)
    subprocess.run(
        [sys.executable, "-c", "from earlyhelp.environment import prepare_local_files as p; p()"],
        env=environment,
        check=True,
    )


def test_the_earlyhelp_command_generates_a_private_secret_key_once(tmp_path):
    env = {"EARLYHELP_VAR_DIR": str(tmp_path / "var")}
    prepare(env)
    prepare(env)
    first = json.loads(settings_in(env, "s.SECRET_KEY").stdout)
    second = json.loads(settings_in(env, "s.SECRET_KEY").stdout)
    assert first == second == (tmp_path / "var" / "secret_key").read_text().strip()
    assert len(first) >= 50
    assert oct((tmp_path / "var" / "secret_key").stat().st_mode & 0o777) == "0o600"
    assert (tmp_path / "var" / "audit_checkpoint_key").exists()
    assert (tmp_path / "var" / "staticfiles").is_dir()


def test_importing_settings_creates_no_folders_or_files(tmp_path):
    for env in ({}, {"DEBUG": "0", "SECRET_KEY": "k" * 50}):
        result = settings_in(
            {"EARLYHELP_VAR_DIR": str(tmp_path / "var"), **env}, "s.DATABASES['default']['NAME']"
        )
        assert result.returncode == 0, result.stderr
        assert not (tmp_path / "var").exists()


def test_production_with_its_own_database_gets_nothing_written(tmp_path):
    prepare(
        {
            "EARLYHELP_VAR_DIR": str(tmp_path / "var"),
            "DEBUG": "0",
            "DATABASE_URL": "postgres://someone@db.example/earlyhelp",
        }
    )
    assert not (tmp_path / "var").exists()


@pytest.mark.parametrize("name", ["DEBUG", "DEMO_MODE", "EMAIL_USE_TLS", "SECURE_HSTS_PRELOAD"])
@pytest.mark.parametrize("typo", ["flase", "ture", "2", "yes please", "0ff"])
def test_a_yes_no_setting_with_a_typo_fails_loudly(tmp_path, name, typo):
    env = {"EARLYHELP_VAR_DIR": str(tmp_path), name: typo}
    if name == "SECURE_HSTS_PRELOAD":
        env.update(DEBUG="0", SECRET_KEY="k" * 50)
    result = settings_in(env, "s.DEBUG")
    assert result.returncode == 1
    assert f"{name} is set to '{typo}', which is not a yes/no value" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", False), ("off", False), (" No ", False), ("1", True), ("TRUE", True), ("on", True)],
)
def test_yes_no_settings_accept_the_usual_words(tmp_path, value, expected):
    result = settings_in({"EARLYHELP_VAR_DIR": str(tmp_path), "DEMO_MODE": value}, "s.DEMO_MODE")
    assert json.loads(result.stdout) is expected


def test_a_number_setting_that_is_not_a_number_fails_loudly(tmp_path):
    result = settings_in(
        {"EARLYHELP_VAR_DIR": str(tmp_path), "SESSION_IDLE_TIMEOUT": "30 minutes"},
        "s.SESSION_IDLE_TIMEOUT",
    )
    assert result.returncode == 1
    assert "SESSION_IDLE_TIMEOUT is set to '30 minutes', which is not a whole number" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("name", "expression"),
    [
        ("SECRET_KEY", "s.SECRET_KEY"),
        ("DATABASE_URL", "s.DATABASES['default']['HOST']"),
        ("EMAIL_HOST_PASSWORD", "s.EMAIL_HOST_PASSWORD"),
        ("AUDIT_CHECKPOINT_KEY", "s.AUDIT_CHECKPOINT_KEY"),
        ("SECRETS_ENCRYPTION_KEY", "s.SECRETS_ENCRYPTION_KEYS[0]"),
    ],
)
def test_every_secret_can_be_read_from_a_file(tmp_path, name, expression):
    value = "postgres://someone@db.example/earlyhelp" if name == "DATABASE_URL" else "s3cret" * 9
    secret_file = tmp_path / name.lower()
    secret_file.write_text(value + "\n")
    env = {"EARLYHELP_VAR_DIR": str(tmp_path), "DEBUG": "0", f"{name}_FILE": str(secret_file)}
    if name != "SECRET_KEY":
        env["SECRET_KEY"] = "k" * 50
    result = settings_in(env, expression)
    assert result.returncode == 0, result.stderr
    expected = "db.example" if name == "DATABASE_URL" else value
    assert json.loads(result.stdout) == expected


def test_a_secret_file_that_cannot_be_read_says_so(tmp_path):
    env = {"EARLYHELP_VAR_DIR": str(tmp_path), "SECRET_KEY_FILE": str(tmp_path / "missing")}
    result = settings_in(env, "s.SECRET_KEY")
    assert result.returncode == 1
    assert f"SECRET_KEY_FILE is set to {tmp_path / 'missing'}, which cannot be read" in (
        result.stderr
    )


def test_a_secret_set_twice_is_refused(tmp_path):
    secret_file = tmp_path / "key"
    secret_file.write_text("x" * 50)
    env = {
        "EARLYHELP_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "y" * 50,
        "SECRET_KEY_FILE": str(secret_file),
    }
    result = settings_in(env, "s.SECRET_KEY")
    assert result.returncode == 1
    assert "Set SECRET_KEY or SECRET_KEY_FILE, not both." in result.stderr


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


def test_postgresql_connections_run_without_jit_and_are_kept_with_health_checks(tmp_path):
    env = {
        "EARLYHELP_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://someone@db.example:5433/earlyhelp",
    }
    database = json.loads(settings_in(env, "s.DATABASES['default']").stdout)
    assert database["OPTIONS"]["options"] == "-c jit=off -c random_page_cost=1.1"
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (60, True)


def test_conn_max_age_can_be_set_for_postgresql(tmp_path):
    env = {
        "EARLYHELP_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://someone@db.example:5433/earlyhelp",
        "CONN_MAX_AGE": "0",
    }
    database = json.loads(settings_in(env, "s.DATABASES['default']").stdout)
    assert database["CONN_MAX_AGE"] == 0


def test_sqlite_connections_are_not_kept_and_get_no_postgresql_options(tmp_path):
    database = json.loads(
        settings_in({"EARLYHELP_VAR_DIR": str(tmp_path)}, "s.DATABASES['default']").stdout
    )
    assert database["CONN_MAX_AGE"] == 0
    assert "options" not in database["OPTIONS"]


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


def test_tasks_run_in_the_process_that_queues_them_by_default(tmp_path):
    tasks = json.loads(settings_in({"EARLYHELP_VAR_DIR": str(tmp_path)}, "s.TASKS").stdout)
    assert tasks["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"


@pytest.mark.parametrize(
    ("chosen", "backend"),
    [
        ("database", "django_tasks_db.DatabaseBackend"),
        ("django_tasks_db.DatabaseBackend", "django_tasks_db.DatabaseBackend"),
        ("rq", "django_tasks_rq.RQBackend"),
    ],
)
def test_tasks_backend_is_chosen_by_name_or_class_path(tmp_path, chosen, backend):
    env = {
        "EARLYHELP_VAR_DIR": str(tmp_path),
        "TASKS_BACKEND": chosen,
        "REDIS_URL": "redis://queue.example:6379/2",
    }
    tasks, queues = json.loads(settings_in(env, "[s.TASKS, s.RQ_QUEUES]").stdout)
    assert tasks["default"]["BACKEND"] == backend
    assert queues == {"default": {"URL": "redis://queue.example:6379/2"}}


def test_the_queue_may_have_a_redis_of_its_own(tmp_path):
    env = {
        "EARLYHELP_VAR_DIR": str(tmp_path),
        "TASKS_BACKEND": "rq",
        "REDIS_URL": "redis://cache.example:6379/0",
        "TASKS_REDIS_URL": "redis://queue.example:6379/0",
    }
    caches, queues = json.loads(settings_in(env, "[s.CACHES, s.RQ_QUEUES]").stdout)
    assert caches["default"]["LOCATION"] == "redis://cache.example:6379/0"
    assert queues == {"default": {"URL": "redis://queue.example:6379/0"}}


def test_rq_without_redis_url_stops_the_service_with_a_message(tmp_path):
    env = {"EARLYHELP_VAR_DIR": str(tmp_path), "TASKS_BACKEND": "rq"}
    result = settings_in(env, "s.TASKS")
    assert result.returncode == 1
    assert "TASKS_BACKEND=rq queues background work in Redis, but REDIS_URL is not set" in (
        result.stderr
    )


def test_an_unknown_tasks_backend_is_refused_with_the_choices(tmp_path):
    env = {"EARLYHELP_VAR_DIR": str(tmp_path), "TASKS_BACKEND": "redis"}
    result = settings_in(env, "s.TASKS")
    assert result.returncode == 1
    assert "TASKS_BACKEND is set to 'redis'. Use one of immediate, database, rq" in result.stderr
