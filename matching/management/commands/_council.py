from django.core.management.base import CommandError

from accounts.models import LocalAuthority


def council_from_slug(slug):
    council = LocalAuthority.objects.filter(slug=slug).first()
    if council is None:
        known = ", ".join(LocalAuthority.objects.order_by("slug").values_list("slug", flat=True))
        raise CommandError(f"No council with the short name '{slug}'. Known: {known or 'none'}.")
    return council
