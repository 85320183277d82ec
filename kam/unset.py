"""`UNSET`, the default of a service's optional field arguments: "not given".

Most services now take their fields as one TypedDict (`**fields: Unpack[XFields]`, see
kam.fields), where a key left out is "not given"; the rest still take one argument per
field, as below. An explicit UNSET in a TypedDict's field counts as not given too.

Services take their fields as typed keyword-only arguments, so that a misspelt or unknown
field is a type error (mypy) and a TypeError at run time, never silently ignored. An update
changes only the fields it is given, and None is a real value (a cleared date, no parent),
so "not given" needs a marker of its own; a create leaves a field that is not given to the
model's default.

    def contract_update(*, actor: User, contract: Contract, title: str | Unset = UNSET):
        fields = given(title=title)  # {} when the caller did not send a title
"""

import enum
from typing import Any, Final


class Unset(enum.Enum):
    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET


def given(**values: Any) -> dict[str, Any]:
    """The keyword arguments that were given (not UNSET), in their order."""
    return {name: value for name, value in values.items() if value is not UNSET}
