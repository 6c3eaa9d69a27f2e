"""Tenants, places, organisations, staff and their roles."""

import re
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator, validate_slug
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.encrypted_fields import EncryptedTextField


class MeetingName(models.TextChoices):
    TEAM_AROUND_THE_FAMILY = "taf", _("Team Around the Family")
    TEAM_AROUND_THE_CHILD = "tac", _("Team Around the Child")
    CHILD_ACTION_MEETING = "cam", _("Child Action Meeting")


class FamilyLanguage(models.TextChoices):
    """Languages an LA may offer families copies of plans in (ISO 639-1 codes)."""

    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")
    BENGALI = "bn", _("Bengali")
    FARSI = "fa", _("Farsi")
    GUJARATI = "gu", _("Gujarati")
    KURDISH = "ku", _("Kurdish")
    LITHUANIAN = "lt", _("Lithuanian")
    PASHTO = "ps", _("Pashto")
    POLISH = "pl", _("Polish")
    PORTUGUESE = "pt", _("Portuguese")
    PUNJABI = "pa", _("Punjabi")
    ROMANIAN = "ro", _("Romanian")
    SOMALI = "so", _("Somali")
    SPANISH = "es", _("Spanish")
    TIGRINYA = "ti", _("Tigrinya")
    TURKISH = "tr", _("Turkish")
    UKRAINIAN = "uk", _("Ukrainian")
    URDU = "ur", _("Urdu")
    WELSH = "cy", _("Welsh")
    BSL = "sgn", _("British Sign Language")


DEFAULT_FAMILY_LANGUAGES = ["en", "pl", "ar", "ps", "ro", "uk"]


def new_report_salt() -> str:
    return secrets.token_hex(32)


def default_family_languages():
    return list(DEFAULT_FAMILY_LANGUAGES)


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# A Notify API key is its name, the service ID, then the secret, joined by "-".
NOTIFY_API_KEY = re.compile(r"[A-Za-z0-9_-]{1,100}-" + UUID.pattern + "-" + UUID.pattern)


class LocalAuthority(models.Model):
    """The tenant: every case record belongs to exactly one local authority."""

    slug = models.CharField(max_length=50, unique=True, validators=[validate_slug])
    name = models.CharField(max_length=200)
    upper_age = models.PositiveSmallIntegerField(
        _("upper age"),
        default=18,
        validators=[MinValueValidator(16), MaxValueValidator(25)],
        help_text=_("Early help is offered up to this age (the child's birthday ends it)."),
    )
    upper_age_send = models.PositiveSmallIntegerField(
        _("upper age with SEND or a learning difficulty"),
        default=25,
        validators=[MinValueValidator(16), MaxValueValidator(25)],
    )
    review_interval_weeks = models.PositiveSmallIntegerField(
        _("review interval in weeks"),
        default=8,
        validators=[MinValueValidator(6), MaxValueValidator(12)],
    )
    step_down_lead_days = models.PositiveSmallIntegerField(
        _("days to agree a lead professional after a step-down"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    meeting_name = models.CharField(
        _("local name of the meeting"),
        max_length=3,
        choices=MeetingName.choices,
        default=MeetingName.TEAM_AROUND_THE_FAMILY,
    )
    front_door_phone = models.CharField(
        _("early help advice line (front door) phone"), max_length=30, blank=True
    )
    advice_email = models.EmailField(
        _("early help advice email"),
        blank=True,
        help_text=_("Where professionals write for early help advice."),
    )
    out_of_hours_phone = models.CharField(_("out of hours phone"), max_length=30, blank=True)
    mash_phone = models.CharField(_("MASH phone"), max_length=30, blank=True)
    family_languages = models.JSONField(
        _("languages offered to families"), default=default_family_languages
    )
    # GOV.UK Notify (docs/PRODUCTION.md): when a key is set, the council's
    # emails go through Notify with this template, whose body is `((body))`
    # and subject `((subject))`. The key is never shown again once saved.
    # Encrypted at rest (core/encrypted_fields.py): a dump or backup of the
    # database cannot send email in the council's name.
    notify_api_key = EncryptedTextField(_("GOV.UK Notify API key"), blank=True)
    notify_template_id = models.CharField(
        _("GOV.UK Notify email template ID"), max_length=36, blank=True
    )
    # The text message template (its message `((body))`): without it, family
    # members cannot be sent text messages. Letters need no template.
    notify_sms_template_id = models.CharField(
        _("GOV.UK Notify text message template ID"), max_length=36, blank=True
    )
    # The secret that gives each counted record of the partnership report
    # its record key (reporting/cellkey.py). Made once, never shown, never
    # changed: a new one would change every published figure, so two reports
    # for one period would differ and their noise could be averaged away.
    report_key_salt = models.CharField(max_length=64, default=new_report_salt, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = "local authorities"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_interval_weeks__gte=6, review_interval_weeks__lte=12),
                name="la_review_interval_6_to_12_weeks",
            ),
            models.CheckConstraint(
                condition=models.Q(upper_age_send__gte=models.F("upper_age")),
                name="la_send_age_not_below_upper_age",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        unknown = sorted(set(self.family_languages or []) - set(FamilyLanguage.values))
        if unknown:
            raise ValidationError(
                {
                    "family_languages": _(
                        "Unknown language codes: %(codes)s. Use codes from the list of "
                        "languages, such as pl for Polish or uk for Ukrainian"
                    )
                    % {"codes": ", ".join(unknown)}
                }
            )
        if self.upper_age_send < self.upper_age:
            raise ValidationError(
                {"upper_age_send": _("The upper age with SEND cannot be below the upper age")}
            )
        self._clean_notify()

    def _clean_notify(self):
        from django.core.exceptions import ValidationError

        if self.notify_api_key and not NOTIFY_API_KEY.fullmatch(self.notify_api_key):
            raise ValidationError(
                {
                    "notify_api_key": _(
                        "Enter the whole API key from GOV.UK Notify: its name, then the "
                        "service ID and the secret"
                    )
                }
            )
        if self.notify_api_key and not settings.SECRETS_ENCRYPTION_KEYS:
            raise ValidationError(
                {
                    "notify_api_key": _(
                        "This installation cannot store a Notify key yet: ask whoever runs it "
                        "to set SECRETS_ENCRYPTION_KEY"
                    )
                }
            )
        if self.notify_template_id and not UUID.fullmatch(self.notify_template_id):
            raise ValidationError(
                {
                    "notify_template_id": _(
                        "Enter the template ID as GOV.UK Notify shows it, like "
                        "f33517ff-2a88-4f6e-b855-c550268ce08a"
                    )
                }
            )
        if self.notify_sms_template_id and not UUID.fullmatch(self.notify_sms_template_id):
            raise ValidationError(
                {
                    "notify_sms_template_id": _(
                        "Enter the template ID as GOV.UK Notify shows it, like "
                        "f33517ff-2a88-4f6e-b855-c550268ce08a"
                    )
                }
            )
        if self.notify_api_key and not self.notify_template_id:
            raise ValidationError(
                {"notify_template_id": _("Enter the email template ID to use with the key")}
            )


class District(models.Model):
    """A "Team Around the School" area with its named Early Help Officer."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="districts"
    )
    name = models.CharField(max_length=100)
    early_help_officer = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="districts_as_eho",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "name"], name="district_name_unique_per_la"
            )
        ]

    def __str__(self):
        return self.name


class OrganisationType(models.TextChoices):
    SCHOOL = "school", _("School")
    EARLY_YEARS = "early_years", _("Early years setting")
    HEALTH_VISITING = "health_visiting", _("Health visiting")
    GP_PRACTICE = "gp", _("GP practice")
    OTHER_HEALTH = "health", _("Other health service")
    POLICE = "police", _("Police")
    HOUSING = "housing", _("Housing")
    VOLUNTARY = "voluntary", _("Voluntary sector")
    EARLY_HELP_UNIT = "early_help", _("Local authority early help unit")
    CHILDRENS_SOCIAL_CARE = "csc", _("Children's social care")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="organisations"
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=OrganisationType.choices)
    school_urn = models.CharField(_("school URN"), max_length=7, blank=True)
    ods_code = models.CharField(_("NHS ODS code"), max_length=10, blank=True)
    # Operation Encompass: who at a school hears of police notifications about its pupils.
    key_adult = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="key_adult_of",
        verbose_name=_("key adult"),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "name"], name="organisation_name_unique_per_la"
            )
        ]

    def __str__(self):
        return self.name


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every Monday")
    NONE = "none", _("Never")


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    EARLY_HELP_OFFICER = "eho", _("Early Help Officer")
    EARLY_HELP_MANAGER = "manager", _("Early help manager")
    PANEL_COORDINATOR = "panel", _("Panel coordinator")
    LA_ADMIN = "la_admin", _("Local authority administrator")
    SYSTEM_ADMIN = "sys_admin", _("System administrator")


# The roles that let core.policy show a user cases (tests keep the two in step).
# Administrators hold none of them: giving one to an administrator, or to
# oneself, takes a second administrator (accounts.services).
CASE_ROLES = frozenset(
    {Role.PRACTITIONER, Role.EARLY_HELP_OFFICER, Role.EARLY_HELP_MANAGER, Role.PANEL_COORDINATOR}
)
ADMIN_ROLES = frozenset({Role.LA_ADMIN, Role.SYSTEM_ADMIN})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        # Email addresses are stored in lower case; people type them any way.
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("Users sign in by email, so an email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        user = self.create_user(email, password, **fields)
        user.grant(Role.SYSTEM_ADMIN)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff. Signs in by email; belongs to one local authority."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # The summary email of new and overdue work (oversight.digest).
    digest = models.CharField(
        _("summary email"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.DAILY,
    )
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    organisations = models.ManyToManyField(
        Organisation, through="Membership", related_name="members", blank=True
    )
    is_active = models.BooleanField(default=True)
    # Django admin access; only system administrators have it.
    is_staff = models.BooleanField(default=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Wrong passwords and codes in a row (accounts.security counts them); at
    # SIGN_IN_MAX_FAILURES the account is locked until locked_until.
    failed_sign_ins = models.PositiveSmallIntegerField(_("failed sign-ins in a row"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_locked(self):
        return self.locked_until is not None and self.locked_until > timezone.now()

    # What a user object remembers of its own access, read once: a request
    # loads its user afresh (accounts.backends), so these last one request.
    # Code that changes a user's roles or organisations calls forget_access.
    ACCESS_CACHES = ("_role_cache", "_membership_cache", "_policy_cache")

    @property
    def role_set(self):
        """The user's roles, loaded once per request object."""
        if "_role_cache" not in self.__dict__:
            self._role_cache = frozenset(self.roles.values_list("role", flat=True))
        return self._role_cache

    def has_role(self, *roles):
        return bool(self.role_set.intersection(roles))

    def grant(self, role):
        RoleGrant.objects.get_or_create(user=self, role=role)
        self.forget_access()

    def forget_access(self):
        """Read roles and organisations again (and what the policy built from them)."""
        for name in self.ACCESS_CACHES:
            self.__dict__.pop(name, None)

    @property
    def membership_list(self):
        """The user's memberships with their organisations, first joined first,
        loaded once per request object (the banner, the policy's routes)."""
        if "_membership_cache" not in self.__dict__:
            self._membership_cache = list(
                self.memberships.select_related("organisation").order_by("id")
            )
        return self._membership_cache

    @property
    def organisation_ids(self):
        return [membership.organisation_id for membership in self.membership_list]

    @property
    def primary_organisation(self):
        memberships = self.membership_list
        return memberships[0].organisation if memberships else None


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} at {self.organisation}"


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_grant_unique")]

    def __str__(self):
        return self.get_role_display()


class RoleRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class RoleRequest(models.Model):
    """A role that sees cases, asked by an LA administrator for themselves or
    for another administrator: it takes effect only when a second LA
    administrator of the council approves it (accounts.services)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_requests")
    role = models.CharField(max_length=20, choices=Role.choices)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=RoleRequestStatus.choices, default=RoleRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(status="pending"),
                name="role_request_one_pending_per_role",
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()} for {self.user}"

    @property
    def local_authority(self):
        # For the audit trail: the council the request belongs to.
        return self.user.local_authority


class ThrottleKind(models.TextChoices):
    CLIENT = "client", _("One client, any address")
    ADDRESS = "address", _("One address with no account, any client")
    PAIR = "pair", _("One address from one client")


class SignInThrottle(models.Model):
    """Failed sign-ins counted for one client (network address), for one typed
    email address from one client, and for a typed address that has no account
    (an account's own count is on User). accounts.security keeps them; the
    address is kept as a digest, since anything may be typed into the form."""

    kind = models.CharField(max_length=10, choices=ThrottleKind.choices)
    email_digest = models.CharField(max_length=64, blank=True)
    ip_address = models.CharField(max_length=45, blank=True)
    # The account the address belongs to, so its administrator can see and lift
    # the block.
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="sign_in_throttles"
    )
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(default=timezone.now)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "email_digest", "ip_address"], name="sign_in_throttle_unique"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.ip_address} {self.failures}"

    @property
    def is_blocked(self):
        return self.blocked_until is not None and self.blocked_until > timezone.now()
