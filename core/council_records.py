"""Every row of a case carries its council, and every query names it.

So that case data can be distributed by council (Citus with
`local_authority_id` as the distribution column, or one database per group
of councils), each case table has a `local_authority` column, and each query
on one filters by it:

- `CouncilRecord` is the abstract base of a case's child tables (a meeting, a
  plan's goal, a consent...). It declares `council_from`, the parent its
  council comes from, and sets `local_authority` from it on `save` and
  `bulk_create`, so no caller has to remember.
- `CouncilManager` is the default (and, through `councils.install`, the base)
  manager of every case table: while a council is served
  (`core.councils.scope`), its querysets, related managers, foreign-key
  reads, saves and deletes filter `local_authority_id = <that council>`.
  Outside a scope (migrations, commands across councils) and inside
  `across_councils()` it filters nothing.
"""

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from django.db import models

from core import councils


def _council_of_parent(obj: models.Model, parents: dict[tuple[str, int], int]) -> int | None:
    """The council of the first parent the record has; `parents` caches the
    councils already looked up, so `bulk_create` asks once per parent."""
    names = obj.council_from  # type: ignore[attr-defined]
    for name in (names,) if isinstance(names, str) else names:
        field: Any = obj._meta.get_field(name)
        parent_id = getattr(obj, field.attname)
        if parent_id is None:
            continue
        cached: Any = field.get_cached_value(obj, default=None)
        if cached is not None and cached.local_authority_id is not None:
            return cached.local_authority_id
        key = (name, parent_id)
        if key not in parents:
            parent_model: Any = field.related_model
            # Scoped like any read: a parent of another council is not found.
            parents[key] = (
                parent_model._base_manager.filter(pk=parent_id)
                .values_list("local_authority_id", flat=True)
                .get()
            )
        return parents[key]
    return None


def set_council(obj: models.Model, parents: dict[tuple[str, int], int] | None = None) -> None:
    if getattr(obj, "local_authority_id", None) is None:
        obj.local_authority_id = _council_of_parent(obj, {} if parents is None else parents)  # type: ignore[attr-defined]


class CouncilQuerySet(models.QuerySet):
    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        if hasattr(self.model, "council_from"):
            parents: dict[tuple[str, int], int] = {}
            for obj in objs:
                set_council(obj, parents)
        return super().bulk_create(objs, *args, **kwargs)


class CouncilManager(models.Manager.from_queryset(CouncilQuerySet)):  # type: ignore[misc]
    """Limits every query to the council being served, if one is."""

    def get_queryset(self) -> models.QuerySet:
        queryset = super().get_queryset()
        council = councils.filtering_council()
        if council is None:
            return queryset
        return queryset.filter(local_authority_id=council)


class CouncilRecord(models.Model):
    """A record of a case, in its parent's council (`council_from`: the name of
    the foreign key to the parent, or several, the first that is set wins)."""

    council_from: ClassVar[str | Sequence[str]]

    # No index of its own: rows are found by their parent's key, and the
    # council is the predicate that routes the query (the distribution
    # column), not the one that narrows it.
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
    )

    objects = CouncilManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        set_council(self)
        super().save(*args, **kwargs)


def join_on_council(field: Any) -> None:
    """Make every join along `field` (between two case tables) also match the
    council: `ON child.episode_id = episode.id AND child.local_authority_id =
    episode.local_authority_id`, so a `select_related` or a filter across a
    relation names the council of each table it joins (a co-located join
    when the tables are distributed by council)."""
    council: Any = field.related_model._meta.get_field("local_authority")

    def get_extra_restriction(alias: str | None, related_alias: str | None) -> Any:
        # Django asks without one of the aliases when it pushes an exclude down
        # into a subquery; the subquery's own manager-less query then has no
        # second table to compare with.
        if alias is None or related_alias is None:
            return None
        return council.get_lookup("exact")(council.get_col(alias), council.get_col(related_alias))

    field.get_extra_restriction = get_extra_restriction
