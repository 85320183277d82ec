"""Suggestions and health facts as sentences in the user's language."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import Account
from kam.formats import SYMBOLS
from portfolio.classification import Suggestion


def percent(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return f"{number_format(value, decimal_pos=1)} %"


def compact_money(value: Decimal | None) -> str:
    """8,200,000 -> "8.2 M €" (German "8,2 Mio. €"); 820,000 -> "820 k €"."""
    if value is None:
        return "–"
    symbol = SYMBOLS.get(settings.CURRENCY, settings.CURRENCY)
    amount = Decimal(value)
    if abs(amount) >= 1_000_000:
        number = number_format(amount / 1_000_000, decimal_pos=1)
        return _("%(number)s M %(currency)s") % {"number": number, "currency": symbol}
    if abs(amount) >= 1_000:
        number = number_format(amount / 1_000, decimal_pos=0)
        return _("%(number)s k %(currency)s") % {"number": number, "currency": symbol}
    return f"{number_format(amount, decimal_pos=0)} {symbol}"


def suggestion_sentence(suggestion: Suggestion) -> str:
    """ "26.1 % of revenue in 2026, share of wallet 41.0 %, open potential 8.2 M €: key
    account" — the facts first, then the suggested status and the rule that decided."""
    facts = [
        _("%(share)s of revenue in %(year)s")
        % {"share": percent(suggestion.revenue_share), "year": suggestion.year}
    ]
    if suggestion.group_name:
        # A key account is the group: a subsidiary is measured with its group's figures.
        facts[0] = _("group %(group)s: %(facts)s") % {
            "group": suggestion.group_name,
            "facts": facts[0],
        }
    if suggestion.margin_share is not None and suggestion.rule.metric == "margin_share":
        facts.append(
            _("%(share)s of contribution margin") % {"share": percent(suggestion.margin_share)}
        )
    if suggestion.share_of_wallet is not None:
        facts.append(
            _("share of wallet %(share)s") % {"share": percent(suggestion.share_of_wallet)}
        )
    if suggestion.open_wallet is not None and suggestion.open_wallet > 0:
        facts.append(
            _("open potential %(amount)s") % {"amount": compact_money(suggestion.open_wallet)}
        )
    if suggestion.whitespace:
        facts.append(
            _("cross-/up-selling potential %(amount)s")
            % {"amount": compact_money(suggestion.whitespace)}
        )
    if suggestion.strategic_fit:
        facts.append(_("strategic fit %(fit)s of 5") % {"fit": suggestion.strategic_fit})
    if suggestion.needs_advice:
        facts.append(_("needs tailored solutions"))
    return _("%(facts)s: %(status)s (rule “%(rule)s”)") % {
        "facts": ", ".join(facts),
        "status": Account.Status(suggestion.suggested_status).label,
        "rule": _(suggestion.rule.name),
    }
