"""Signs of Wellbeing scaling questions, shared by the assessment and reviews.

0 means a referral to children's social care is needed; 10 means the child's
wellbeing is secure. The practitioner always scores; each parent or carer and
each child old enough may give their own score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from people import restrictions
from people.models import CHILD_RELATIONSHIPS

from .models import ScalingScore, Scorer

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from episodes.models import Episode
    from people.models import Person
    from reviews.models import Review

    from .models import Assessment

    # (form field name, Scorer, person or None for the practitioner, label)
    ScorerRow = tuple[str, Scorer, Person | None, StrOrPromise]

# Children from this age are usually asked to scale (with pictures for the youngest).
CHILD_SCORING_AGE = 5
SCORE_CHOICES = [("", _("Not given"))] + [(str(n), str(n)) for n in range(11)]
SCALE_HINT = _(
    "0 means a referral to children's social care is needed; 10 means the child's "
    "wellbeing is secure."
)


def scorers(episode: Episode) -> list[ScorerRow]:
    """(field name, Scorer, person or None, label) for everyone who may score."""
    rows: list[ScorerRow] = [
        ("score_practitioner", Scorer.PRACTITIONER, None, _("Practitioner's score"))
    ]
    members = (
        episode.family.memberships.select_related("person")
        .prefetch_related("person__restrictions")
        .order_by("id")
    )
    for member in members:
        person = member.person
        if member.relationship in CHILD_RELATIONSHIPS:
            age = restrictions.rule_age(person)
            # A restricted birthday: the child may score (their age is not told).
            if age is None and not restrictions.age_is_restricted(person):
                continue
            if age is not None and age < CHILD_SCORING_AGE:
                continue
            scorer = Scorer.CHILD
        else:
            scorer = Scorer.PARENT
        rows.append(
            (
                f"score_{person.pk}",
                scorer,
                person,
                _("%(name)s's score") % {"name": person.full_name},
            )
        )
    return rows


def add_score_fields(
    form: forms.BaseForm,
    episode: Episode,
    existing: Mapping[int | None, int] | None = None,
) -> None:
    """Add one 0-10 field per scorer to `form`; the practitioner's is required."""
    existing = existing or {}
    for name, scorer, person, label in scorers(episode):
        form.fields[name] = forms.TypedChoiceField(
            label=label,
            choices=SCORE_CHOICES,
            coerce=int,
            empty_value=None,
            required=scorer == Scorer.PRACTITIONER,
            help_text=SCALE_HINT,
            error_messages={"required": _("Give the practitioner's score from 0 to 10")},
        )
        key = person.pk if person else None
        if key in existing:
            form.initial.setdefault(name, str(existing[key]))


def save_scores(
    episode: Episode,
    cleaned_data: Mapping[str, Any],
    *,
    assessment: Assessment | None = None,
    review: Review | None = None,
) -> list[ScalingScore]:
    """Replace the scores of an assessment or a review with those given."""
    owner: dict[str, Assessment | Review | None] = (
        {"assessment": assessment} if assessment else {"review": review}
    )
    ScalingScore.objects.filter(**owner).delete()
    scores = [
        ScalingScore(scorer=scorer, person=person, score=cleaned_data[name], **owner)
        for name, scorer, person, _label in scorers(episode)
        if cleaned_data.get(name) is not None
    ]
    ScalingScore.objects.bulk_create(scores)
    return scores


def existing_scores(queryset: Iterable[ScalingScore]) -> dict[int | None, int]:
    """{person id or None: score} from a queryset of ScalingScore."""
    return {score.person_id: score.score for score in queryset}
