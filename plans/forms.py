"""Forms for the plan. The goals-and-actions forms grow with "add another":
hidden `layout-*` counts say how many new goals and new actions are shown, and
rows left completely blank are ignored."""

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.choices import normalize_choices
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, User
from core import policy
from core.forms import GovukDateField, WholeNumberField
from core.validators import case_dates, parse_whole_number
from episodes.needs import Outcome

from .models import ActionStatus, CopyMethod

ACTION_FIELDS = ("what", "organisation", "worker", "due_by", "success_measure")
GOAL_FIELDS = ("text", "outcome", "lead_organisation")
MAX_ROWS = 30


class PlanChoices:
    """The agencies and workers of the council, fetched once per page."""

    def __init__(self, episode):
        self.organisations = {
            org.pk: org for org in episode.local_authority.organisations.order_by("name")
        }
        # Names only, for the selects: the workers themselves are read when
        # a plan is saved (`workers`), not for each page of the form.
        memberships = (
            Membership.objects.filter(
                user__in=policy.case_holders(
                    User.objects.filter(local_authority_id=episode.local_authority_id)
                )
            )
            .order_by("user__full_name", "user_id", "organisation__name")
            .values_list("user_id", "user__full_name", "organisation__name")
        )
        names: dict[int, str] = {}
        worker_orgs: dict[int, list[str]] = {}
        for user_id, full_name, organisation in memberships:
            names[user_id] = full_name
            worker_orgs.setdefault(user_id, []).append(organisation)
        # Normalised here, once, not by each select's field (see council_select).
        self.organisation_choices = normalize_choices(
            [("", "")] + [(pk, org.name) for pk, org in self.organisations.items()]
        )
        self.worker_choices = normalize_choices(
            [("", _("Not named yet"))]
            + [(pk, f"{name} ({', '.join(worker_orgs[pk])})") for pk, name in names.items()]
        )

    @cached_property
    def workers(self) -> dict[int, User]:
        """The workers offered, by id (each a choice of worker_choices)."""
        return User.objects.in_bulk([pk for pk, _name in self.worker_choices if pk != ""])


def council_select(label, choices):
    """A select of the council's agencies or workers (PlanChoices), by id. A
    plan's form has one for each goal and two for each action, and the
    council has hundreds of each: Django would copy and check the choices
    for each field, so each takes the page's list, normalised once."""
    field = forms.TypedChoiceField(label=label, required=False, coerce=int, empty_value=None)
    # Set as they are: the properties would normalise them again, for each field.
    field._choices = field.widget._choices = choices
    return field


def quoted_action(what):
    """An action named in a message by what will be done, shortened."""
    return f"“{Truncator(' '.join(what.split())).chars(60)}”"


class ActionDateField(GovukDateField):
    """An action's "By when". A plan has many, so each error names the action
    it belongs to ("By when for “Attend the parenting course” must be a real
    date"), in the field and in the error summary; the label stays "By when"."""

    def __init__(self, *, action_name, **kwargs):
        super().__init__(**kwargs)
        self.error_name = _("By when for %(action)s") % {"action": action_name}

    def clean(self, value):
        # GovukDateField names the field in its messages by its label.
        label, self.label = self.label, self.error_name
        try:
            return super().clean(value)
        except forms.ValidationError as error:
            raise forms.ValidationError(
                [self._named(message) for message in error.messages]
            ) from None
        finally:
            self.label = label

    def _named(self, message):
        if self.error_name in message:
            return message
        return _("%(name)s: %(message)s") % {
            "name": self.error_name,
            "message": message[:1].lower() + message[1:],
        }


def action_differs(action, values):
    """Whether `values` differ from the action's, comparing agencies and workers by id."""
    for name in ACTION_FIELDS:
        if name in ("organisation", "worker"):
            if getattr(action, f"{name}_id") != getattr(values[name], "pk", None):
                return True
        elif getattr(action, name) != values[name]:
            return True
    return False


def _blank(value):
    return value is None or value == "" or value == []


class GoalsForm(forms.Form):
    """New goals (each with new actions) and, for an amendment, the actions of
    the current version and new actions under its goals."""

    def __init__(
        self, data=None, *, choices, goals=(), new_goals=0, goal_lines=(), rows=None, **kwargs
    ):
        super().__init__(data, **kwargs)
        rows = rows or {}
        self.choices = choices
        self.existing_goals = list(goals)
        self.goal_lines = list(goal_lines)
        self.layout = {"goals": self._count("layout-goals", new_goals)}
        self.fields["layout-goals"] = self._layout_field(self.layout["goals"])
        keys = [f"goal{goal.pk}" for goal in self.existing_goals] + [
            f"new{i}" for i in range(self.layout["goals"])
        ]
        self.goal_numbers = {key: number for number, key in enumerate(keys, start=1)}
        for goal in self.existing_goals:
            for action in goal.actions.all():
                self._add_action_fields(
                    f"action{action.pk}", quoted_action(action.what), initial=action
                )
        for index in range(self.layout["goals"]):
            self._add_goal_fields(f"new{index}", index)
        for key in keys:
            count = self._count(f"layout-{key}", rows.get(key, 1 if key.startswith("new") else 0))
            self.layout[key] = count
            self.fields[f"layout-{key}"] = self._layout_field(count)
            for row in range(count):
                self._add_action_fields(f"{key}-action{row}", self._row_label(key, row))

    # building

    def _count(self, name, default):
        """How many rows the page had (a hidden field), at most MAX_ROWS."""
        if not self.is_bound or name not in self.data:
            return default
        count = parse_whole_number(self.data.get(name))
        return default if count is None else min(MAX_ROWS, count)

    @staticmethod
    def _layout_field(value):
        return WholeNumberField(widget=forms.HiddenInput, required=False, initial=value)

    def _add_goal_fields(self, prefix, index):
        self.fields[f"{prefix}-text"] = forms.CharField(
            label=_("What wellbeing will look like"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.fields[f"{prefix}-outcome"] = forms.ChoiceField(
            label=_("Supporting Families headline outcome"),
            required=False,
            choices=[("", _("None"))] + list(Outcome.choices),
        )
        self.fields[f"{prefix}-lead_organisation"] = council_select(
            _("Lead agency for this goal"), self.choices.organisation_choices
        )
        if index < len(self.goal_lines):
            self.initial.setdefault(f"{prefix}-text", self.goal_lines[index])

    def _row_label(self, key, row):
        """How messages name a new action that has nothing typed in it yet."""
        numbers = {"action": row + 1, "goal": self.goal_numbers[key]}
        if key.startswith("goal"):
            return _("new action %(action)s of goal %(goal)s") % numbers
        return _("action %(action)s of goal %(goal)s") % numbers

    def _posted_action_name(self, prefix, label):
        """The action as its messages name it: what will be done, as typed."""
        what = self.data.get(f"{prefix}-what") if self.is_bound else None
        if isinstance(what, str) and what.strip():
            return quoted_action(what)
        return label

    def _add_action_fields(self, prefix, label, initial=None):
        self.fields[f"{prefix}-what"] = forms.CharField(
            label=_("What will be done"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.fields[f"{prefix}-organisation"] = council_select(
            _("Agency"), self.choices.organisation_choices
        )
        self.fields[f"{prefix}-worker"] = council_select(
            _("Named worker"), self.choices.worker_choices
        )
        self.fields[f"{prefix}-due_by"] = ActionDateField(
            label=_("By when"),
            action_name=self._posted_action_name(prefix, label),
            within=case_dates,
            required=False,
            help_text=_("For example, 27 3 2025"),
        )
        self.fields[f"{prefix}-success_measure"] = forms.CharField(
            label=_("How everyone will know it worked"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        if initial is not None:
            for name in ACTION_FIELDS:
                value = getattr(
                    initial, f"{name}_id" if name in ("organisation", "worker") else name
                )
                self.initial.setdefault(f"{prefix}-{name}", value)

    def without_errors(self):
        """Show the form again (after "add another") without validating it."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        return self

    # reading

    def _values(self, prefix, names):
        return {name: self.cleaned_data.get(f"{prefix}-{name}") for name in names}

    def _row_is_blank(self, prefix, names):
        return all(
            _blank(self.cleaned_data.get(f"{prefix}-{name}"))
            and not self.has_error(f"{prefix}-{name}")
            for name in names
        )

    def _check_action(self, prefix, label, new):
        values = self._values(prefix, ACTION_FIELDS)
        # The date's messages name the action by what will be done, once typed.
        named = quoted_action(values["what"]) if values["what"] else label
        for name, message, action in (
            ("what", _("Say what will be done for %(label)s"), label),
            ("organisation", _("Choose the agency for %(label)s"), label),
            ("due_by", _("Enter by when for %(label)s"), named),
            ("success_measure", _("Say how everyone will know %(label)s worked"), label),
        ):
            if _blank(values[name]) and not self.has_error(f"{prefix}-{name}"):
                self.add_error(f"{prefix}-{name}", message % {"label": action})
        if new and values["due_by"] and values["due_by"] < timezone.localdate():
            self.add_error(
                f"{prefix}-due_by",
                _("The date for %(label)s must be today or in the future") % {"label": named},
            )
        worker = self.choices.workers.get(values["worker"])
        organisation = self.choices.organisations.get(values["organisation"])
        return {
            "what": values["what"] or "",
            "organisation": organisation,
            "worker": worker,
            "due_by": values["due_by"],
            "success_measure": values["success_measure"] or "",
        }

    def _new_actions(self, key):
        actions = []
        for row in range(self.layout[key]):
            prefix = f"{key}-action{row}"
            if self._row_is_blank(prefix, ACTION_FIELDS):
                continue
            actions.append(self._check_action(prefix, self._row_label(key, row), new=True))
        return actions

    def _new_goals(self):
        goals = []
        first = len(self.existing_goals) + 1
        for index in range(self.layout["goals"]):
            key, number = f"new{index}", first + index
            actions = self._new_actions(key)
            if self._row_is_blank(key, GOAL_FIELDS) and not actions:
                continue
            values = self._values(key, GOAL_FIELDS)
            label = {"label": _("goal %(number)s") % {"number": number}}
            if _blank(values["text"]):
                self.add_error(
                    f"{key}-text", _("Say what wellbeing will look like for %(label)s") % label
                )
            if values["lead_organisation"] is None:
                self.add_error(
                    f"{key}-lead_organisation", _("Choose the lead agency for %(label)s") % label
                )
            if not actions:
                self.add_error(
                    f"{key}-action0-what" if self.layout[key] else f"{key}-text",
                    _("Add at least one action for %(label)s") % label,
                )
            goals.append(
                {
                    "text": values["text"] or "",
                    "outcome": values["outcome"] or "",
                    "lead_organisation": self.choices.organisations.get(
                        values["lead_organisation"]
                    ),
                    "actions": actions,
                }
            )
        return goals

    # for templates

    def blocks(self):
        """The goals in order, each with its bound fields and action rows."""
        blocks = []
        for number, goal in enumerate(self.existing_goals, start=1):
            key = f"goal{goal.pk}"
            blocks.append(
                {
                    "key": key,
                    "number": number,
                    "goal": goal,
                    "fields": [],
                    "actions": [
                        {
                            "action": action,
                            "number": row,
                            "fields": [self[f"action{action.pk}-{n}"] for n in ACTION_FIELDS],
                        }
                        for row, action in enumerate(goal.actions.all(), start=1)
                    ],
                    "new_actions": self._new_action_rows(key),
                }
            )
        for index in range(self.layout["goals"]):
            key = f"new{index}"
            blocks.append(
                {
                    "key": key,
                    "number": len(self.existing_goals) + index + 1,
                    "goal": None,
                    "fields": [self[f"{key}-{n}"] for n in GOAL_FIELDS],
                    "actions": [],
                    "new_actions": self._new_action_rows(key),
                }
            )
        return blocks

    def _new_action_rows(self, key):
        return [
            {"number": row + 1, "fields": [self[f"{key}-action{row}-{n}"] for n in ACTION_FIELDS]}
            for row in range(self.layout[key])
        ]


def with_another(data, button):
    """The posted data with one more new goal or action row, for "add another"."""
    data = data.copy()
    if button == "goal":
        count = _posted_count(data, "layout-goals")
        data["layout-goals"] = str(count + 1)
        data[f"layout-new{count}"] = "1"
    else:
        data[f"layout-{button}"] = str(_posted_count(data, f"layout-{button}") + 1)
    return data


def _posted_count(data, name):
    # A count that is not one (altered or missing) counts as none; the form
    # keeps it to MAX_ROWS.
    return min(MAX_ROWS, parse_whole_number(data.get(name)) or 0)


class AgreePlanForm(GoalsForm):
    def __init__(self, data=None, *, lead_candidates, meeting_name, **kwargs):
        super().__init__(data, **kwargs)
        users, organisations = lead_candidates
        self.leads = {user.pk: user for user in users}
        message = _(
            "Choose a lead professional who works for an organisation in the %(meeting)s"
        ) % {"meeting": meeting_name}
        self.fields["lead_professional"] = forms.TypedChoiceField(
            label=_("Lead professional"),
            help_text=_("Chosen at the meeting, with the family's view recorded"),
            coerce=int,
            empty_value=None,
            required=False,
            choices=[("", "")]
            + [
                (user.pk, f"{user.full_name}, {organisations[user.pk].name}")
                if user.pk in organisations
                else (user.pk, user.full_name)
                for user in users
            ],
            error_messages={"invalid_choice": message},
        )

    def clean(self):
        cleaned = super().clean()
        self.goals = self._new_goals()
        if not self.goals:
            self.add_error(None, _("Add at least one wellbeing goal"))
        return cleaned

    def service_arguments(self):
        return {
            "lead_professional": self.leads.get(self.cleaned_data.get("lead_professional")),
            "goals": self.goals,
        }


class AmendPlanForm(GoalsForm):
    def __init__(self, data=None, *, plan, **kwargs):
        goals = getattr(plan, "goal_list", None)
        super().__init__(data, goals=plan.goals.all() if goals is None else goals, **kwargs)
        self.plan = plan
        self.fields["change_summary"] = forms.CharField(
            label=_("What changed and why"),
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": _("Say what changed and why")},
        )
        self.fields["based_on"] = WholeNumberField(
            widget=forms.HiddenInput, initial=plan.pk, required=False
        )

    def clean(self):
        cleaned = super().clean()
        self.changed_actions = {}
        self.added_actions = []
        for goal in self.existing_goals:
            for action in goal.actions.all():
                values = self._check_action(f"action{action.pk}", f"“{action.what}”", new=False)
                if action_differs(action, values):
                    self.changed_actions[action] = values
            for values in self._new_actions(f"goal{goal.pk}"):
                self.added_actions.append(dict(values, goal=goal))
        self.added_goals = self._new_goals()
        return cleaned

    def service_arguments(self):
        return {
            "change_summary": self.cleaned_data["change_summary"],
            "changed_actions": self.changed_actions,
            "added_actions": self.added_actions,
            "added_goals": self.added_goals,
        }


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the action's status")},
    )
    not_done_reason = forms.CharField(
        label=_("If not done, why not"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    edit_version = WholeNumberField(widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == ActionStatus.NOT_DONE
            and not (cleaned.get("not_done_reason") or "").strip()
        ):
            self.add_error("not_done_reason", _("Say why the action was not done"))
        return cleaned


class CopyForm(forms.Form):
    given = forms.TypedChoiceField(
        label=_("Did they get a copy of this version?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether they got a copy")},
    )
    method = forms.ChoiceField(
        label=_("How was it given"),
        required=False,
        choices=[("", "")] + list(CopyMethod.choices),
    )
    language = forms.ChoiceField(label=_("Language of the copy"), required=False)
    reason_not_given = forms.CharField(
        label=_("If not, why not"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, languages, too_young=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "")] + list(languages)
        if too_young:
            self.fields["reason_not_given"].help_text = _(
                "For example, too young to understand the plan"
            )

    def clean(self):
        cleaned = super().clean()
        given = cleaned.get("given")
        if given is True:
            if not cleaned.get("method"):
                self.add_error("method", _("Choose how the copy was given"))
            if not cleaned.get("language"):
                self.add_error("language", _("Choose the language of the copy"))
        elif given is False and not (cleaned.get("reason_not_given") or "").strip():
            self.add_error("reason_not_given", _("Say why a copy was not given"))
        return cleaned


class DocumentForm(forms.Form):
    """How a copy of the plan is made (the copy page's "Make a copy"): its
    language (default: the family member's), the child-friendly version for a
    child, and how it will be given, which the copy list records."""

    language = forms.ChoiceField(
        label=_("Language of the copy"),
        required=False,
        help_text=_("If you leave it, the copy is in their preferred language, or English"),
    )
    version = forms.ChoiceField(
        label=_("Which plan"),
        required=False,
        choices=[("full", _("The full plan")), ("child", _("The child-friendly plan"))],
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(
        label=_("How will it be given"),
        required=False,
        choices=list(CopyMethod.choices),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, languages, child=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Their preferred language"))] + list(languages)
        if not child:
            # Only children are offered the child-friendly plan.
            self.fields["version"].choices = self.fields["version"].choices[:1]
            self.fields["version"].widget = forms.HiddenInput()

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "language": data["language"],
            "child_friendly": data.get("version") == "child",
            "method": data["method"] or CopyMethod.IN_PERSON,
        }
