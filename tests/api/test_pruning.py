"""Idempotency keys are forgotten after IDEMPOTENCY_HOURS, by the daily job."""

from datetime import timedelta

from django.utils import timezone

from api import idempotency, tasks
from api.models import IdempotencyKey


def remembered(client, key, hours_ago):
    return IdempotencyKey.objects.create(
        client=client,
        key=key,
        request_hash="0" * 64,
        status_code=201,
        body={"id": 1},
        created_at=timezone.now() - timedelta(hours=hours_ago),
    )


def test_keys_older_than_the_retention_are_deleted_and_newer_ones_kept(la, other_la, make_client):
    client, _ = make_client()
    foreign, _ = make_client(council=other_la, name="Far")
    remembered(client, "old", hours_ago=idempotency.IDEMPOTENCY_HOURS + 1)
    remembered(foreign, "old-elsewhere", hours_ago=idempotency.IDEMPOTENCY_HOURS + 1)
    kept = remembered(client, "recent", hours_ago=idempotency.IDEMPOTENCY_HOURS - 1)

    assert idempotency.prune() == 2
    assert list(IdempotencyKey.objects.all()) == [kept]


def test_the_daily_job_prunes(la, make_client):
    client, _ = make_client()
    remembered(client, "old", hours_ago=25)

    result = tasks.prune_idempotency_keys.enqueue()

    assert result.return_value == 1
    assert not IdempotencyKey.objects.exists()
