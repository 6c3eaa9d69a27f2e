"""Match keys follow every change to a person or a family (see indexing).

Indexing runs in the same transaction as the change, so a check made a
moment later already finds the person, and a change rolled back leaves no
keys behind."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from people.models import FamilyMember, Person

from . import indexing


def _with_their_families(person_ids):
    """These people and everyone in a family with them: a parent's name is
    part of each of their children's profiles."""
    families = FamilyMember.objects.filter(person_id__in=person_ids).values("family_id")
    return set(person_ids) | set(
        FamilyMember.objects.filter(family_id__in=families).values_list("person_id", flat=True)
    )


@receiver(post_save, sender=Person, dispatch_uid="matching-person-saved")
def person_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.index_person_ids(_with_their_families([instance.pk]))


@receiver(post_save, sender=FamilyMember, dispatch_uid="matching-member-saved")
@receiver(post_delete, sender=FamilyMember, dispatch_uid="matching-member-deleted")
def membership_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.index_person_ids(_with_their_families([instance.person_id]))
