"""`path__in_subtree_of`: the account whose materialised path is given and every account
below it.

`path__startswith=OuterRef("path")` means the same, but a LIKE whose pattern comes from
the outer row cannot use an index: PostgreSQL scans every account once per outer row
(the group roll-ups of the objectives' forecast did that up to 40 times per objective).
Paths end with "/" and hold only digits and slashes, so "starts with P" is also the byte
range [P, P without its last "/" + "0"), which the path's `varchar_pattern_ops` index
answers with the `~>=~` / `~<~` operators, whatever the database's collation.
"""

from django.db.models import CharField, Lookup


class InSubtreeOf(Lookup):
    lookup_name = "in_subtree_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        like = f"{lhs} LIKE ({rhs} || '%%')"
        params = [*lhs_params, *rhs_params]
        if connection.vendor != "postgresql":
            return like, params
        in_range = f"{lhs} ~>=~ {rhs} AND {lhs} ~<~ (left({rhs}, -1) || '0')"
        return f"({in_range} AND {like})", params * 3


def register(field: CharField) -> None:
    field.register_lookup(InSubtreeOf)
