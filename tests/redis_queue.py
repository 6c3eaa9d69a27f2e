"""A Redis for the RQ tests: the server at TEST_REDIS_URL (by default
127.0.0.1:6379, database 11, never the default database 0), and a queue name of
the test's own, removed afterwards, so runs side by side never share jobs.

Without a Redis the tests are left out on a developer's machine with the reason,
and fail in CI (CI=true), which must test the queue for real.
"""

import os
import uuid

import pytest
import redis

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


def require_redis(url: str = TEST_REDIS_URL) -> redis.Redis:
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        message = f"Redis is not reachable at {url}: {type(error).__name__}: {error}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}. CI must test the RQ queue against a real Redis.")
        pytest.skip(f"{message} (CI runs these tests; start Redis or set TEST_REDIS_URL)")
    return client


@pytest.fixture
def rq_queue(settings):
    """Tasks queued on RQ, in a queue of this test's own; yields its name."""
    client = require_redis()
    name = f"test-{uuid.uuid4().hex[:12]}"
    # django-tasks-rq reads results back through the "default" connection.
    settings.RQ_QUEUES = {name: {"URL": TEST_REDIS_URL}, "default": {"URL": TEST_REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}}
    yield name
    _remove_queue(client, name)
    client.close()


def _remove_queue(client: redis.Redis, queue_name: str) -> None:
    """The queue's own keys, its jobs and their results."""
    job_ids = [
        key.decode().removeprefix("rq:job:")
        for key in client.scan_iter(match="rq:job:*", _type="hash")
        if client.hget(key, "origin") == queue_name.encode()
    ]
    keys = list(client.scan_iter(match=f"rq:*{queue_name}*"))
    keys += [f"rq:job:{job_id}" for job_id in job_ids]
    keys += [f"rq:results:{job_id}" for job_id in job_ids]
    if keys:
        client.delete(*keys)
    client.srem("rq:queues", f"rq:queue:{queue_name}")
