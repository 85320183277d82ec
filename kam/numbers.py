"""One rounding rule for every figure shown: half up (0.5 → 1, 12.5 → 13), as on paper and
in the business cases; Python's own round() and Decimal.quantize round half to even."""

from decimal import ROUND_HALF_UP, Decimal

ONE = Decimal(1)


def round_half_up(value: Decimal | int | float, exponent: Decimal = ONE) -> Decimal:
    """`value` rounded half up to the places of `exponent` (Decimal("0.1"): one decimal)."""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(exponent, rounding=ROUND_HALF_UP)


def round_points(value: Decimal | int | float) -> int:
    """Whole points, half up (25 % of 50 points is 13, not 12)."""
    return int(round_half_up(value))
