"""Querysets compiled to SQL once, then run with each request's values: for the busiest detail pages.

Django builds and compiles a queryset's SQL on every request. For a story page (its columns, and its
translation as a subquery) that costs about 5 ms, four times what PostgreSQL takes to answer.
``Prepared`` compiles what ``build(key, *slots)`` returns once per ``key`` (the language, say), with
``slots`` standing for the values a request brings (the slug), and then runs that same SQL with the
request's values in their place (``read``). The ORM stays the one place the query is written.
``child_rows`` and ``instances`` let such a query also bring a page's children (an event's agenda,
documents and themes) as JSON, instead of one more query for each kind.

``read`` makes model instances of a fixed SQL's rows as ``Model.objects.raw`` does, with what depends
only on the columns (which field each is, its converters) worked out once per statement: ``raw``
works it out for every query, 1.3 ms of an event page's 17 on the benchmark machine.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from typing import Any

from django.contrib.postgres.aggregates import JSONBAgg
from django.db import connections, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import JSONObject


class Prepared:
    """One queryset, compiled once per key; ``rows(key, *values)`` runs it, ``first`` is its first row or None.

    ``build(key, *slots)`` returns the queryset; each slot stands for one value (a string or an integer:
    the slot is of the same type, so that the field accepts it) and must reach the SQL as a parameter.
    ``json_annotations`` names annotations that hold JSON (the driver hands them back as text here,
    where the ORM would have decoded them).
    """

    def __init__(self, build: Callable[..., models.QuerySet], *, json_annotations: tuple[str, ...] = ()):
        self.build = build
        self.json_annotations = json_annotations
        self._compiled: dict[Hashable, tuple[models.Manager, str, list[Any], list[int | None]]] = {}

    def _compile(self, key: Hashable, values: tuple):
        compiled = self._compiled.get(key)
        if compiled is None:
            slots = [_slot(index, value) for index, value in enumerate(values)]
            queryset = self.build(key, *slots)
            sql, params = queryset.query.sql_with_params()
            positions = [_position(slots, value) for value in params]
            if sorted(position for position in positions if position is not None) != list(range(len(slots))):
                raise ValueError("each slot must be a parameter of the query once")
            compiled = (queryset.model._default_manager, sql, list(params), positions)
            self._compiled[key] = compiled
        return compiled

    def rows(self, key: Hashable, *values: Any) -> list:
        manager, sql, params, positions = self._compile(key, values)
        bound = [value if slot is None else values[slot] for value, slot in zip(params, positions, strict=True)]
        rows = read(manager.model, sql, bound, using=manager.db)
        for row in rows:
            for name in self.json_annotations:
                value = getattr(row, name, None)
                if isinstance(value, str | bytes):
                    setattr(row, name, json.loads(value))
        return rows

    def first(self, key: Hashable, *values: Any):
        found = self.rows(key, *values)
        return found[0] if found else None


def child_rows(queryset: models.QuerySet, parent: str, *, order_by: tuple[str, ...], **columns: str) -> Subquery:
    """The rows of ``queryset`` whose ``parent`` is the outer row, as one JSON array read in the outer query.

    Each object holds every concrete column of the model, or ``columns`` (name: lookup) when given.
    ``instances`` makes model instances of them again. A detail page reads its children this way in
    its own query, instead of one more round trip for each kind of child.
    """
    model = queryset.model
    fields = columns or {field.attname: field.attname for field in model._meta.concrete_fields}
    return Subquery(
        queryset.filter(**{parent: OuterRef("pk")})
        .order_by()
        .values(parent)
        .annotate(rows=JSONBAgg(JSONObject(**{name: F(lookup) for name, lookup in fields.items()}), order_by=order_by))
        .values("rows")
    )


def instances(model: type[models.Model], rows: list[dict] | None) -> list:
    """Model instances of the objects ``child_rows`` read (None: no rows), as if loaded by the ORM."""
    if not rows:
        return []
    fields = [field for field in model._meta.concrete_fields if field.attname in rows[0]]
    names = [field.attname for field in fields]
    database = model._default_manager.db
    return [
        model.from_db(database, names, [field.to_python(row[name]) for field, name in zip(fields, names, strict=True)])
        for row in rows
    ]


def _slot(index: int, value: Any) -> str | int:
    if isinstance(value, int):
        return 2_147_480_000 + index  # within every integer field's range, and no other value of the query
    return f"\x00slot {index}\x00"


def _position(slots: list, value: Any) -> int | None:
    for index, slot in enumerate(slots):
        if type(value) is type(slot) and value == slot:
            return index
    return None


# (database alias, model, SQL) -> how to make an instance of each row: see ``read``. Its statements are
# fixed (a few per page type); the bound only keeps a mistaken caller from growing it without end.
_row_plans: dict[tuple[str, type, str], tuple] = {}
ROW_PLANS = 256


def _row_plan(model: type[models.Model], description, connection) -> tuple:
    """For the columns of a result: the positions and attnames of the model's fields (in the model's order,
    as ``Model.from_db`` takes them), each field's converters, and the other columns (annotations)."""
    columns = [column.name for column in description]
    fields = [field for field in model._meta.concrete_fields if field.column in columns]
    if model._meta.pk not in fields:
        raise ValueError(f"the query must select the primary key of {model.__name__}")
    known = {field.column for field in fields}
    converters = []
    for position, field in enumerate(fields):
        column = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((position, found, column))
    return (
        [columns.index(field.column) for field in fields],
        [field.attname for field in fields],
        converters,
        [(position, name) for position, name in enumerate(columns) if name not in known],
    )


def read(model: type[models.Model], sql: str, params, *, using: str = "default") -> list:
    """Instances of ``model`` from the rows of a fixed statement (its values as parameters), as
    ``list(model.objects.raw(sql, params))`` makes them: the model's fields among the columns (the others
    deferred), converted as the ORM converts them, and every other column set as an attribute."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        plan = _row_plans.get((using, model, sql))
        if plan is None:
            if len(_row_plans) >= ROW_PLANS:
                _row_plans.clear()
            plan = _row_plans[(using, model, sql)] = _row_plan(model, cursor.description, connection)
    positions, names, converters, others = plan
    found = []
    for row in rows:
        values = [row[position] for position in positions]
        for position, functions, column in converters:
            for function in functions:
                values[position] = function(values[position], column, connection)
        instance = model.from_db(using, names, values)
        for position, name in others:
            setattr(instance, name, row[position])
        found.append(instance)
    return found
