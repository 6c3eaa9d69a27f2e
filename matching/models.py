"""What matching keeps: a folded copy of each person's matching details, the
keys that find them, pairs found as likely duplicates, and merges (so each
can be undone)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority
from core.council_records import CouncilManager
from people.models import Person

from .details import Details


class MatchProfile(models.Model):
    """A person's details as matching reads them, parents' names included, so
    that scoring a candidate needs no joins. Kept up to date by
    matching.indexing whenever a person or their family changes."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="match_profile"
    )
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    first_name = models.CharField(max_length=100)
    other_names = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True)
    sex = models.CharField(max_length=1, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    upn = models.CharField(max_length=13, blank=True)
    parent_names = models.CharField(max_length=300, blank=True)

    objects = CouncilManager()

    def __str__(self):
        return f"Match profile of person {self.person_id}"

    # The fields a check reads, in the order details_from_values takes them.
    DETAIL_FIELDS = (
        "first_name",
        "last_name",
        "date_of_birth",
        "sex",
        "postcode",
        "nhs_number",
        "upn",
        "parent_names",
        "other_names",
    )

    @staticmethod
    def details_from_values(values):
        """Details from a row of DETAIL_FIELDS, without building a model instance
        (a check reads hundreds)."""
        return Details(*values)

    def details(self):
        return Details(
            first_name=self.first_name,
            last_name=self.last_name,
            date_of_birth=self.date_of_birth,
            sex=self.sex,
            postcode=self.postcode,
            nhs_number=self.nhs_number,
            upn=self.upn,
            parent_name=self.parent_names,
            other_names=self.other_names,
        )


class MatchKey(models.Model):
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    objects = CouncilManager()

    class Meta:
        indexes = [models.Index(fields=["local_authority", "key", "person"])]

    def __str__(self):
        return self.key


class PossibleDuplicate(models.Model):
    """Two records in one council that are probably the same person, waiting
    for an Early Help Officer to compare them. Nothing is merged by itself."""

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        MERGED = "merged", _("Merged")
        NOT_DUPLICATE = "not_duplicate", _("Not the same person")

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    # first has the lower id, so a pair is stored once.
    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    found_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    objects = CouncilManager()

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="possible_duplicate_once"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")),
                name="possible_duplicate_ordered",
            ),
        ]
        # The list to review: a council's open pairs, most likely first.
        indexes = [
            models.Index(
                fields=["local_authority", "status", "-score", "id"],
                name="duplicate_council_status_score",
            )
        ]

    def __str__(self):
        return f"Possible duplicate: {self.first_id} and {self.second_id}"


class PersonMerge(models.Model):
    """One record merged into another: everything that pointed at the merged
    record now points at the kept one. What was moved is listed in `moved`
    so that the merge can be undone exactly."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    duplicate = models.ForeignKey(
        PossibleDuplicate, on_delete=models.SET_NULL, null=True, blank=True, related_name="merges"
    )
    reason = models.TextField()
    # [{"model": "app_label.model", "pk": 1, "field": "person"}, ...] rows moved, and
    # {"model": ..., "values": {...}} rows removed because the kept record already
    # had the same (for example both in one family).
    moved = models.JSONField(default=list)
    removed = models.JSONField(default=list)
    # Details copied onto the kept record where it had none: {"field": old value}.
    filled = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.TextField(blank=True)

    objects = CouncilManager()

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self):
        return f"Merge of {self.merged_id} into {self.kept_id}"

    @property
    def is_undone(self):
        return self.undone_at is not None
