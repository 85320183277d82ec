"""The suggested status of each account, from the rules in the admin table, in SQL.

Per account and year the query computes the metrics the rules speak of (a group's root
counts with all its subsidiaries, any other account on its own):
- revenue share / margin share: revenue (margin) × 100 / company totals of the year, or
  the sum over the accounts kept here when none were entered;
- share of wallet: revenue × 100 / revenue potential;
- open potential ("open wallet"): revenue potential − revenue;
- whitespace: the open potential of the account's whitespace matrix (open, competitor and
  unknown cells on active product lines);
- strategic fit (1-5, portfolio facts) and need for advice (individual requirements, 0/1).
The active rules become one CASE expression, tried in their order: the first rule whose
bounds (inclusive) hold names the suggested status. Former customers get no suggestion,
and "potential key account" is no news for an account that is a key account already.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from accounts.models import Account, ProductLine, YearlyFigures
from planning.models import BusinessUnit, WhitespaceCell
from planning.whitespace.selectors import OPEN_STATES
from portfolio.concentration import (
    _dec,
    _money,
    _named,
    _round,
    denominator_sql,
    root_sql,
)
from portfolio.models import (
    AccountPortfolio,
    ClassificationRule,
    CompanyTotals,
    SuggestionDecision,
)

Metric = ClassificationRule.Metric


@dataclass(frozen=True)
class Suggestion:
    account_id: int
    name: str
    status: str
    tier: str
    year: int
    rule: ClassificationRule
    revenue: Decimal
    revenue_share: Decimal | None
    margin_share: Decimal | None
    share_of_wallet: Decimal | None
    open_wallet: Decimal | None
    whitespace: Decimal
    strategic_fit: int | None
    needs_advice: bool
    is_group: bool
    # The group a subsidiary is measured with (a key account is the group); None for a
    # group's root and for an account on its own.
    group_name: str | None = None

    @property
    def suggested_status(self) -> str:
        return self.rule.suggests

    @property
    def differs(self) -> bool:
        return self.suggested_status != self.status


def _condition(rule: ClassificationRule, params: dict) -> str:
    column = Metric(rule.metric).value  # a known column name, never user text
    parts = []
    for operator, bound in ((">=", rule.minimum), ("<=", rule.maximum)):
        if bound is not None:
            name = f"r{len(params)}"
            params[name] = bound
            # SQLite binds Decimals as text: cast, or every comparison with text fails.
            parts.append(f"{column} {operator} CAST(%({name})s AS NUMERIC)")
    return " AND ".join(parts)


def _rules_case(rules: list[ClassificationRule], params: dict) -> str:
    if not rules:
        return "CAST(NULL AS integer)"
    whens = []
    for rule in rules:
        whens.append(f"WHEN {_condition(rule, params)} THEN {int(rule.pk)}")
    return "CASE " + " ".join(whens) + " END"


def active_rules() -> list[ClassificationRule]:
    return list(ClassificationRule.objects.filter(active=True).order_by("position", "pk"))


def _sql(*, scope: str, rules_case: str, pending: bool, limit: str) -> str:
    figures = YearlyFigures._meta.db_table
    accounts = Account._meta.db_table
    cells = WhitespaceCell._meta.db_table
    units = BusinessUnit._meta.db_table
    lines = ProductLine._meta.db_table
    facts = AccountPortfolio._meta.db_table
    totals = CompanyTotals._meta.db_table
    decisions = SuggestionDecision._meta.db_table
    open_states = ", ".join(f"'{state}'" for state in OPEN_STATES)
    pending_filter = ""
    if pending:
        pending_filter = f"""
        AND x.suggests <> x.status
        AND NOT (x.status = 'key_account' AND x.suggests = 'potential')
        AND NOT EXISTS (SELECT 1 FROM {decisions} d WHERE d.account_id = x.id
                        AND d.year = %(year)s AND d.suggested_status = x.suggests
                        AND d.decision = 'rejected')"""
    return f"""
    WITH unit AS (
        SELECT {root_sql()} AS unit_id, SUM(f.revenue) AS revenue,
               SUM(f.contribution_margin) AS margin, SUM(f.revenue_potential) AS potential
        FROM {figures} f JOIN {accounts} a ON a.id = f.account_id
        WHERE f.year = %(year)s GROUP BY {root_sql()}
    ), sys AS (
        SELECT SUM(revenue) AS revenue, SUM(contribution_margin) AS margin
        FROM {figures} WHERE year = %(year)s
    ), ws AS (
        SELECT bu.account_id, SUM(c.potential) AS potential
        FROM {cells} c JOIN {units} bu ON bu.id = c.business_unit_id
        JOIN {lines} pl ON pl.id = c.product_line_id
        WHERE c.state IN ({open_states}) AND pl.active GROUP BY bu.account_id
    ), m AS (
        SELECT a.id, a.name, a.status, a.tier,
               (a.parent_id IS NULL AND u.unit_id IS NOT NULL
                AND EXISTS (SELECT 1 FROM {accounts} s WHERE s.parent_id = a.id)) AS is_group,
               CASE WHEN a.parent_id IS NULL THEN NULL ELSE g.name END AS group_name,
               u.revenue AS revenue, u.margin AS margin, u.potential AS potential,
               COALESCE(ws.potential, 0) AS whitespace,
               ap.strategic_fit,
               CASE WHEN a.individual_requirements THEN 1 ELSE 0 END AS needs_advice
        FROM {accounts} a
        LEFT JOIN unit u ON u.unit_id = {root_sql()}
        LEFT JOIN {accounts} g ON g.id = {root_sql()}
        LEFT JOIN ws ON ws.account_id = a.id
        LEFT JOIN {facts} ap ON ap.account_id = a.id
        WHERE a.status <> 'former' {scope}
    ), s AS (
        SELECT m.*,
               m.revenue * 100.0 / {denominator_sql("ct.revenue", "sys.revenue")}
                   AS revenue_share,
               m.margin * 100.0 / {denominator_sql("ct.contribution_margin", "sys.margin")}
                   AS margin_share,
               m.revenue * 100.0 / NULLIF(m.potential, 0) AS share_of_wallet,
               m.potential - COALESCE(m.revenue, 0) AS open_wallet
        FROM m CROSS JOIN sys LEFT JOIN {totals} ct ON ct.year = %(year)s
    ), r AS (
        SELECT s.*, {rules_case} AS rule_id FROM s
    ), x AS (
        SELECT r.*, rl.suggests FROM r JOIN portfolio_classificationrule rl ON rl.id = r.rule_id
    )
    SELECT x.id, x.name, x.status, x.tier, x.revenue, x.revenue_share, x.margin_share,
           x.share_of_wallet, x.open_wallet, x.whitespace, x.strategic_fit, x.needs_advice,
           x.is_group, x.rule_id, x.group_name, COUNT(*) OVER () AS total
    FROM x
    WHERE 1 = 1 {pending_filter}
    ORDER BY x.revenue_share DESC NULLS LAST, x.id
    {limit}
    """


def _q(value) -> Decimal | None:
    return _round(_dec(value)) if value is not None else None


def suggestions(
    *,
    year: int,
    visible_ids_sql: tuple[str, list] | None = None,
    account_ids: list[int] | None = None,
    pending: bool = True,
    limit: int = 25,
    offset: int = 0,
    rules: list[ClassificationRule] | None = None,
) -> tuple[list[Suggestion], int]:
    """The suggested status of the accounts in scope (`visible_ids_sql`, None: all; and
    `account_ids` if given), biggest share first; with `pending` only those that differ
    from the current status and were not rejected for this year. Returns one page and
    the total. One query (and one for the rules unless given)."""
    rules = active_rules() if rules is None else rules
    by_id = {rule.pk: rule for rule in rules}
    params: dict = {"year": year}
    rules_case = _rules_case(rules, params)
    scope = ""
    if visible_ids_sql is not None:
        sql, sql_params = visible_ids_sql
        scope += f" AND a.id IN ({_named(sql, sql_params, params)})"
    if account_ids is not None:
        ids = ",".join(str(int(pk)) for pk in account_ids) or "NULL"
        scope += f" AND a.id IN ({ids})"
    limit_sql = f"LIMIT {int(limit)} OFFSET {int(offset)}"
    with connection.cursor() as cursor:
        cursor.execute(
            _sql(scope=scope, rules_case=rules_case, pending=pending, limit=limit_sql), params
        )
        rows = cursor.fetchall()
    total = rows[0][-1] if rows else 0
    result = []
    for row in rows:
        (pk, name, status, tier, revenue, rev_share, mar_share, sow, open_wallet, whitespace,
         fit, advice, is_group, rule_id, group_name, _total) = row  # fmt: skip
        result.append(
            Suggestion(
                account_id=pk,
                name=name,
                status=status,
                tier=tier,
                year=year,
                rule=by_id[rule_id],
                revenue=_money(revenue),
                revenue_share=_q(rev_share),
                margin_share=_q(mar_share),
                share_of_wallet=_q(sow),
                open_wallet=_dec(open_wallet) if open_wallet is not None else None,
                whitespace=_dec(whitespace),
                strategic_fit=fit,
                needs_advice=bool(advice),
                is_group=bool(is_group),
                group_name=group_name,
            )
        )
    return result, total


def suggestion_for(account: Account, *, year: int) -> Suggestion | None:
    """The suggestion of one account (pending or not); two queries."""
    found, _ = suggestions(year=year, account_ids=[account.pk], pending=False, limit=1)
    return found[0] if found else None
