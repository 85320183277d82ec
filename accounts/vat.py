"""VAT identification numbers of customers in the European Union.

A VAT ID is stored as the tax offices print it on an invoice, without the spaces, dots
and dashes people type: "de 123.456.789" is stored as "DE123456789". It is checked for
the format of its member state: the two-letter prefix (Greece "EL", Northern Ireland
"XI") and the pattern of digits and letters that the European Commission publishes for
VIES ("VIES VAT number validation", FAQ "What is the structure of a VAT number?").
Check digits are not computed: the format catches the typing mistakes that matter for a
CRM (a missing digit, a wrong prefix), and VIES remains the authority.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# The part after the prefix, per member state (VIES formats).
FORMATS: dict[str, str] = {
    "AT": r"U\d{8}",
    "BE": r"[01]\d{9}",
    "BG": r"\d{9,10}",
    "CY": r"\d{8}[A-Z]",
    "CZ": r"\d{8,10}",
    "DE": r"\d{9}",
    "DK": r"\d{8}",
    "EE": r"\d{9}",
    "EL": r"\d{9}",
    "ES": r"[A-Z0-9]\d{7}[A-Z0-9]",
    "FI": r"\d{8}",
    "FR": r"[A-HJ-NP-Z0-9]{2}\d{9}",
    "HR": r"\d{11}",
    "HU": r"\d{8}",
    "IE": r"\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W]",
    "IT": r"\d{11}",
    "LT": r"\d{9}|\d{12}",
    "LU": r"\d{8}",
    "LV": r"\d{11}",
    "MT": r"\d{8}",
    "NL": r"\d{9}B\d{2}",
    "PL": r"\d{10}",
    "PT": r"\d{9}",
    "RO": r"[1-9]\d{1,9}",
    "SE": r"\d{10}01",
    "SI": r"\d{8}",
    "SK": r"\d{10}",
    "XI": r"\d{9}|\d{12}|GD\d{3}|HA\d{3}",
}
PATTERNS = {prefix: re.compile(rf"(?:{pattern})") for prefix, pattern in FORMATS.items()}
# Greece's ISO code, which people type, is not its VAT prefix.
PREFIX_ALIASES = {"GR": "EL"}
# As the tax offices write it: digits and letters only.
_NOISE = re.compile(r"[\s.\-/_,]+")


def normalise(value: str | None) -> str:
    """ "de 123.456.789" -> "DE123456789"; "GR…" -> "EL…"."""
    compact = _NOISE.sub("", value or "").upper()
    prefix = compact[:2]
    if prefix in PREFIX_ALIASES:
        compact = PREFIX_ALIASES[prefix] + compact[2:]
    return compact


def example(prefix: str) -> str:
    return {"DE": "DE123456789", "AT": "ATU12345678", "NL": "NL123456789B01"}.get(
        prefix, "DE123456789"
    )


@deconstructible
class VatIdValidator:
    """A normalised VAT ID in the format of its EU member state."""

    def __call__(self, value: str) -> None:
        if not value:
            return
        prefix, number = value[:2], value[2:]
        pattern = PATTERNS.get(prefix)
        if pattern is None:
            raise ValidationError(
                _(
                    "Enter an EU VAT ID starting with the country code, "
                    "for example DE123456789 or ATU12345678."
                ),
                code="vat_prefix",
            )
        if not pattern.fullmatch(number):
            raise ValidationError(
                _("This is not a valid VAT ID for %(country)s (for example %(example)s).")
                % {"country": prefix, "example": example(prefix)},
                code="vat_format",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VatIdValidator)

    def __hash__(self) -> int:
        return hash(type(self))


class VatIdField(models.CharField):
    """A VAT ID, normalised before it is validated and again before it is saved, so a
    form, the API, an import and the admin store the same spelling."""

    default_validators = [VatIdValidator()]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = normalise(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
