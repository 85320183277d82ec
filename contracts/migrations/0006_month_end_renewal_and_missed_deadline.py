"""Renewals from a month's last day end on a month's last day (§ 188 (2) BGB), and the
missed notice deadline is the latest one that passed while its term still runs (with a
notice period longer than the renewal term, that of a later term than the current one).
The PostgreSQL functions of migration 0004 follow contracts/terms.py again; SQLite gets
the same functions from Python (terms.register_sqlite_functions)."""

from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION kam_renewed_end(end_on date, months integer) RETURNS date
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    moved date := kam_add_months(end_on, months);
BEGIN
    -- Anchored on the original end: a month's last day renews to a month's last day.
    IF moved IS NOT NULL AND end_on = kam_month_end(end_on) THEN
        RETURN kam_month_end(moved);
    END IF;
    RETURN moved;
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
    terms := ceil((kam_month_index(today) - kam_month_index(end_on))::numeric / term_months);
    term_end := kam_renewed_end(end_on, terms * term_months);
    IF term_end IS NOT NULL AND term_end < today THEN
        term_end := kam_renewed_end(end_on, (terms + 1) * term_months);
    END IF;
    RETURN term_end;
END
$$;
CREATE OR REPLACE FUNCTION kam_next_deadline_terms(
    end_on date, notice_months integer, term_months integer, today date
) RETURNS integer LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    first integer;
    terms integer;
    term_end date;
    deadline date;
BEGIN
    first := greatest(0, ceil(
        (kam_month_index(today) + notice_months - kam_month_index(end_on))::numeric / term_months
    ));
    FOR terms IN first .. first + 1 LOOP
        term_end := kam_renewed_end(end_on, terms * term_months);
        IF term_end IS NOT NULL THEN
            deadline := kam_notice_deadline(term_end, notice_months);
            IF deadline IS NOT NULL AND deadline >= today THEN
                RETURN terms;
            END IF;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION kam_next_notice_deadline(
    end_on date, notice_months integer, auto_renewal boolean, term_months integer, today date
) RETURNS date LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
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
    terms := kam_next_deadline_terms(end_on, notice_months, term_months, today);
    IF terms IS NULL THEN
        RETURN NULL;
    END IF;
    term_end := kam_renewed_end(end_on, terms * term_months);
    IF term_end IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN kam_notice_deadline(term_end, notice_months);
END
$$;
CREATE OR REPLACE FUNCTION kam_missed_notice_deadline(
    end_on date, notice_months integer, auto_renewal boolean, term_months integer, today date
) RETURNS date LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    terms integer;
    term_end date;
    deadline date;
BEGIN
    IF NOT auto_renewal OR term_months < 1 THEN
        deadline := kam_notice_deadline(end_on, notice_months);
        IF deadline IS NOT NULL AND deadline < today AND today <= end_on THEN
            RETURN deadline;
        END IF;
        RETURN NULL;
    END IF;
    terms := kam_next_deadline_terms(end_on, notice_months, term_months, today);
    IF terms IS NULL OR terms = 0 THEN
        RETURN NULL;
    END IF;
    term_end := kam_renewed_end(end_on, (terms - 1) * term_months);
    IF term_end IS NULL OR term_end < today THEN
        RETURN NULL;
    END IF;
    RETURN kam_notice_deadline(term_end, notice_months);
END
$$;
"""

# Migration 0004's versions, which renewed a month's last day to the same day number.
RESTORE = """
DROP FUNCTION IF EXISTS kam_missed_notice_deadline(date, integer, boolean, integer, date);
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
DROP FUNCTION IF EXISTS kam_next_deadline_terms(date, integer, integer, date);
DROP FUNCTION IF EXISTS kam_renewed_end(date, integer);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RESTORE)


def refill(apps, schema_editor):
    """Nothing any more: migration 0008 computes every stored date in Python (the database
    functions this used are dropped there)."""


class Migration(migrations.Migration):
    dependencies = [("contracts", "0005_next_notice_on")]

    operations = [
        migrations.RunPython(create, restore, elidable=False),
        migrations.RunPython(refill, migrations.RunPython.noop, elidable=False),
    ]
