"""Related records a page has already read onto an object.

A page that shows the same records in several sections (the case page's
chronology, team and plan sections) reads them once with Django's
`prefetch_related_objects`; the functions that serve those sections take them
from here when they are there and query otherwise. Only a page prefetches, for
the one request it serves: an object passed in again after a change is read
afresh by whoever did not prefetch it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model


def prefetched(instance: Model, name: str) -> list[Any] | None:
    """The `name` records prefetched onto `instance`, in the prefetch query's
    order, or None when they were not prefetched."""
    if name not in getattr(instance, "_prefetched_objects_cache", {}):
        return None
    return list(getattr(instance, name).all())
