"""A number a column cannot hold finds nothing, instead of reaching the database.

Django does this for `exact`, `lt` and the like on an integer field (an id of
2**64 in a URL is "not found"), but not for `in`, nor for a foreign key
(`person_id=...`): those send the number to the database driver, which raises
OverflowError on SQLite (PostgreSQL compares it as a numeric), so an altered id
in a URL or a form could crash the page. Registered on IntegerField (every
integer and auto field, primary keys included) and on ForeignKey.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey, IntegerField, Lookup
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _integer_column(field):
    if isinstance(field, ForeignKey):
        field = field.target_field  # a foreign key holds its target's values
    return field if isinstance(field, IntegerField) else None


def _range(connection, field):
    """The lowest and highest value `field`'s column holds (None: no bound),
    or None when it is not an integer column."""
    column = _integer_column(field)
    if column is None:
        return None
    return connection.ops.integer_field_range(column.get_internal_type())


def _within(value, low, high):
    if not isinstance(value, int):
        return True  # None, expressions, other types: the lookup's own handling
    return (low is None or value >= low) and (high is None or value <= high)


def _fits(connection, field, value):
    bounds = _range(connection, field)
    return bounds is None or _within(value, *bounds)


class _InWithinRange:
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            # An empty list is an empty result, never a query (In's own rule).
            # The column's range is looked up once, not for each of what can
            # be thousands of ids (a district's open cases, read once).
            bounds = _range(connection, self.lhs.output_field)
            if bounds is not None:
                low, high = bounds
                self.rhs = [value for value in self.rhs if _within(value, low, high)]
        return super().process_rhs(compiler, connection)


class _ExactWithinRange:
    def process_rhs(self, compiler, connection):
        if not _fits(connection, self.lhs.output_field, self.rhs):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


@IntegerField.register_lookup
class IntegerFieldIn(_InWithinRange, In):
    pass


@ForeignKey.register_lookup
class ForeignKeyIn(_InWithinRange, RelatedIn):
    pass


@ForeignKey.register_lookup
class ForeignKeyExact(_ExactWithinRange, RelatedExact):
    pass


@IntegerField.register_lookup
@ForeignKey.register_lookup
class AnyOf(Lookup):
    """`pk__any_of=ids` (or `person_id__any_of=ids`): `in` for a long list of
    ids the service read itself (episodes.work_owed.open_cases_read_once: a
    district's hundreds of open cases; a match's hundreds of candidates).
    On PostgreSQL the list goes as one array parameter, `= ANY(%s)` (the plan
    PostgreSQL makes of an IN list anyway), instead of a placeholder, a
    conversion and an adaptation per id on every query that uses it: 7 to
    15 ms of Python for 2,500 ids. Elsewhere it is `in`. Ids only (whole
    numbers), never model instances."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        bounds = _range(connection, self.lhs.output_field)
        low, high = bounds if bounds is not None else (None, None)
        ids = [int(value) for value in self.rhs if value is not None and _within(value, low, high)]
        if not ids:
            raise EmptyResultSet  # nothing to find: no query (In's own rule)
        if connection.vendor != "postgresql":
            return compiler.compile(In(self.lhs, ids))
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs_sql} = ANY(%s)", (*lhs_params, ids)


@IntegerField.register_lookup
@ForeignKey.register_lookup
class InPerRow(Lookup):
    """`pk__in_per_row=RawSQL(sql, params)`: `in` a set given as SQL (the
    visibility rule's union of routes, core.policy), for a query that keeps
    only a few rows by other means (one case by its id, a search's handful of
    candidates). PostgreSQL works out a set in `IN (...)` whole, then matches
    (a busy practitioner's: 500 cases and 4 to 6 ms, to keep six), and plans
    it among the query's joins. Here it asks the set about each row instead:
    `EXISTS (SELECT 1 FROM (set) AS seen (id) WHERE seen.id = row OFFSET 0)`
    (OFFSET 0 keeps the subquery its own, so the row's id is pushed into each
    part of the union). Elsewhere it is `in`. The same rows either way."""

    lookup_name = "in_per_row"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = compiler.compile(self.rhs)
        if connection.vendor != "postgresql":
            return f"{lhs_sql} IN {rhs_sql}", (*lhs_params, *rhs_params)
        # Both parts are compiled SQL with their values as parameters.
        sql = f"EXISTS (SELECT 1 FROM {rhs_sql} AS seen (id) WHERE seen.id = {lhs_sql} OFFSET 0)"  # noqa: S608
        return sql, (*rhs_params, *lhs_params)
