"""Writing the generated rows: PostgreSQL COPY in batches (bulk_create elsewhere), and the
timestamps the models would fill themselves kept as the generators set them.

COPY is several times faster than multi-row INSERTs for the tables of millions of rows
(activities and their participants): no statement to parse per batch, no RETURNING. The
ids are taken from the table's sequence beforehand (one `nextval` per row, in one
query), so the objects carry their primary key afterwards as they would after
bulk_create, and the rows that refer to them can be built.
"""

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model

# Rows per COPY (and per bulk_create batch): enough to make the round trips rare, small
# enough to keep the memory of one batch of activities modest.
BATCH = 20_000


def keep_timestamps(models: Iterable[type[Model]]) -> None:
    """Let the generators set created_at/updated_at (auto_now_add/auto_now) themselves:
    only the field objects in this process are changed, for this run. A row without an
    `updated_at` of its own gets its `created_at` (or, without one, is left to the
    database to refuse): bulk_create and COPY write what the object holds."""
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                field.auto_now = field.auto_now_add = False
                if field.name == "updated_at":
                    field.pre_save = _updated_or_created.__get__(field)  # type: ignore[method-assign]


def _updated_or_created(field, obj: Model, add: bool):
    value = getattr(obj, field.attname)
    if value is None:
        value = getattr(obj, "created_at", None)
        setattr(obj, field.attname, value)
    return value


def uses_copy() -> bool:
    return connection.vendor == "postgresql"


def insert(objs: Sequence[Model], *, batch_size: int | None = None) -> None:
    """Insert the objects of one model, setting their primary keys: COPY on PostgreSQL,
    bulk_create elsewhere (SQLite in the tests)."""
    if not objs:
        return
    batch_size = batch_size or BATCH
    model = type(objs[0])
    if not uses_copy():
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return
    meta = model._meta
    pk = meta.pk
    without_pk = [obj for obj in objs if obj.pk is None]
    if without_pk:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(without_pk)],
            )
            for obj, (value,) in zip(without_pk, cursor.fetchall(), strict=True):
                setattr(obj, pk.attname, value)
    fields = list(meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        for start in range(0, len(objs), batch_size):
            with raw.copy(sql) as copy:
                for obj in objs[start : start + batch_size]:
                    copy.write_row(
                        [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                    )
