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

A ``Prepared`` query is also prepared on the server, once per database connection (``PREPARE``, then
``EXECUTE`` with the request's values): PostgreSQL then plans it once, not at every request (planning
took longer than running an event page's query). Not inside a transaction (a test, a management
command): a statement that failed there would abort it. A statement the server no longer knows, or
whose tables changed under it (a deploy's migration), is run as plain SQL and prepared again on the
next request. ``DB_SERVER_PREPARED=0`` turns this off (behind a pooler in transaction mode).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Hashable
from typing import Any

import psycopg2
from django.conf import settings
from django.contrib.postgres.aggregates import JSONBAgg
from django.db import DatabaseError, connections, models
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
        self._compiled: dict[Hashable, tuple[models.Manager, str, list[Any], list[int | None], tuple | None]] = {}

    def _compile(self, key: Hashable, values: tuple):
        compiled = self._compiled.get(key)
        if compiled is None:
            slots = [_slot(index, value) for index, value in enumerate(values)]
            queryset = self.build(key, *slots)
            sql, params = queryset.query.sql_with_params()
            positions = [_position(slots, value) for value in params]
            if sorted(position for position in positions if position is not None) != list(range(len(slots))):
                raise ValueError("each slot must be a parameter of the query once")
            server = _server_statement(sql, params)
            compiled = (queryset.model._default_manager, sql, list(params), positions, server)
            self._compiled[key] = compiled
        return compiled

    def rows(self, key: Hashable, *values: Any) -> list:
        manager, sql, params, positions, server = self._compile(key, values)
        bound = [value if slot is None else values[slot] for value, slot in zip(params, positions, strict=True)]
        rows = read(manager.model, sql, bound, using=manager.db, server=server)
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


_PLACEHOLDER = re.compile(r"%%|%s")


def _server_statement(sql: str, params) -> tuple[str, str] | None:
    """The name of ``sql`` prepared on the server and the ``PREPARE`` that makes it, its parameters typed
    from the compiled values; None when a value is of a type not handled here."""
    types = []
    for value in params:
        if isinstance(value, bool):
            types.append("boolean")
        elif isinstance(value, int):
            types.append("bigint")
        elif isinstance(value, str):
            types.append("text")
        else:
            return None
    numbers = iter(range(1, len(types) + 1))
    body = _PLACEHOLDER.sub(lambda match: "%" if match.group() == "%%" else f"${next(numbers)}", sql)
    name = "gj_" + hashlib.blake2b(sql.encode(), digest_size=8).hexdigest()
    return name, f"PREPARE {name}({', '.join(types)}) AS {body}"


# Statements the server refused to prepare: run as plain SQL from then on.
_refused: set[str] = set()
# SQLSTATE classes of a statement the server will not prepare: a syntax or typing rule (42), a feature (0A).
_REFUSED_CLASSES = ("42", "0A")
# A prepared statement the server no longer knows (26000), or whose tables changed under it (0A000:
# "cached plan must not change result type"). Any other error is the query's own, raised as it was.
_STALE = {"26000", "0A000"}


def _prepared_on(connection, cursor, name: str, statement: str) -> bool:
    """True when ``name`` is prepared on this connection (preparing it now if need be)."""
    if connection.in_atomic_block or name in _refused or not getattr(settings, "DB_SERVER_PREPARED", True):
        return False
    raw = connection.connection
    kept = connection.__dict__.get("_gj_prepared")
    if kept is None or kept[0] is not raw:  # a new connection: nothing is prepared on it yet
        kept = connection.__dict__["_gj_prepared"] = (raw, set())
    if name not in kept[1]:
        try:
            cursor.cursor.execute(statement)  # past Django's query log: a request's query count stays the same
        except psycopg2.Error as error:
            if not (error.pgcode or "").startswith(_REFUSED_CLASSES):
                raise
            _refused.add(name)
            return False
        kept[1].add(name)
    return True


def _execute(connection, cursor, sql: str, params, server: tuple[str, str] | None) -> None:
    if server is None or not _prepared_on(connection, cursor, *server):
        cursor.execute(sql, params)
        return
    name = server[0]
    try:
        cursor.execute(f"EXECUTE {name}({', '.join(['%s'] * len(params))})", params)
    except DatabaseError as error:
        if getattr(error.__cause__, "pgcode", None) not in _STALE:
            raise
        # Not known to the server any more, or its tables changed since (a deploy's migration): plain SQL
        # now, prepared again next time.
        kept = connection.__dict__["_gj_prepared"][1]
        if error.__cause__.pgcode == "26000":
            kept.clear()  # what the server lost, it may have lost for every statement of this connection
        else:
            kept.discard(name)
            cursor.cursor.execute(f"DEALLOCATE {name}")
        cursor.execute(sql, params)


def read(
    model: type[models.Model], sql: str, params, *, using: str = "default", server: tuple[str, str] | None = None
) -> list:
    """Instances of ``model`` from the rows of a fixed statement (its values as parameters), as
    ``list(model.objects.raw(sql, params))`` makes them: the model's fields among the columns (the others
    deferred), converted as the ORM converts them, and every other column set as an attribute.

    ``server``: the statement's name and ``PREPARE`` (``Prepared``), to run it prepared on the server."""
    connection = connections[using]
    with connection.cursor() as cursor:
        _execute(connection, cursor, sql, params, server)
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
