"""Who early help is for: from pre-birth to the LA's upper age, or to the SEND
upper age for a young person with SEND or a learning difficulty (seeds 000,
004). The ages are per-LA settings."""

from django.utils import timezone
from django.utils.translation import gettext as _


def eligibility_problem(person, local_authority, today=None):
    """None if `person` may receive early help as a child, else a message saying
    why not and what to do instead."""
    if person.is_unborn:
        return None
    age = person.age(today or timezone.localdate())
    if age is None:
        return _("Enter the child's date of birth (or, for an unborn child, the expected date)")
    limit = local_authority.upper_age_send if person.has_send else local_authority.upper_age
    if age < limit:
        return None
    if person.has_send:
        return _(
            "%(name)s is %(age)s: early help in %(la)s is for young people with SEND or a "
            "learning difficulty up to their %(limit)sth birthday. Contact adult social care "
            "or the SEND team instead."
        ) % {"name": person.full_name, "age": age, "la": local_authority.name, "limit": limit}
    return _(
        "%(name)s is %(age)s: early help in %(la)s is for children and young people up to "
        "their %(limit)sth birthday (%(send_limit)sth with SEND or a learning difficulty). If "
        "they have SEND, say so; otherwise contact adult services or the family's GP instead."
    ) % {
        "name": person.full_name,
        "age": age,
        "la": local_authority.name,
        "limit": limit,
        "send_limit": local_authority.upper_age_send,
    }
