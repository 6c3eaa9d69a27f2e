"""/health/ (core/health.py): 200 with each check's status while the database,
cache and task queue answer; 503 naming what failed when one does not."""

import json

from audit.tasks import write_audit_checkpoint
from core.health import FAILING, OK


def test_health_answers_without_sign_in_and_names_each_check(client, db):
    response = client.get("/health/")

    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    body = json.loads(response.content)
    assert body["status"] == OK
    assert body["failing"] == []
    assert set(body["checks"]) == {"database", "cache", "task queue"}
    assert body["checks"]["database"] == body["checks"]["cache"] == OK
    assert body["checks"]["task queue"] == "ok (ImmediateBackend)"
    assert "no-cache" in response["Cache-Control"]


def test_health_reports_the_database_queue_and_how_many_tasks_wait(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    body = json.loads(client.get("/health/").content)
    assert body["checks"]["task queue"] == "ok (DatabaseBackend: 0 waiting)"


def test_a_cache_that_cannot_be_reached_gives_503_naming_it(client, db, settings):
    # A Redis address where nothing listens (port 9 is "discard").
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    response = client.get("/health/")

    assert response.status_code == 503
    body = json.loads(response.content)
    assert (body["status"], body["failing"]) == (FAILING, ["cache"])
    assert body["checks"] == {
        "database": OK,
        "cache": FAILING,
        "task queue": "ok (ImmediateBackend)",
    }
    assert "127.0.0.1" not in response.content.decode()  # why is logged, not shown


def test_a_database_that_cannot_be_queried_gives_503(client, db, monkeypatch):
    from core import health

    def broken() -> str:
        raise ConnectionError("database unavailable")

    monkeypatch.setattr(health, "_database", lambda alias: broken)
    body = json.loads(client.get("/health/").content)
    assert (body["status"], body["failing"]) == (FAILING, ["database"])


def test_the_rq_queue_is_checked_by_a_redis_ping_and_counts_what_waits(client, db, rq_queue):
    import django_rq

    body = json.loads(client.get("/health/").content)
    assert body["checks"]["task queue"] == "ok (RQBackend: 0 waiting)"

    write_audit_checkpoint.using(queue_name=rq_queue).enqueue()
    body = json.loads(client.get("/health/").content)
    assert (body["status"], body["checks"]["task queue"]) == (OK, "ok (RQBackend: 1 waiting)")
    assert django_rq.get_queue(rq_queue).count == 1  # the check counted, it did not run it


def test_an_rq_queue_whose_redis_does_not_answer_gives_503_naming_the_queue(client, db, settings):
    # Nothing listens on port 9 ("discard"), so Redis refuses the ping.
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:9/3"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    response = client.get("/health/")

    assert response.status_code == 503
    body = json.loads(response.content)
    assert (body["status"], body["failing"]) == (FAILING, ["task queue"])
    assert body["checks"] == {"database": OK, "cache": OK, "task queue": FAILING}
    assert "127.0.0.1" not in response.content.decode()


def test_a_database_queue_whose_table_cannot_be_read_gives_503(client, db, settings):
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    table = DBTaskResult._meta.db_table
    with connection.cursor() as cursor:  # undone when the test's transaction rolls back
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
    response = client.get("/health/")

    assert response.status_code == 503
    body = json.loads(response.content)
    assert (body["failing"], body["checks"]["task queue"]) == (["task queue"], FAILING)
    assert body["checks"]["database"] == body["checks"]["cache"] == OK
    assert table not in response.content.decode()
