"""The month arithmetic of contracts/terms.py as PostgreSQL functions, so that the
annotations of a contract list stay short SQL (SQLite gets the same functions from
Python, see terms.register_sqlite_functions)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION kam_add_months(day date, months integer) RETURNS date
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    moved date := (day + make_interval(months => months))::date;
BEGIN
    -- Interval arithmetic clamps (31 Jan + 1 month = 28/29 Feb). Dates outside the years
    -- 1-9999 cannot be read by Python: they have no value.
    IF moved BETWEEN DATE '0001-01-01' AND DATE '9999-12-31' THEN
        RETURN moved;
    END IF;
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION kam_month_end(day date) RETURNS date
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT (date_trunc('month', day::timestamp) + interval '1 month - 1 day')::date
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS kam_add_months(date, integer);
DROP FUNCTION IF EXISTS kam_month_end(date);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_contracts_and_documents")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
