"""A model's writable fields, declared once as a `TypedDict` (total=False).

Each app declares the fields its services write (`accounts/fields.py`: `AccountFields`,
`ContactFields`, ...). A service takes them as `**fields: Unpack[AccountFields]`; a form or
serializer hands over its input as that type through its `service_fields()` method, so a
misspelt or mistyped field is a mypy error at every call site, splats included. A key that
is left out is "not given": an update leaves the field as it is, a create leaves it to the
model's default (the same meaning as `kam.unset.UNSET`).

`tests/test_fields.py` checks each TypedDict against its form's and serializer's fields,
and that no view splats `cleaned_data` / `validated_data` into a service untyped.
"""

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, cast

from kam.unset import UNSET


@cache
def _names(fields_type: type) -> frozenset[str]:
    return frozenset(fields_type.__annotations__)  # a TypedDict's keys, inherited ones too


def _check(fields_type: type, names: Iterable[str]) -> None:
    unknown = sorted(set(names) - _names(fields_type))
    if unknown:
        raise TypeError(f"{fields_type.__name__} has no field {', '.join(unknown)}")


def as_fields[F: Mapping[str, object]](
    fields_type: type[F], data: Mapping[str, Any], *, without: Iterable[str] = ()
) -> F:
    """A form's cleaned_data or a serializer's validated_data as the service's field set:
    the keys in `without` (handled by the caller) are left out, any other key must be a
    declared field (TypeError otherwise)."""
    left_out = set(without)
    fields = {name: value for name, value in data.items() if name not in left_out}
    _check(fields_type, fields)
    return cast(F, fields)


def given_fields(fields_type: type, fields: Mapping[str, object]) -> dict[str, Any]:
    """In the service: the given fields as a plain dict (an explicit UNSET counts as not
    given); an undeclared name is a TypeError, as an unknown keyword argument was."""
    _check(fields_type, fields)
    return {name: value for name, value in fields.items() if value is not UNSET}
