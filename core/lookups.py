"""`in` on an integer column finds nothing for a number the column cannot hold.

Django already does this for `exact`, `lt` and the like (an id of 2**64 in a
URL is "not found"), but `in` sends the number to the database driver, which
raises OverflowError on SQLite and an out-of-range error on PostgreSQL: a
posted list of ids (a form's checkboxes) could crash the page. Registered on
IntegerField, so every integer and auto field, primary keys included, has it.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            # An empty list is an empty result, never a query (In's own rule).
            self.rhs = [value for value in self.rhs if _holds(low, high, value)]
        return super().process_rhs(compiler, connection)


def _holds(low, high, value):
    if not isinstance(value, int):
        return True  # None and expressions: In's own handling
    return (low is None or value >= low) and (high is None or value <= high)
