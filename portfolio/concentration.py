"""Shares, concentration and the Pareto curve, computed in SQL.

A *unit* is what the company depends on: a group with all its subsidiaries counts once
(the root of the account hierarchy), a single account counts on its own. Shares are of
the company's own totals of the year (`CompanyTotals`) when an administrator or the ERP
entered them, otherwise of the sum over the accounts kept here (`uses_company_totals`
says which).

Definitions (README "Portfolio"):
- revenue share = unit revenue / company revenue × 100, margin share likewise;
- HHI = Σ (revenue share in %)², 0-10,000, over the units kept here;
- top-5 / top-10 share = revenue of the 5 / 10 biggest units / company revenue × 100;
- Pareto: units ranked by revenue (ties by id); the cumulative share runs over the
  accounts kept here; ABC class A while the cumulative share *before* the unit is below
  `PORTFOLIO_ABC_A` (80 %), B while below `PORTFOLIO_ABC_B` (95 %), C after that, so the
  unit that crosses a line still belongs to the class before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts import hierarchy
from accounts.models import Account
from kam.numbers import round_half_up
from kam.versioned_cache import FIGURES, cached
from portfolio.models import ClassificationRule

HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")
DEFAULT_RED = Decimal(50)
DEFAULT_AMBER = Decimal(25)


def _dec(value) -> Decimal:
    """SQLite hands back floats, PostgreSQL Decimals: one type for the callers."""
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


CENT = Decimal("0.01")


def _money(value) -> Decimal:
    """A sum of money in cents (SQLite sums decimals as floats: 0.1 + 0.2 = 0.30000000000000004)."""
    return _dec(value).quantize(CENT)


def _exact_share(part, whole) -> Decimal | None:
    """part × 100 / whole, unrounded: warnings compare this, never the rounded one."""
    whole = _dec(whole)
    if not whole:
        return None
    return _dec(part) * HUNDRED / whole


def _round(share: Decimal | None) -> Decimal | None:
    """Rounded for display only (half up, as all the figures shown)."""
    return round_half_up(share, ONE_DECIMAL) if share is not None else None


def _share(part, whole) -> Decimal | None:
    return _round(_exact_share(part, whole))


def denominator_of(company, accounts) -> Decimal:
    """The company total, but never less than the sum over the accounts kept here (totals
    entered before the accounts' figures grew would give shares above 100 %)."""
    accounts = _dec(accounts)
    if company is None:
        return accounts
    return max(_dec(company), accounts)


def denominator_sql(company: str, accounts: str) -> str:
    """denominator_of in SQL, NULL instead of 0 so that no division fails."""
    return f"NULLIF(CASE WHEN {company} > {accounts} THEN {company} ELSE {accounts} END, 0)"


def root_sql(alias: str = "a", path: str | None = None) -> str:
    """The id of the account's group root from its materialised path ('/12/40/' -> 12);
    `path` is another expression of the path (the path the account had at a year's end,
    accounts.hierarchy)."""
    path = path or f"{alias}.path"
    if connection.vendor == "postgresql":
        first = f"CAST(split_part({path}, '/', 2) AS integer)"
    else:
        first = f"CAST(substr({path}, 2, instr(substr({path}, 2), '/') - 1) AS integer)"
    return f"(CASE WHEN {path} = '' THEN {alias}.id ELSE {first} END)"


def dated_root_sql(alias: str = "a", year: str = "f.year", h: str = "hp") -> tuple[str, str]:
    """(join, expression): the id of the group the account `alias` belonged to at the end
    of `year` (accounts.hierarchy): past years keep the groups as they stood."""
    join, path = hierarchy.dated_path_join(account=alias, year=year, h=h)
    return join, root_sql(alias, path)


# ---------------------------------------------------------------- thresholds


@dataclass(frozen=True)
class Thresholds:
    red_revenue: Decimal = DEFAULT_RED
    red_margin: Decimal = DEFAULT_RED
    amber_revenue: Decimal = DEFAULT_AMBER
    amber_margin: Decimal = DEFAULT_AMBER

    def level(self, revenue_share: Decimal | None, margin_share: Decimal | None) -> str:
        """'red' above the dependency threshold, 'amber' from the key-account band on."""
        revenue_share = revenue_share if revenue_share is not None else Decimal(-1)
        margin_share = margin_share if margin_share is not None else Decimal(-1)
        if revenue_share > self.red_revenue or margin_share > self.red_margin:
            return "red"
        if revenue_share >= self.amber_revenue or margin_share >= self.amber_margin:
            return "amber"
        return ""


def thresholds() -> Thresholds:
    """The warning thresholds from the active classification rules with a warning level
    (the lowest lower bound per level and metric); the sources' 50 % and 25 % where no
    rule says otherwise. One query."""
    found: dict[tuple[str, str], Decimal] = {}
    rules = ClassificationRule.objects.filter(active=True, minimum__isnull=False).exclude(
        warning=""
    )
    for warning, metric, minimum in rules.values_list("warning", "metric", "minimum"):
        assert minimum is not None  # filtered above
        key = (warning, metric)
        found[key] = min(found.get(key, minimum), minimum)
    revenue, margin = (
        ClassificationRule.Metric.REVENUE_SHARE,
        ClassificationRule.Metric.MARGIN_SHARE,
    )
    return Thresholds(
        red_revenue=found.get(("red", revenue), DEFAULT_RED),
        red_margin=found.get(("red", margin), DEFAULT_RED),
        amber_revenue=found.get(("amber", revenue), DEFAULT_AMBER),
        amber_margin=found.get(("amber", margin), DEFAULT_AMBER),
    )


# ---------------------------------------------------------------- per year


@dataclass(frozen=True)
class YearSummary:
    year: int
    revenue: Decimal  # over the accounts kept here
    margin: Decimal
    company_revenue: Decimal | None  # entered company totals, if any
    company_margin: Decimal | None
    units: int
    hhi: Decimal | None
    top5_share: Decimal | None
    top10_share: Decimal | None
    key_revenue: Decimal
    key_share: Decimal | None
    key_margin_share: Decimal | None

    @property
    def uses_company_totals(self) -> bool:
        return self.company_revenue is not None

    @property
    def denominator(self) -> Decimal:
        return denominator_of(self.company_revenue, self.revenue)

    @property
    def margin_denominator(self) -> Decimal:
        return denominator_of(self.company_margin, self.margin)

    @property
    def company_totals_below_accounts(self) -> bool:
        """The company totals are below the sum over the accounts kept here (entered before
        the accounts' figures grew): the shares use the accounts' sum, the page says so."""
        return (self.company_revenue is not None and self.company_revenue < self.revenue) or (
            self.company_margin is not None and self.company_margin < self.margin
        )

    @property
    def key_share_typical(self) -> bool:
        """The key-account set brings at least 50 % (the sources: 50-60 % is typical)."""
        return self.key_share is not None and self.key_share >= 50


def _year_summaries_sql() -> str:
    # One pass over the figures: per year and unit, then per year. A key account is the
    # group: a unit counts as key with all its subsidiaries when its root is one. Each
    # year with the groups as they stood at its end.
    join, root = dated_root_sql()
    return f"""
    WITH units AS (
        SELECT u.*,
               CASE WHEN r.status = %s THEN u.revenue ELSE 0 END AS key_revenue,
               CASE WHEN r.status = %s THEN u.margin ELSE 0 END AS key_margin
        FROM (
            SELECT f.year, {root} AS unit_id, SUM(f.revenue) AS revenue,
                   SUM(f.contribution_margin) AS margin
            FROM accounts_yearlyfigures f JOIN accounts_account a ON a.id = f.account_id
            {join}
            GROUP BY f.year, {root}
        ) u JOIN accounts_account r ON r.id = u.unit_id
    ), ranked AS (
        SELECT u.*,
               ROW_NUMBER() OVER (PARTITION BY year ORDER BY revenue DESC, unit_id) AS rnk
        FROM units u
    ), per_year AS (
        SELECT year, COUNT(*) AS units, SUM(revenue) AS revenue, SUM(margin) AS margin,
               SUM(revenue * revenue) AS sum_sq,
               SUM(CASE WHEN rnk <= 5 THEN revenue ELSE 0 END) AS top5,
               SUM(CASE WHEN rnk <= 10 THEN revenue ELSE 0 END) AS top10,
               SUM(key_revenue) AS key_revenue, SUM(key_margin) AS key_margin
        FROM ranked GROUP BY year
    )
    SELECT p.year, p.revenue, p.margin, ct.revenue, ct.contribution_margin, p.units,
           p.sum_sq, p.top5, p.top10, p.key_revenue, p.key_margin
    FROM per_year p
    LEFT JOIN portfolio_companytotals ct ON ct.year = p.year
    ORDER BY p.year
    """


def year_summaries() -> list[YearSummary]:
    """Every year with figures, oldest first: totals, HHI, top-5/10 and key-account
    shares. One query, whatever the number of accounts."""
    key = Account.Status.KEY_ACCOUNT
    with connection.cursor() as cursor:
        cursor.execute(_year_summaries_sql(), [key, key])
        rows = cursor.fetchall()
    summaries = []
    for year, revenue, margin, c_rev, c_margin, units, sum_sq, top5, top10, k_rev, k_mar in rows:
        company_revenue = _dec(c_rev) if c_rev is not None else None
        company_margin = _dec(c_margin) if c_margin is not None else None
        denominator = denominator_of(company_revenue, revenue)
        margin_denominator = denominator_of(company_margin, margin)
        hhi = None
        if denominator:
            hhi = _round(_dec(sum_sq) * 10000 / (denominator * denominator))
        summaries.append(
            YearSummary(
                year=year,
                revenue=_money(revenue),
                margin=_money(margin),
                company_revenue=company_revenue,
                company_margin=company_margin,
                units=units,
                hhi=hhi,
                top5_share=_share(top5, denominator),
                top10_share=_share(top10, denominator),
                key_revenue=_money(k_rev),
                key_share=_share(k_rev, denominator),
                key_margin_share=_share(k_mar, margin_denominator),
            )
        )
    return summaries


# ---------------------------------------------------------------- ranked units


@dataclass(frozen=True)
class UnitRow:
    rank: int
    unit_id: int
    name: str
    status: str
    tier: str
    revenue: Decimal
    margin: Decimal
    revenue_share: Decimal | None
    margin_share: Decimal | None
    cumulative_share: Decimal | None  # of the accounts kept here, including this unit
    abc: str
    subsidiaries: int
    warning: str = ""

    @property
    def is_group(self) -> bool:
        return self.subsidiaries > 0


def _ranked_sql(where: str, limit: str = "") -> str:
    a_line = settings.PORTFOLIO_ABC_A
    b_line = settings.PORTFOLIO_ABC_B
    join, root = dated_root_sql()
    return f"""
    WITH units AS (
        SELECT {root} AS unit_id, SUM(f.revenue) AS revenue,
               SUM(f.contribution_margin) AS margin, COUNT(*) AS members
        FROM accounts_yearlyfigures f JOIN accounts_account a ON a.id = f.account_id
        {join}
        WHERE f.year = %(year)s
        GROUP BY {root}
    ), members AS (
        SELECT {root_sql()} AS unit_id, COUNT(*) - 1 AS subsidiaries
        FROM accounts_account a GROUP BY {root_sql()}
    ), ranked AS (
        SELECT unit_id, revenue, margin,
               ROW_NUMBER() OVER (ORDER BY revenue DESC, unit_id) AS rnk,
               COUNT(*) OVER () AS n,
               SUM(revenue) OVER (ORDER BY revenue DESC, unit_id
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum,
               SUM(revenue) OVER () AS sys_revenue,
               SUM(margin) OVER () AS sys_margin
        FROM units
    ), classed AS (
        SELECT r.*,
               CASE WHEN r.sys_revenue = 0 OR (r.cum - r.revenue) * 100.0 < {a_line} * r.sys_revenue
                    THEN 'A'
                    WHEN (r.cum - r.revenue) * 100.0 < {b_line} * r.sys_revenue THEN 'B'
                    ELSE 'C' END AS abc
        FROM ranked r
    ), marked AS (
        SELECT c.*,
               COALESCE(LEAD(c.abc) OVER (ORDER BY c.rnk), '') AS next_abc
        FROM classed c
    )
    SELECT m.rnk, m.unit_id, a.name, a.status, a.tier, m.revenue, m.margin,
           m.revenue * 100.0 / {denominator_sql("ct.revenue", "m.sys_revenue")},
           m.margin * 100.0 / {denominator_sql("ct.contribution_margin", "m.sys_margin")},
           m.cum * 100.0 / NULLIF(m.sys_revenue, 0),
           m.abc, m.next_abc, m.n, COALESCE(mb.subsidiaries, 0)
    FROM marked m
    JOIN accounts_account a ON a.id = m.unit_id
    LEFT JOIN members mb ON mb.unit_id = m.unit_id
    LEFT JOIN portfolio_companytotals ct ON ct.year = %(year)s
    WHERE {where}
    ORDER BY m.rnk
    {limit}
    """


def _unit_rows(rows, limits: Thresholds | None) -> list[UnitRow]:
    result = []
    for row in rows:
        rnk, unit_id, name, status, tier, rev, mar, rev_share, mar_share, cum, abc = row[:11]
        exact_revenue = _dec(rev_share) if rev_share is not None else None
        exact_margin = _dec(mar_share) if mar_share is not None else None
        result.append(
            UnitRow(
                rank=rnk,
                unit_id=unit_id,
                name=name,
                status=status,
                tier=tier,
                revenue=_money(rev),
                margin=_money(mar),
                revenue_share=_round(exact_revenue),
                margin_share=_round(exact_margin),
                cumulative_share=_round(_dec(cum)) if cum is not None else None,
                abc=abc,
                subsidiaries=row[13],
                warning=limits.level(exact_revenue, exact_margin) if limits else "",
            )
        )
    return result


def ranked_units(
    *,
    year: int,
    visible_ids_sql: tuple[str, list] | None = None,
    limit: int = 25,
    limits: Thresholds | None = None,
) -> list[UnitRow]:
    """The biggest units of the year (groups counted once) with rank, shares, cumulative
    share, ABC class and warning level; only those whose root is in `visible_ids_sql`
    (SQL and params of an id subquery; None: all). One query."""
    where, params = "1 = 1", {"year": year}
    if visible_ids_sql is not None:
        sql, sql_params = visible_ids_sql
        where = f"m.unit_id IN ({_named(sql, sql_params, params)})"
    with connection.cursor() as cursor:
        cursor.execute(_ranked_sql(where, f"LIMIT {int(limit)}"), params)
        rows = cursor.fetchall()
    return _unit_rows(rows, limits)


def _named(sql: str, sql_params: list, params: dict) -> str:
    """Turn a positional-parameter subquery into named parameters for one cursor call."""
    parts = sql.replace("%%", "\0").split("%s")
    out = parts[0]
    for index, part in enumerate(parts[1:]):
        name = f"p{index}"
        params[name] = sql_params[index]
        out += f"%({name})s" + part
    return out.replace("\0", "%%")


@dataclass(frozen=True)
class ClassSummary:
    abc: str
    units: int
    revenue_share: Decimal  # of the accounts kept here


@dataclass(frozen=True)
class Pareto:
    points: list[tuple[int, Decimal]]  # (rank, cumulative share %), sampled
    units: int
    classes: list[ClassSummary]


def pareto(*, year: int, samples: int = 100) -> Pareto:
    """The Pareto curve of the year, sampled to about `samples` points (the first 20
    ranks, one per percentile of ranks, the last of every class and the last unit), and
    the ABC classes with their size. One query; no names, so it is the same for everyone.
    """
    where = (
        "m.rnk <= 20 OR m.rnk = m.n OR m.abc <> m.next_abc "
        f"OR (m.rnk * {int(samples)}) / m.n <> ((m.rnk - 1) * {int(samples)}) / m.n"
    )
    with connection.cursor() as cursor:
        cursor.execute(_ranked_sql(where), {"year": year})
        rows = cursor.fetchall()
    points = [
        (row[0], round_half_up(_dec(row[9]), ONE_DECIMAL)) for row in rows if row[9] is not None
    ]
    total = rows[-1][12] if rows else 0
    classes = []
    previous_rank, previous_cum = 0, Decimal(0)
    for row in rows:
        rnk, abc, next_abc, cum = row[0], row[10], row[11], row[9]
        if abc != next_abc:  # the last unit of its class
            cum = _dec(cum) if cum is not None else Decimal(0)
            classes.append(
                ClassSummary(
                    abc=abc,
                    units=rnk - previous_rank,
                    revenue_share=round_half_up(cum - previous_cum, ONE_DECIMAL),
                )
            )
            previous_rank, previous_cum = rnk, cum
    return Pareto(points=points, units=total, classes=classes)


# ---------------------------------------------------------------- one account


@dataclass(frozen=True)
class AccountShare:
    year: int
    unit_id: int
    unit_name: str
    revenue: Decimal
    revenue_share: Decimal | None
    margin_share: Decimal | None
    warning: str
    uses_company_totals: bool


def _year_sums(year: int) -> tuple:
    """Revenue and contribution margin of the year over all accounts kept here: the same
    for every account page, so cached until figures change (kam.versioned_cache)."""

    def compute() -> tuple:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT SUM(revenue), SUM(contribution_margin) FROM accounts_yearlyfigures"
                " WHERE year = %s",
                [year],
            )
            revenue, margin = cursor.fetchone()
        return _dec(revenue), _dec(margin)

    return cached("year_sums", (year,), compute, rests_on=FIGURES)


def _past_unit_sums(account: Account, year: int) -> tuple:
    """unit_share's sums for a past year: the group the account belonged to at the year's
    end, with the members it had then (accounts.hierarchy). One query over the year's
    figures."""
    join, root = dated_root_sql("a", "%(year)s")
    me_join, me_root = dated_root_sql("me", "%(year)s", h="hq")
    sql = f"""
    WITH unit AS (
        SELECT {me_root} AS unit_id FROM accounts_account me {me_join} WHERE me.id = %(me)s
    )
    SELECT SUM(f.revenue), SUM(f.contribution_margin),
           (SELECT revenue FROM portfolio_companytotals WHERE year = %(year)s),
           (SELECT contribution_margin FROM portfolio_companytotals WHERE year = %(year)s),
           (SELECT name FROM accounts_account WHERE id = unit.unit_id), unit.unit_id
    FROM unit CROSS JOIN accounts_yearlyfigures f
    JOIN accounts_account a ON a.id = f.account_id
    {join}
    WHERE f.year = %(year)s AND {root} = unit.unit_id
    GROUP BY unit.unit_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"year": year, "me": account.pk})
        row = cursor.fetchone()
    return row or (None, None, None, None, None, account.root_id)


def unit_share(
    account: Account, *, year: int, limits: Thresholds | None = None
) -> AccountShare | None:
    """The share of the group the account belongs to (or of the account alone), for the
    account header and the group page. The unit's sums read its accounts along the path
    index; the sums over all accounts (only needed without company totals) come from the
    figures cache (kam.versioned_cache). Two or three queries (one less with `limits` given)."""
    limits = limits or thresholds()
    if year < timezone.localdate().year:
        unit_rev, unit_mar, c_rev, c_mar, name, root_id = _past_unit_sums(account, year)
    else:
        # No move has ended before this year's end: the groups as they are, along the
        # path index.
        root_id = account.root_id
        sql = """
        SELECT SUM(f.revenue), SUM(f.contribution_margin),
               (SELECT revenue FROM portfolio_companytotals WHERE year = %s),
               (SELECT contribution_margin FROM portfolio_companytotals WHERE year = %s),
               (SELECT name FROM accounts_account WHERE id = %s)
        FROM accounts_yearlyfigures f JOIN accounts_account a ON a.id = f.account_id
        WHERE f.year = %s AND (a.id = %s OR a.path LIKE %s)
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [year, year, root_id, year, root_id, f"/{root_id}/%"])
            unit_rev, unit_mar, c_rev, c_mar, name = cursor.fetchone()
    if not unit_rev and not unit_mar:
        return None
    # The sums over all accounts: the denominator without company totals, and its floor
    # with them.
    sys_rev, sys_mar = _year_sums(year)
    revenue_share = _exact_share(unit_rev, denominator_of(c_rev, sys_rev))
    margin_share = _exact_share(unit_mar, denominator_of(c_mar, sys_mar))
    return AccountShare(
        year=year,
        unit_id=root_id,
        unit_name=name,
        revenue=_money(unit_rev),
        revenue_share=_round(revenue_share),
        margin_share=_round(margin_share),
        warning=limits.level(revenue_share, margin_share),
        uses_company_totals=c_rev is not None,
    )
