"""Append-only audit trail with a hash chain.

Rows are only ever inserted, by audit.services.record. The model refuses
updates and deletes; triggers refuse them in the database too, on PostgreSQL
and SQLite (append_only.py). There is one chain per council, and one for
events that belong to no council (a failed sign-in of an unknown address), so
councils never wait for each other's writes: each row's hash covers its
content and the hash of the previous row of its own chain. Events written
before the chains were split form the frozen "legacy" chain, verified as they
always were. Signed checkpoints kept outside the database pin every chain's end
(checkpoints.py), so `earlyhelp verify_audit` shows where any tampering
happened, including the newest rows removed.

Only the names of changed fields are stored, never their values: the audit
trail outlives case records, and retention must be able to erase personal data.
"""

import hashlib
import json
from datetime import datetime, timedelta

from django.apps import apps
from django.db import models
from django.db.models.fields.json import KeyTransform
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("Viewed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    ACCOUNT_LOCKED = "account_locked", _("Account locked")
    SIGN_OUT = "sign_out", _("Signed out")
    PERMISSION_DENIED = "permission_denied", _("Permission denied")
    OVERRIDE = "override", _("Override")


class AppendOnlyError(Exception):
    pass


# How far apart two web servers' clocks may be (see AuditQuerySet.written_since).
CLOCK_MARGIN = timedelta(days=1)


class AuditQuerySet(models.QuerySet):
    def written_since(self, *moments: datetime) -> "AuditQuerySet":
        """Events written after the earliest of `moments`: when the records an
        event is about came into being (a case's request, a person's
        creation), for nothing is recorded about a record before it exists.

        On PostgreSQL the table is partitioned by month of `created_at`
        (migration 0007): with this bound the planner leaves out each earlier
        month instead of planning a lookup in every partition, which cost
        more than the query itself (7-10 ms of planning against 2-5 of work
        for a case's "who has looked" at 63 months). A day's margin covers web
        servers whose clocks differ."""
        return self.filter(created_at__gte=min(moments) - CLOCK_MARGIN)

    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are append-only and cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit events are append-only and cannot be deleted.")


LEGACY_CHAIN = "legacy"
NO_COUNCIL_CHAIN = "no-council"


def chain_for(local_authority_id: int | None) -> str:
    """The chain an event of this council (or of none) is appended to."""
    return f"council-{local_authority_id}" if local_authority_id else NO_COUNCIL_CHAIN


class AuditEvent(models.Model):
    # Unique across chains and rising with time: it orders events of different
    # chains for people. Within a chain, `position` is what the hashes follow.
    sequence = models.PositiveBigIntegerField(unique=True)
    chain = models.CharField(max_length=40)
    # 1, 2, 3... within the chain; empty for the legacy chain, which is
    # numbered by `sequence` as it always was.
    position = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    # The case the event concerns, for "who has looked at this case". A plain
    # number, not a foreign key: retention may erase the case, never the trail.
    episode_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "created_at"]),
            # "Who has looked at this person" also reads the changes to their
            # restrictions, which name the person only in `changes`: without
            # this, every restriction event of the installation was read.
            models.Index(
                KeyTransform("person", "changes"),
                condition=models.Q(object_type="people.restriction"),
                name="audit_restriction_person",
            ),
            # Who recorded a case's changes (the case page's chronology,
            # episodes.chronology._Recorders): among the case's events, only
            # its changes, not the thousands of times it was looked at.
            models.Index(
                fields=["episode_id", "sequence"],
                condition=models.Q(action="update"),
                name="audit_case_changes",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["chain", "position"], name="audit_event_chain_position")
        ]

    def __str__(self):
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        # Not `pk is not None`: on PostgreSQL a new event comes with its id.
        if not self._state.adding:
            raise AppendOnlyError("Audit events are append-only and cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only and cannot be deleted.")

    @property
    def object_name(self):
        """What kind of record, in words ("episode", "assessment")."""
        try:
            return apps.get_model(self.object_type)._meta.verbose_name
        except (LookupError, ValueError):
            return self.object_type

    def content(self):
        """The fields the hash covers, in a stable form."""
        content = {
            "sequence": self.sequence,
            "created_at": self.created_at.isoformat(),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "local_authority_id": self.local_authority_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "changes": self.changes,
            "reason": self.reason,
            "ip_address": self.ip_address,
        }
        # Only where set, so events written before the field existed still verify.
        if self.episode_id is not None:
            content["episode_id"] = self.episode_id
        # Legacy events were hashed before chains existed; every newer hash
        # covers its chain and place, so an event cannot be moved to another.
        if self.chain != LEGACY_CHAIN:
            content["chain"] = self.chain
            content["position"] = self.position
        return content

    @property
    def number(self) -> int:
        """Its place in its chain."""
        return self.sequence if self.chain == LEGACY_CHAIN else self.position

    def compute_hash(self):
        payload = json.dumps(self.content(), sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256((self.prev_hash + payload).encode()).hexdigest()


GENESIS_HASH = "0" * 64


class AuditChainHead(models.Model):
    """One row per chain: its latest position and hash. Locking it serialises
    appends to that chain only. Triggers let it move only forward, and keep
    the legacy chain's frozen (append_only.py)."""

    chain = models.CharField(max_length=40, unique=True)
    sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self):
        return f"audit chain {self.chain} at #{self.sequence}"


class VerifiedPosition(models.Model):
    """How far `verify_audit` has verified each chain, so the next run starts
    there. Signed with the checkpoint key, which the database does not hold: a
    row rewritten in the database is refused and that chain verified in full."""

    chain = models.CharField(max_length=40, unique=True)
    sequence = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    verified_at = models.DateTimeField()
    signature = models.CharField(max_length=64)

    def __str__(self):
        return f"audit chain {self.chain} verified to #{self.sequence}"


class ArchivedStart(models.Model):
    """Where a chain starts in the database once its oldest months have been
    archived (`audit_partitions --archive-before`): the last archived event's
    number and hash, which the first event still here must follow. `verify_audit
    --full` starts there instead of at the genesis hash. Signed with the
    checkpoint key like VerifiedPosition, under a different mark, so neither can
    stand in for the other."""

    chain = models.CharField(max_length=40, unique=True)
    sequence = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    archived_before = models.DateTimeField()
    signature = models.CharField(max_length=64)

    def __str__(self):
        return f"audit chain {self.chain} archived to #{self.sequence}"
