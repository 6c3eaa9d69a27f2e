"""A number a column cannot hold finds nothing, instead of reaching the database.

Django does this for `exact`, `lt` and the like on an integer field (an id of
2**64 in a URL is "not found"), but not for `in`, nor for a foreign key
(`person_id=...`): those send the number to the database driver, which raises
OverflowError on SQLite (PostgreSQL compares it as a numeric), so an altered id
in a URL or a form could crash the page. Registered on IntegerField (every
integer and auto field, primary keys included) and on ForeignKey.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _integer_column(field):
    if isinstance(field, ForeignKey):
        field = field.target_field  # a foreign key holds its target's values
    return field if isinstance(field, IntegerField) else None


def _fits(connection, field, value):
    column = _integer_column(field)
    if column is None or not isinstance(value, int):
        return True  # None, expressions, other types: the lookup's own handling
    low, high = connection.ops.integer_field_range(column.get_internal_type())
    return (low is None or value >= low) and (high is None or value <= high)


class _InWithinRange:
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            # An empty list is an empty result, never a query (In's own rule).
            field = self.lhs.output_field
            self.rhs = [value for value in self.rhs if _fits(connection, field, value)]
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
