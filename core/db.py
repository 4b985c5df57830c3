"""Database helpers the ORM lacks."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, router, transaction
from django.db.models import AutoField, Model
from django.db.models.constants import OnConflict


def insert_new(
    objs: Sequence[Model], *, returning: Sequence[str] = ("pk",), batch_size=1000
) -> list[tuple]:
    """Insert `objs` (unsaved instances of one model), skipping those that meet a
    unique constraint, and return the `returning` fields of the rows this call
    inserted, and only those.

    `bulk_create(ignore_conflicts=True)` inserts the same way but does not say which
    rows were new, so two runs of a job at once could each only report everything
    they tried. `INSERT ... ON CONFLICT DO NOTHING RETURNING` returns exactly the
    rows it inserted: a row a racing transaction inserted first is not among them.
    Django's bulk_create builds that statement for `update_conflicts` only; this
    asks its insert query (the one `Model.save()` and `bulk_create()` use) for it.
    """
    if not objs:
        return []
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    if not connection.features.can_return_rows_from_bulk_insert:
        raise NotImplementedError(
            "insert_new() needs a database that returns rows from a bulk insert "
            "(PostgreSQL, or SQLite 3.35 or later)"
        )
    opts = model._meta
    queryset = model._base_manager.using(alias)
    queryset._prepare_for_bulk_create(objs)
    fields = [
        f
        for f in opts.concrete_fields
        if not f.generated and not isinstance(f, AutoField)
    ]
    returning_fields = [opts.pk if n == "pk" else opts.get_field(n) for n in returning]
    batch_size = min(batch_size, max(connection.ops.bulk_batch_size(fields, objs), 1))
    rows: list[tuple] = []
    with transaction.atomic(using=alias, savepoint=False):
        for start in range(0, len(objs), batch_size):
            rows.extend(
                queryset._insert(
                    objs[start : start + batch_size],
                    fields=fields,
                    returning_fields=returning_fields,
                    on_conflict=OnConflict.IGNORE,
                )
            )
    # A batch of one that met a conflict returns None instead of a row.
    return [tuple(row) for row in rows if row is not None]
