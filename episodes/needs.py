"""Needs a request can be tagged with, and the Supporting Families headline
outcome each one counts towards.

Keys are stable (reports and exports use them); labels can be reworded. The
seed indicators (seed 001 §2.2) come first, then the usual areas.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """The ten Supporting Families headline outcomes (stable keys)."""

    EDUCATION = "education", _("Getting a good education")
    EARLY_YEARS = "early_years", _("Good early years development")
    HEALTH = "health", _("Improved mental and physical health")
    SUBSTANCE_USE = "substance_use", _("Promoting recovery and reducing harm from substance use")
    FAMILY_RELATIONSHIPS = "family_relationships", _("Improved family relationships")
    SAFE_FROM_ABUSE = "safe_from_abuse", _("Children safe from abuse and exploitation")
    CRIME = "crime", _("Crime prevention and tackling crime")
    DOMESTIC_ABUSE = "domestic_abuse", _("Safe from domestic abuse")
    HOUSING = "housing", _("Secure housing")
    FINANCIAL = "financial", _("Financial stability")


class Need(models.TextChoices):
    DISABILITY = "disability", _("Disability or additional needs")
    SEN = "sen", _("Special educational needs")
    YOUNG_CARER = "young_carer", _("Young carer")
    ANTI_SOCIAL = "anti_social", _("Anti-social or criminal behaviour")
    PARENTAL_SUBSTANCE = "parental_substance", _("Parental substance misuse")
    ADULT_MENTAL_HEALTH = "adult_mental_health", _("Adult mental health")
    DOMESTIC_ABUSE = "domestic_abuse", _("Domestic abuse")
    ABUSE_NEGLECT_SIGNS = "abuse_neglect_signs", _("Early signs of abuse or neglect")
    EXPLOITATION = "exploitation", _("Risk of exploitation")
    ATTENDANCE = "attendance", _("Education and school attendance")
    EARLY_YEARS = "early_years", _("Early years development")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    CHILD_MENTAL_HEALTH = "child_mental_health", _("Child's emotional wellbeing and mental health")
    FAMILY_RELATIONSHIPS = "family_relationships", _("Family relationships")
    PARENTING = "parenting", _("Parenting support")
    HOUSING = "housing", _("Housing")
    MONEY = "money", _("Money, debt and work")
    CRIME = "crime", _("Crime affecting the family")


NEED_OUTCOME = {
    Need.DISABILITY: Outcome.HEALTH,
    Need.SEN: Outcome.EDUCATION,
    Need.YOUNG_CARER: Outcome.FAMILY_RELATIONSHIPS,
    Need.ANTI_SOCIAL: Outcome.CRIME,
    Need.PARENTAL_SUBSTANCE: Outcome.SUBSTANCE_USE,
    Need.ADULT_MENTAL_HEALTH: Outcome.HEALTH,
    Need.DOMESTIC_ABUSE: Outcome.DOMESTIC_ABUSE,
    Need.ABUSE_NEGLECT_SIGNS: Outcome.SAFE_FROM_ABUSE,
    Need.EXPLOITATION: Outcome.SAFE_FROM_ABUSE,
    Need.ATTENDANCE: Outcome.EDUCATION,
    Need.EARLY_YEARS: Outcome.EARLY_YEARS,
    Need.PHYSICAL_HEALTH: Outcome.HEALTH,
    Need.CHILD_MENTAL_HEALTH: Outcome.HEALTH,
    Need.FAMILY_RELATIONSHIPS: Outcome.FAMILY_RELATIONSHIPS,
    Need.PARENTING: Outcome.FAMILY_RELATIONSHIPS,
    Need.HOUSING: Outcome.HOUSING,
    Need.MONEY: Outcome.FINANCIAL,
    Need.CRIME: Outcome.CRIME,
}


# The needs that suggest a child may be suffering, or be likely to suffer,
# significant harm (Children Act 1989 s47): abuse or neglect, exploitation and
# domestic abuse. A request naming any of them still goes ahead as early help,
# but it shows the council's safeguarding contact (the MASH) and the step-up
# route, so a practitioner who should be phoning the MASH today is told so.
# This is the one list: change it here and every page follows.
SIGNIFICANT_HARM_NEEDS = (
    Need.ABUSE_NEGLECT_SIGNS,
    Need.EXPLOITATION,
    Need.DOMESTIC_ABUSE,
)


def significant_harm_needs(needs) -> list[Need]:
    """The needs among `needs` (codes) that suggest significant harm, in the list's order."""
    chosen = {str(need) for need in needs}
    return [need for need in SIGNIFICANT_HARM_NEEDS if need.value in chosen]
