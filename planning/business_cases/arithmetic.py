"""The arithmetic of a business-case scenario: pure functions on Decimal, no database.

Every intermediate value is kept at full precision; each result is rounded ONCE, at the
end: money to the cent (ROUND_HALF_UP), months and percentages to one decimal. So a
result's parts may add up to one cent more or less than the rounded result.

Definitions (V = yearly volume, P = unit price, v% = volume change, p% = price change):

- baseline spend (the customer's spend with us per year) = V × P
- new volume = V × (1 + v%); new unit price = P × (1 + p%)
- new spend = new volume × new unit price
- the customer's yearly saving has two parts, both shown:
  - price effect = new volume × (P − new unit price): what the new price saves (negative
    when the price rises) on what the customer buys after the change; buying more or less
    is not a saving, so a volume change alone saves nothing;
  - upgrade saving = the upgrade's or adaptation's yearly saving, as entered (it lowers
    the customer's process cost, shown before and after);
  yearly saving = price effect + upgrade saving
- saving over the horizon = yearly saving × horizon years − one-off cost
- ROI (%) = saving over the horizon / one-off cost × 100; none when there is no one-off
  cost (nothing was invested)
- payback (months) = one-off cost / (yearly saving / 12); "not reached" when the yearly
  saving is zero or less; 0 when there is no one-off cost and the saving is positive
- the upgrade saving cannot exceed the customer's process cost: it lowers that cost, and
  a cost below zero is no saving (refused with a field error)
- net present value (NPV) at the case's discount rate r = − one-off cost + Σ yearly saving
  / (1 + r)^t for t = 1 … horizon years; internal rate of return (IRR) = the r at which
  the NPV is 0 (found by bisection); none without a one-off cost or without a positive
  yearly saving (there is no investment to pay back); above IRR_LIMIT_PCT (1,000 %) no
  number but "> 1,000 %" (`irr_above_limit`, `irr_note` says why): the saving earns the
  one-off cost back more than ten times within the first year, and any figure up there
  says nothing more
- our revenue effect per year = new spend − baseline spend; the one-off price the customer
  pays us (the one-off cost) comes on top in the first year: first-year revenue effect =
  revenue effect + one-off cost, over the horizon = revenue effect × years + one-off cost
- our contribution-margin effect per year: the margin % is ours at the baseline price, so
  the variable cost per unit, P × (1 − margin %), stays; the new margin is
  new volume × (new unit price − unit cost); effect = new margin − baseline margin.
  Without a price change this is exactly revenue effect × margin %; a price cut comes off
  the margin in full, as it does in reality.
"""

from dataclasses import dataclass
from decimal import Decimal, localcontext

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kam.formats import money
from kam.numbers import round_half_up

CENT = Decimal("0.01")
# What a money field (16 digits, 2 of them decimals) and a percentage or month result
# (12 digits, 1 decimal) hold: a scenario whose results do not fit is refused, so that no
# stored scenario can break a page, the API or a sum.
MONEY_LIMIT = Decimal("99999999999999.99")
RATIO_LIMIT = Decimal("99999999999.9")
TENTH = Decimal("0.1")
HUNDRED = Decimal("100")
TWELVE = Decimal("12")


class InvalidScenario(ValueError):
    """Inputs the arithmetic cannot work with; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


class ScenarioTooLarge(InvalidScenario):
    """Valid inputs whose results would not fit the money and percentage fields."""


@dataclass(frozen=True)
class ScenarioInput:
    yearly_volume: Decimal
    unit_price: Decimal
    horizon_years: int
    process_cost: Decimal = Decimal("0")
    price_change_pct: Decimal = Decimal("0")
    volume_change_pct: Decimal = Decimal("0")
    one_off_cost: Decimal = Decimal("0")
    yearly_saving: Decimal = Decimal("0")
    margin_pct: Decimal = Decimal("0")
    discount_rate_pct: Decimal = Decimal("0")


@dataclass(frozen=True)
class ScenarioResult:
    baseline_spend: Decimal
    new_volume: Decimal
    new_unit_price: Decimal
    new_spend: Decimal
    # The customer's side.
    price_effect: Decimal
    upgrade_saving: Decimal
    yearly_saving: Decimal
    process_cost: Decimal
    process_cost_after: Decimal
    horizon_years: int
    horizon_saving_gross: Decimal  # yearly saving × horizon, before the one-off cost
    one_off_cost: Decimal
    horizon_saving: Decimal  # net of the one-off cost
    roi_pct: Decimal | None
    payback_months: Decimal | None
    payback_note: str  # why there is no payback, or that it lies beyond the horizon
    discount_rate_pct: Decimal
    npv: Decimal
    irr_pct: Decimal | None
    irr_above_limit: bool  # above IRR_LIMIT_PCT: no number, irr_note says why
    irr_note: str
    # Our side.
    revenue_effect: Decimal
    revenue_effect_first_year: Decimal  # with the one-off price the customer pays us
    revenue_effect_horizon: Decimal
    baseline_margin: Decimal
    new_margin: Decimal
    margin_effect: Decimal

    @property
    def payback_reached(self) -> bool:
        return self.payback_months is not None

    @property
    def payback_within_horizon(self) -> bool:
        return self.payback_months is not None and self.payback_months <= self.horizon_years * 12


def check(data: ScenarioInput) -> dict[str, str]:
    """Field errors for inputs the arithmetic refuses (the model validates the same)."""
    errors: dict[str, str] = {}
    if data.horizon_years is None or data.horizon_years < 1:
        errors["horizon_years"] = _("The horizon must be at least one year.")
    for name in ("yearly_volume", "unit_price", "process_cost", "one_off_cost"):
        value = getattr(data, name)
        if value is None or value < 0:
            errors[name] = _("Must not be negative.")
    for name in ("price_change_pct", "volume_change_pct"):
        if getattr(data, name) < -100:
            errors[name] = _("A change cannot be less than −100 %.")
    process_cost = data.process_cost or Decimal("0")
    if data.yearly_saving is not None and data.yearly_saving > process_cost:
        errors["yearly_saving"] = _(
            "The yearly saving (%(saving)s) cannot be larger than the customer's process cost"
            " (%(cost)s): the saving lowers that cost. Enter the process cost first."
        ) % {"saving": money(data.yearly_saving), "cost": money(process_cost)}
    return errors


def _npv(rate: Decimal, *, one_off: Decimal, yearly: Decimal, years: int) -> Decimal:
    return -one_off + sum(yearly / (1 + rate) ** t for t in range(1, years + 1))


IRR_LIMIT_PCT = Decimal(1000)
ABOVE_LIMIT = object()


def _irr(*, one_off: Decimal, yearly: Decimal, years: int) -> Decimal | object | None:
    """The rate at which the NPV is 0; the NPV falls as the rate rises, so bisect.
    ABOVE_LIMIT when the NPV is still positive at IRR_LIMIT_PCT."""
    if one_off <= 0 or yearly <= 0:
        return None
    low, high = Decimal("-0.9999"), IRR_LIMIT_PCT / HUNDRED
    if _npv(high, one_off=one_off, yearly=yearly, years=years) > 0:
        return ABOVE_LIMIT
    for _step in range(200):
        middle = (low + high) / 2
        if _npv(middle, one_off=one_off, yearly=yearly, years=years) > 0:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _money(value: Decimal) -> Decimal:
    return round_half_up(value, CENT)


def _tenth(value: Decimal) -> Decimal:
    return round_half_up(value, TENTH)


def compute(data: ScenarioInput) -> ScenarioResult:
    """The results of one scenario; raises InvalidScenario for inputs it cannot use."""
    errors = check(data)
    if errors:
        raise InvalidScenario(errors)
    with localcontext() as ctx:
        ctx.prec = 40  # well beyond MONEY's 16 digits: no rounding before the end
        volume, price = Decimal(data.yearly_volume), Decimal(data.unit_price)
        new_volume = volume * (1 + Decimal(data.volume_change_pct) / HUNDRED)
        new_price = price * (1 + Decimal(data.price_change_pct) / HUNDRED)
        baseline_spend = volume * price
        new_spend = new_volume * new_price

        price_effect = new_volume * (price - new_price)
        upgrade_saving = Decimal(data.yearly_saving)
        yearly_saving = price_effect + upgrade_saving
        one_off = Decimal(data.one_off_cost)
        gross = yearly_saving * data.horizon_years
        net = gross - one_off

        roi = net / one_off * HUNDRED if one_off > 0 else None
        note = ""
        if yearly_saving <= 0:
            payback = None
            note = _("Not reached: the customer saves nothing per year.")
        elif one_off == 0:
            payback = Decimal("0")
        else:
            payback = one_off / (yearly_saving / TWELVE)
            if payback > data.horizon_years * 12:
                note = _("Beyond the horizon of %(years)s years.") % {"years": data.horizon_years}
            if payback > RATIO_LIMIT:
                payback = None  # further off than any field holds: only the note says it

        rate = Decimal(data.discount_rate_pct) / HUNDRED
        npv = _npv(rate, one_off=one_off, yearly=yearly_saving, years=data.horizon_years)
        irr = _irr(one_off=one_off, yearly=yearly_saving, years=data.horizon_years)

        margin_rate = Decimal(data.margin_pct) / HUNDRED
        unit_cost = price * (1 - margin_rate)
        baseline_margin = volume * (price - unit_cost)
        new_margin = new_volume * (new_price - unit_cost)

        result = ScenarioResult(
            baseline_spend=_money(baseline_spend),
            new_volume=_money(new_volume),
            new_unit_price=_money(new_price),
            new_spend=_money(new_spend),
            price_effect=_money(price_effect),
            upgrade_saving=_money(upgrade_saving),
            yearly_saving=_money(yearly_saving),
            process_cost=_money(Decimal(data.process_cost)),
            process_cost_after=_money(Decimal(data.process_cost) - upgrade_saving),
            horizon_years=data.horizon_years,
            horizon_saving_gross=_money(gross),
            one_off_cost=_money(one_off),
            horizon_saving=_money(net),
            roi_pct=None if roi is None else _tenth(roi),
            payback_months=None if payback is None else _tenth(payback),
            payback_note=note,
            discount_rate_pct=Decimal(data.discount_rate_pct),
            npv=_money(npv),
            irr_pct=_tenth(irr * HUNDRED) if isinstance(irr, Decimal) else None,
            irr_above_limit=irr is ABOVE_LIMIT,
            irr_note=_(
                "Above %(limit)s %%: the saving earns the one-off cost back more than ten"
                " times within the first year; a rate up there says nothing more."
            )
            % {"limit": number_format(IRR_LIMIT_PCT, force_grouping=True)}
            if irr is ABOVE_LIMIT
            else "",
            revenue_effect=_money(new_spend - baseline_spend),
            revenue_effect_first_year=_money(new_spend - baseline_spend + one_off),
            revenue_effect_horizon=_money(
                (new_spend - baseline_spend) * data.horizon_years + one_off
            ),
            baseline_margin=_money(baseline_margin),
            new_margin=_money(new_margin),
            margin_effect=_money(new_margin - baseline_margin),
        )
    _check_size(result)
    return result


def _check_size(result: ScenarioResult) -> None:
    ratio_names = ("roi_pct", "payback_months", "irr_pct", "discount_rate_pct")
    money = [v for k, v in vars(result).items() if isinstance(v, Decimal) and k not in ratio_names]
    if any(abs(v) > MONEY_LIMIT for v in money):
        raise ScenarioTooLarge(
            {
                "yearly_volume": _(
                    "Volume and price give amounts too large to compute; the amounts of a"
                    " scenario must stay below 100 trillion."
                )
            }
        )
    if any(v is not None and abs(v) > RATIO_LIMIT for v in (result.roi_pct, result.irr_pct)):
        raise ScenarioTooLarge(
            {"one_off_cost": _("The one-off cost is too small against the saving to compute.")}
        )


def scenario_input(
    scenario, horizon_years: int, discount_rate_pct: Decimal = Decimal("0")
) -> ScenarioInput:
    """The arithmetic's input from a planning.models.Scenario and its case's horizon and
    discount rate."""
    return ScenarioInput(
        yearly_volume=scenario.yearly_volume,
        unit_price=scenario.unit_price,
        horizon_years=horizon_years,
        process_cost=scenario.process_cost,
        price_change_pct=scenario.price_change_pct,
        volume_change_pct=scenario.volume_change_pct,
        one_off_cost=scenario.one_off_cost,
        yearly_saving=scenario.yearly_saving,
        margin_pct=scenario.margin_pct,
        discount_rate_pct=discount_rate_pct,
    )


def scenario_result(
    scenario, horizon_years: int, discount_rate_pct: Decimal = Decimal("0")
) -> ScenarioResult | None:
    """Results of a stored scenario, or None if its inputs cannot be computed."""
    try:
        return compute(scenario_input(scenario, horizon_years, discount_rate_pct))
    except InvalidScenario:
        return None
