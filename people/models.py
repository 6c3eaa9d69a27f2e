"""Children, adults and the households they live in."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import FamilyLanguage, LocalAuthority
from core.codes import Disability, Ethnicity, Gender
from core.council_records import CouncilManager, CouncilRecord
from core.validators import (
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    validate_birth_dates,
)


def age_on(date_of_birth, day):
    """Whole years from date_of_birth to day (a 29 February birthday counts on 1 March)."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


# A person's own details, in the order pages show them: what a practitioner
# may edit, what a subject access copy lists and what a merge compares.
PERSON_DETAIL_FIELDS = (
    "first_name",
    "middle_names",
    "last_name",
    "known_as",
    "date_of_birth",
    "expected_date_of_birth",
    "sex",
    "gender_identity",
    "ethnicity",
    "disabilities",
    "has_send",
    "preferred_language",
    "interpreter_needed",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "nhs_number",
    "upn",
)


class Person(models.Model):
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="people"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    middle_names = models.CharField(_("middle names"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    known_as = models.CharField(_("known as"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    expected_date_of_birth = models.DateField(
        _("expected date of birth"),
        null=True,
        blank=True,
        help_text=_("Only for an unborn child."),
    )
    sex = models.CharField(
        _("sex"), max_length=1, choices=Gender.choices, default=Gender.NOT_RECORDED
    )
    gender_identity = models.CharField(_("gender, if different"), max_length=100, blank=True)
    ethnicity = models.CharField(
        _("ethnicity"), max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT
    )
    disabilities = models.JSONField(
        _("disabilities"),
        default=list,
        blank=True,
        help_text=_("Children in Need census disability codes."),
    )
    has_send = models.BooleanField(
        _("special educational needs or a learning difficulty"), default=False
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=3,
        choices=FamilyLanguage.choices,
        default=FamilyLanguage.ENGLISH,
    )
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    address_line_1 = models.CharField(_("address line 1"), max_length=200, blank=True)
    address_line_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    town = models.CharField(_("town or city"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=8, blank=True, db_index=True)
    nhs_number = models.CharField(_("NHS number"), max_length=10, blank=True, db_index=True)
    upn = models.CharField(_("unique pupil number (UPN)"), max_length=13, blank=True)
    # A parent's or carer's name as a list or older system gave it, when they
    # are not recorded as people of their own; matching reads it.
    parent_name = models.CharField(_("parent or carer's name"), max_length=200, blank=True)
    # The person's id in the system they were imported from (import_people).
    external_id = models.CharField(_("reference in the source system"), max_length=64, blank=True)
    # Set when this record was merged into another (matching.merging); a
    # merged record is kept, so the merge can be undone, but shown nowhere.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CouncilManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["local_authority", "last_name", "date_of_birth"])]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "external_id"],
                condition=~models.Q(external_id=""),
                name="person_external_id_once_per_council",
            ),
            models.CheckConstraint(
                condition=~(
                    models.Q(date_of_birth__isnull=False)
                    & models.Q(expected_date_of_birth__isnull=False)
                ),
                name="person_birth_or_expected_date_not_both",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        # A copy with restricted parts blanked (people.restrictions) is for
        # display only; saving it would erase the real values.
        if getattr(self, "is_masked_copy", False):
            raise ValueError("A person shown with restricted parts withheld cannot be saved.")
        super().save(*args, **kwargs)

    @property
    def full_name(self):
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def is_unborn(self):
        return self.date_of_birth is None and self.expected_date_of_birth is not None

    def age(self, on=None):
        """Age in whole years, or None for an unborn child or an unknown birth date."""
        if self.date_of_birth is None:
            return None
        return age_on(self.date_of_birth, on or timezone.localdate())

    def get_disabilities_display(self):
        labels = dict(Disability.choices)
        return [labels.get(code, code) for code in self.disabilities]

    def clean(self):
        errors = {}
        for field, normalise in (
            ("nhs_number", normalise_nhs_number),
            ("upn", normalise_upn),
            ("postcode", normalise_postcode),
        ):
            value = getattr(self, field)
            if value:
                try:
                    setattr(self, field, normalise(value))
                except ValidationError as error:
                    errors[field] = error.messages
        unknown = sorted(set(self.disabilities or []) - set(Disability.values))
        if unknown:
            errors["disabilities"] = _("Unknown disability codes: %(codes)s") % {
                "codes": ", ".join(unknown)
            }
        if (
            self.disabilities
            and Disability.NONE in self.disabilities
            and len(self.disabilities) > 1
        ):
            errors["disabilities"] = _(
                "Choose 'No disability' on its own, or choose the disabilities that apply"
            )
        try:
            validate_birth_dates(self.date_of_birth, self.expected_date_of_birth)
        except ValidationError as error:
            errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)


class Family(models.Model):
    """A household: the people early help works with together."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="families"
    )
    name = models.CharField(
        _("family name"), max_length=200, help_text=_("How the family is known, e.g. 'Ash family'.")
    )
    members = models.ManyToManyField(Person, through="FamilyMember", related_name="families")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CouncilManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "families"

    def __str__(self):
        return self.name


class Relationship(models.TextChoices):
    CHILD = "child", _("Child")
    UNBORN = "unborn", _("Unborn child")
    PARENT = "parent", _("Parent")
    STEP_PARENT = "step_parent", _("Step-parent")
    CARER = "carer", _("Carer or guardian")
    GRANDPARENT = "grandparent", _("Grandparent")
    OTHER_ADULT = "other_adult", _("Other adult in the household")


CHILD_RELATIONSHIPS = {Relationship.CHILD, Relationship.UNBORN}


class FamilyMember(CouncilRecord):
    council_from = "family"
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="family_memberships")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    has_parental_responsibility = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["family", "person"], name="family_member_unique")
        ]

    def __str__(self):
        return f"{self.person} ({self.get_relationship_display()}) in {self.family}"

    @property
    def is_child(self):
        return self.relationship in CHILD_RELATIONSHIPS


class RestrictableField(models.TextChoices):
    """Parts of a person's record that can be restricted, each covering one or
    more model fields. A parent fleeing domestic abuse is the usual reason."""

    ADDRESS = "address", _("Address")
    DATE_OF_BIRTH = "date_of_birth", _("Date of birth")
    NHS_NUMBER = "nhs_number", _("NHS number")
    UPN = "upn", _("Unique pupil number")
    KNOWN_AS = "known_as", _("Known as")
    GENDER_IDENTITY = "gender_identity", _("Gender identity")
    ETHNICITY = "ethnicity", _("Ethnicity")
    DISABILITIES = "disabilities", _("Disability and SEND")
    LANGUAGE = "language", _("Language and interpreter")


RESTRICTABLE_MODEL_FIELDS = {
    RestrictableField.ADDRESS: ("address_line_1", "address_line_2", "town", "postcode"),
    RestrictableField.DATE_OF_BIRTH: ("date_of_birth", "expected_date_of_birth"),
    RestrictableField.NHS_NUMBER: ("nhs_number",),
    RestrictableField.UPN: ("upn",),
    RestrictableField.KNOWN_AS: ("known_as",),
    RestrictableField.GENDER_IDENTITY: ("gender_identity",),
    RestrictableField.ETHNICITY: ("ethnicity",),
    RestrictableField.DISABILITIES: ("disabilities", "has_send"),
    RestrictableField.LANGUAGE: ("preferred_language", "interpreter_needed"),
}


class Restriction(CouncilRecord):
    """One restricted part of a person's record. Only the lead professional of
    the person's case and the roles named here may see it; it never appears in
    search results or in documents given to other family members, and every
    view of it is audited (core.policy, people.restrictions)."""

    council_from = "person"
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="restrictions")
    field = models.CharField(_("what is restricted"), max_length=30, choices=RestrictableField)
    reason = models.TextField(_("why it is restricted"))
    # Role values (accounts.Role) allowed to see it besides the lead professional.
    visible_to_roles = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "field"],
                condition=models.Q(lifted_at__isnull=True),
                name="one_active_restriction_per_field",
            )
        ]

    def __str__(self):
        return f"{self.get_field_display()} of {self.person} restricted"

    @property
    def model_fields(self):
        return RESTRICTABLE_MODEL_FIELDS[self.field]
