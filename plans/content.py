"""What the family reads in a version of the plan, as a fingerprint.

Each review makes a new version carrying the progress recorded, but the
family's copy says the same: the goals, and for each action what will be done,
who does it, by when and how everyone will know it worked. A copy is owed only
when that changes, so the fingerprint leaves out statuses, reasons and notes.

Kept free of model imports so the migration that fills it in for existing
versions can use it with its historical models."""

import hashlib
import json


def _action_row(action) -> str:
    return json.dumps(
        [
            action.what,
            action.organisation_id,
            action.worker_id,
            action.due_by.isoformat(),
            action.success_measure,
        ]
    )


def family_content(plan) -> str:
    """The fingerprint of `plan`'s family-readable content (64 hex digits).
    Goals keep their order (the copy numbers them); actions under a goal are
    compared as a set, as the copy orders them by date."""
    content = [
        [
            goal.text,
            goal.lead_organisation_id,
            sorted(_action_row(action) for action in goal.actions.all()),
        ]
        for goal in plan.goals.order_by("id").prefetch_related("actions")
    ]
    return hashlib.sha256(json.dumps(content).encode()).hexdigest()
