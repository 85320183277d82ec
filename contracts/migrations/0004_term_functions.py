"""The contract dates of contracts/terms.py as PostgreSQL functions: the current term end,
the notice deadline of a term and the next notice deadline that can still be met. As
nested SQL expressions they made every contract list compile an expression tree of some
20,000 nodes per request; as functions each is one call (SQLite gets the same functions
from Python, see terms.register_sqlite_functions). Tests check SQL and Python agree."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION kam_month_index(day date) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT (EXTRACT(YEAR FROM day) * 12 + EXTRACT(MONTH FROM day))::integer
$$;
CREATE OR REPLACE FUNCTION kam_notice_deadline(term_end date, notice_months integer)
RETURNS date LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    deadline date := kam_add_months(term_end, -notice_months);
BEGIN
    -- §§ 187, 188 BGB: a term ending on a month's last day has the last day of the
    -- earlier month as its deadline.
    IF deadline IS NOT NULL AND term_end = kam_month_end(term_end) THEN
        RETURN kam_month_end(deadline);
    END IF;
    RETURN deadline;
END
$$;
CREATE OR REPLACE FUNCTION kam_term_end(
    end_on date, auto_renewal boolean, term_months integer, today date
) RETURNS date LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    terms integer;
    term_end date;
BEGIN
    IF NOT auto_renewal OR end_on >= today OR term_months < 1 THEN
        RETURN end_on;
    END IF;
    -- Whole terms counted from the original end date, as current_term_end().
    terms := ceil((kam_month_index(today) - kam_month_index(end_on))::numeric / term_months);
    term_end := kam_add_months(end_on, terms * term_months);
    IF term_end IS NOT NULL AND term_end < today THEN
        term_end := kam_add_months(end_on, (terms + 1) * term_months);
    END IF;
    RETURN term_end;
END
$$;
CREATE OR REPLACE FUNCTION kam_next_notice_deadline(
    end_on date, notice_months integer, auto_renewal boolean, term_months integer, today date
) RETURNS date LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    first integer;
    terms integer;
    term_end date;
    deadline date;
BEGIN
    IF NOT auto_renewal OR term_months < 1 THEN
        deadline := kam_notice_deadline(end_on, notice_months);
        IF deadline IS NOT NULL AND deadline >= today THEN
            RETURN deadline;
        END IF;
        RETURN NULL;
    END IF;
    first := greatest(0, ceil(
        (kam_month_index(today) + notice_months - kam_month_index(end_on))::numeric / term_months
    ));
    FOR terms IN first .. first + 1 LOOP
        term_end := kam_add_months(end_on, terms * term_months);
        IF term_end IS NOT NULL THEN
            deadline := kam_notice_deadline(term_end, notice_months);
            IF deadline IS NOT NULL AND deadline >= today THEN
                RETURN deadline;
            END IF;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS kam_next_notice_deadline(date, integer, boolean, integer, date);
DROP FUNCTION IF EXISTS kam_term_end(date, boolean, integer, date);
DROP FUNCTION IF EXISTS kam_notice_deadline(date, integer);
DROP FUNCTION IF EXISTS kam_month_index(date);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("contracts", "0003_sane_dates")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
