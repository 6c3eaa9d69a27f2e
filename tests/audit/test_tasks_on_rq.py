"""Background work on RQ over Redis (TASKS_BACKEND=rq): the service's tasks are
queued in Redis and run by `earlyhelp rqworker`, the command production runs.

The worker runs in this process (SimpleWorker, --burst) so the test's database
is the one the task reads; it closes the database connection first, as it
does before forking in production, so these tests commit for real."""

import json

from django.core.management import call_command
from django_tasks import TaskResultStatus, task_backends

from audit.tasks import write_audit_checkpoint
from matching.tasks import queue_likely_duplicates


def run_worker(queue_name):
    call_command(
        "rqworker", queue_name, burst=True, worker_class="rq.worker.SimpleWorker", verbosity=0
    )


def test_the_audit_checkpoint_is_queued_in_redis_and_written_by_the_rq_worker(
    transactional_db, three_events, rq_queue, checkpoints
):
    import django_rq

    result = write_audit_checkpoint.using(queue_name=rq_queue).enqueue()

    assert result.status == TaskResultStatus.READY
    assert django_rq.get_queue(rq_queue).job_ids == [result.id]  # waiting in Redis
    assert not checkpoints.exists()  # nothing ran yet

    run_worker(rq_queue)

    [line] = [json.loads(text) for text in checkpoints.read_text().splitlines()]
    last = three_events[-1]
    assert line["chains"] == {last.chain: {"sequence": 3, "hash": last.hash}}
    done = task_backends["default"].get_result(result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == {last.chain: 3}
    assert django_rq.get_queue(rq_queue).count == 0


def test_the_duplicate_check_runs_through_rq_with_its_arguments(transactional_db, rq_queue):
    result = queue_likely_duplicates.using(queue_name=rq_queue).enqueue([])
    run_worker(rq_queue)
    done = task_backends["default"].get_result(result.id)
    assert (done.status, done.args, done.return_value) == (TaskResultStatus.SUCCESSFUL, [[]], 0)
