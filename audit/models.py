"""Append-only audit trail with a hash chain.

Rows are only ever inserted, by audit.services.record. The model refuses
updates and deletes; triggers refuse them in the database too, on PostgreSQL
and SQLite (append_only.py); each row's hash covers its content and the
previous row's hash, and signed checkpoints kept outside the database pin the
chain's end (checkpoints.py), so `earlyhelp verify_audit` shows where any
tampering happened, including the newest rows removed.

Only the names of changed fields are stored, never their values: the audit
trail outlives case records, and retention must be able to erase personal data.
"""

import hashlib
import json

from django.apps import apps
from django.db import models
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


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are append-only and cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit events are append-only and cannot be deleted.")


class AuditEvent(models.Model):
    sequence = models.PositiveBigIntegerField(unique=True)
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
        indexes = [models.Index(fields=["object_type", "object_id", "created_at"])]

    def __str__(self):
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
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
        return content

    def compute_hash(self):
        payload = json.dumps(self.content(), sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256((self.prev_hash + payload).encode()).hexdigest()


GENESIS_HASH = "0" * 64


class AuditChainHead(models.Model):
    """One row: the latest sequence and hash. Locking it serialises appends."""

    sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self):
        return f"audit chain head at #{self.sequence}"
