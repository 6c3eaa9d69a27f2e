import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import FamilyLanguage
from core.forms import GovukDateField
from core.validators import case_dates

from .models import InvitationChannel

DURATIONS = [
    ("30", _("30 minutes")),
    ("45", _("45 minutes")),
    ("60", _("1 hour")),
    ("90", _("1 hour 30 minutes")),
    ("120", _("2 hours")),
]
TIME = re.compile(r"^([0-9]{1,2})(?:[:.]([0-9]{2}))?\s*(am|pm)?$")


def parse_time(text):
    """09:30, 9.30, 14:00, 2pm or 2:30pm as a time, or None."""
    match = TIME.match(text.strip().lower())
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if match[2] is None and half is None:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


def person_label(member):
    return f"{member.person.full_name} ({member.get_relationship_display()})"


def staff_label(user, organisation):
    return f"{user.full_name}, {organisation.name}" if organisation else user.full_name


class MeetingTimeForm(forms.Form):
    """When and where: arranging a meeting, or moving it."""

    date = GovukDateField(
        label=_("Date of the meeting"),
        within=case_dates,
        help_text=_("For example, 27 3 2025"),
        error_messages={"required": _("Enter the date of the meeting")},
    )
    time = forms.CharField(
        label=_("Start time"),
        max_length=10,
        help_text=_("Use the 24-hour clock, for example 09:30 or 14:00"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": _("Enter the time the meeting starts")},
    )
    duration_minutes = forms.TypedChoiceField(
        label=_("How long"),
        choices=DURATIONS,
        coerce=int,
        initial="60",
        error_messages={"required": _("Choose how long the meeting will be")},
    )
    location = forms.CharField(
        label=_("Where"),
        max_length=200,
        help_text=_("The address or room, or how to join online"),
        error_messages={"required": _("Enter where the meeting will be")},
    )

    def clean_time(self):
        value = parse_time(self.cleaned_data["time"])
        if value is None:
            raise forms.ValidationError(
                _("Enter the start time as hours and minutes, like 09:30 or 14:00")
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") and cleaned.get("time"):
            cleaned["starts_at"] = timezone.make_aware(
                datetime.datetime.combine(cleaned["date"], cleaned["time"])
            )
        return cleaned

    interpreter_language = forms.ChoiceField(
        label=_("Interpreter's language"),
        required=False,
        choices=[("", _("No interpreter"))]
        + [(code, label) for code, label in FamilyLanguage.choices if code != "en"],
        help_text=_("The language the interpreter will speak with the family"),
    )
    interpreter_booked = forms.BooleanField(
        label=_("The interpreter is booked"),
        required=False,
        help_text=_(
            "Family members' invitations say an interpreter will be there only when booked"
        ),
    )

    def time_and_place(self):
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "duration_minutes": data["duration_minutes"],
            "location": data["location"],
            "interpreter_language": data.get("interpreter_language", ""),
            "interpreter_booked": bool(data.get("interpreter_booked")),
        }


class RescheduleMeetingForm(MeetingTimeForm):
    @classmethod
    def initial_for(cls, meeting):
        when = timezone.localtime(meeting.starts_at)
        return {
            "date": when.date(),
            "time": f"{when:%H:%M}",
            "duration_minutes": str(meeting.duration_minutes),
            "location": meeting.location,
            "interpreter_language": meeting.interpreter_language,
            "interpreter_booked": meeting.interpreter_booked,
        }


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the meeting cancelled?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example, the family asked to move it, or a key professional cannot come. "
            "The professionals invited are told the meeting is cancelled, not why."
        ),
        error_messages={"required": _("Say why the meeting is cancelled")},
    )


class ArrangeMeetingForm(MeetingTimeForm):
    people = forms.TypedMultipleChoiceField(
        label=_("Family members to invite"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    users = forms.TypedMultipleChoiceField(
        label=_("Professionals to invite"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, family_members, staff, organisations, channel_notes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [(m.person.pk, person_label(m)) for m in family_members]
        # How each family member is sent the invitation, in their language;
        # `channel_notes`: {person id: {channel: why it cannot be used}}: a
        # channel that cannot be used is not offered, and the hint says why.
        for member in family_members:
            pk = member.person.pk
            notes = (channel_notes or {}).get(pk, {})
            why_not = [f"{note}." for note in notes.values()]
            self.fields[f"channel_{pk}"] = forms.ChoiceField(
                label=_("How to send %(name)s the invitation") % {"name": member.person.full_name},
                choices=[c for c in InvitationChannel.choices if c[0] not in notes],
                required=False,
                help_text=" ".join([str(_("Sent in their preferred language.")), *why_not]),
                error_messages={
                    "invalid_choice": " ".join(why_not) or _("Choose how to send the invitation")
                },
            )
            self.fields[f"contact_{pk}"] = forms.CharField(
                label=_("%(name)s's email address or mobile number")
                % {"name": member.person.full_name},
                max_length=254,
                required=False,
                help_text=_("For an email or a text message only"),
            )
        self.fields["users"].choices = [
            (user.pk, staff_label(user, organisations.get(user.pk))) for user in staff
        ]
        self.people_by_id = {m.person.pk: m.person for m in family_members}
        self.staff_by_id = {user.pk: user for user in staff}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("people") and not cleaned.get("users") and not self.has_error("users"):
            self.add_error("users", _("Choose who to invite"))
        return cleaned

    def service_arguments(self):
        data = self.cleaned_data
        return {
            **self.time_and_place(),
            "people": [self.people_by_id[pk] for pk in data["people"]],
            "users": [self.staff_by_id[pk] for pk in data["users"]],
            "channels": {
                pk: (data.get(f"channel_{pk}") or "", data.get(f"contact_{pk}") or "")
                for pk in data["people"]
            },
        }


class RecordMeetingForm(forms.Form):
    attended = forms.TypedMultipleChoiceField(
        label=_("Who came"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select everyone who took part"),
    )
    notes = forms.CharField(
        label=_("Notes of the meeting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What was discussed and agreed. The family may ask to see these notes."),
    )

    def __init__(
        self,
        *args,
        invitees,
        lead_candidates=None,
        new_lead_candidates=None,
        meeting_name="",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (invitee.pk, invitee_label(invitee)) for invitee in invitees
        ]
        self.lead_by_id = {}
        if lead_candidates is not None:
            users, organisations = lead_candidates
            self.lead_by_id = {user.pk: user for user in users}
            message = _(
                "Choose a lead professional who works for an organisation in the %(meeting)s"
            ) % {"meeting": meeting_name}
            self.fields["lead_professional"] = forms.TypedChoiceField(
                label=_("Lead professional"),
                help_text=_(
                    "The worker the meeting chose to coordinate the %(meeting)s, from one of "
                    "its organisations. You can also choose them when you agree the plan."
                )
                % {"meeting": meeting_name},
                coerce=int,
                empty_value=None,
                required=False,
                choices=[("", _("Not chosen yet"))]
                + [(u.pk, staff_label(u, organisations.get(u.pk))) for u in users],
                error_messages={"invalid_choice": message},
            )
            self.fields["family_view_on_lead"] = forms.CharField(
                label=_("The family's view on the lead professional"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

        if new_lead_candidates is not None:
            self._add_lead_change_fields(*new_lead_candidates)

    def _add_lead_change_fields(self, users, organisations):
        """A later meeting may agree a new lead professional
        (episodes.lead_professional): who, why, the family's view and a handover."""
        self.lead_by_id = {user.pk: user for user in users}
        self.fields["new_lead"] = forms.TypedChoiceField(
            label=_("Did the meeting agree a new lead professional?"),
            help_text=_("Leave as it is unless the meeting agreed a change"),
            coerce=int,
            empty_value=None,
            required=False,
            choices=[("", _("No change"))]
            + [(u.pk, staff_label(u, organisations.get(u.pk))) for u in users],
            error_messages={"invalid_choice": _("Choose someone from the list, or No change")},
        )
        self.fields["lead_change_reason"] = forms.CharField(
            label=_("Why the lead professional is changing"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields["family_view_on_lead"] = forms.CharField(
            label=_("The family's view on the new lead professional"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields["handover_note"] = forms.CharField(
            label=_("Handover note for the new lead professional"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def service_arguments(self):
        data = self.cleaned_data
        lead_id = data.get("lead_professional")
        new_lead_id = data.get("new_lead")
        return {
            "attendance": {pk: True for pk in data["attended"]},
            "notes": data["notes"],
            "lead_professional": self.lead_by_id.get(lead_id) if lead_id else None,
            "family_view_on_lead": data.get("family_view_on_lead", ""),
            "new_lead": self.lead_by_id.get(new_lead_id) if new_lead_id else None,
            "lead_change_reason": data.get("lead_change_reason", ""),
            "handover_note": data.get("handover_note", ""),
        }


def invitee_label(invitee):
    if invitee.person_id:
        return invitee.person.full_name
    return staff_label(invitee.user, invitee.organisation)


class AddOrganisationForm(forms.Form):
    organisation = forms.TypedChoiceField(
        label=_("Organisation"),
        coerce=int,
        error_messages={"required": _("Choose an organisation")},
    )

    share_without_consent = forms.BooleanField(
        label=_("Share without consent: a child is at risk of significant harm"),
        help_text=_(
            "Only if the family has not consented and waiting would put a child at risk. "
            "The district's Early Help Officer and the managers will review this decision."
        ),
        required=False,
    )
    override_reason = forms.CharField(
        label=_("Why must information be shared without consent?"),
        help_text=_("Describe the risk of significant harm and why consent cannot be sought"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("share_without_consent") and not data.get("override_reason", "").strip():
            self.add_error(
                "override_reason",
                _("Say why information must be shared without consent"),
            )
        if not data.get("share_without_consent"):
            data["override_reason"] = ""
        return data

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {org.pk: org for org in organisations}
        self.fields["organisation"].choices = [("", "")] + [
            (org.pk, f"{org.name} ({org.get_type_display()})") for org in organisations
        ]
