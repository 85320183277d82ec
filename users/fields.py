"""The fields a user writes on their own profile, declared once.

The same convention as kam.fields (users sits below kam, so it does not import it):
the service takes them as `**fields: Unpack[ProfileFields]`, the form hands them over
through `service_fields()`; tests/test_fields.py checks the form against the TypedDict.
"""

from collections.abc import Iterable
from typing import NotRequired, TypedDict


class ProfileFields(TypedDict):
    """Name, e-mail and language are set together; a reminder e-mail frequency left out
    (or None) stays as it was."""

    first_name: str
    last_name: str
    email: str
    language: str
    digest_frequency: NotRequired[str | None]


def check_profile_fields(names: Iterable[str]) -> None:
    """An undeclared name is a TypeError, as an unknown keyword argument was."""
    unknown = sorted(set(names) - set(ProfileFields.__annotations__))
    if unknown:
        raise TypeError(f"ProfileFields has no field {', '.join(unknown)}")
