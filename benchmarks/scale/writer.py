"""Streaming bulk writes: PostgreSQL ``COPY … FROM STDIN`` in batches, ``bulk_create``
elsewhere (SQLite in the unit tests). Rows carry their own primary keys, so the
generator knows every foreign key without asking the database."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, models

BATCH_ROWS = 50_000
# Wide rows (complaints) are sent sooner: a batch is held as text and as bytes at once.
BATCH_CHARS = 8_000_000
_REQUIRED = object()
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def uses_copy() -> bool:
    return connection.vendor == "postgresql"


def copy_text(value) -> str:
    r"""One value in COPY's text format: ``\N`` for NULL, backslash escapes for
    the characters that would end a field or a row."""
    if value is None:
        return r"\N"
    kind = type(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(_ESCAPES)
        return value
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    if kind is dict or kind is list:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    if kind in (dt.datetime, dt.date, uuid.UUID, Decimal, float):
        return str(value)
    if isinstance(value, str):  # TextChoices members
        return copy_text(str.__str__(value))
    raise TypeError(f"no COPY format for {kind.__name__}")


class TableWriter:
    """Buffers rows of one model and writes them ``batch_rows`` at a time."""

    def __init__(self, model: type[models.Model], *, now: dt.datetime, batch_rows: int = BATCH_ROWS):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.defaults = [self._default(f, now) for f in self.fields]
        self.batch_rows = batch_rows
        self.copy = uses_copy()
        self.rows: list = []
        self.chars = 0
        self.count = 0
        self._checked = False
        qn = connection.ops.quote_name
        self.copy_sql = "COPY {} ({}) FROM STDIN".format(
            qn(model._meta.db_table), ", ".join(qn(f.column) for f in self.fields)
        )

    @staticmethod
    def _default(field: models.Field, now: dt.datetime):
        if field.primary_key:
            return _REQUIRED
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return now
        if field.has_default():
            default = field.default
            if default in (dict, list):
                return default()
            if callable(default):
                name = getattr(default, "__name__", "")
                if name == "now":
                    return now
                if name == "localdate":
                    return now.date()
                return _REQUIRED
            return default
        if field.null:
            return None
        if field.empty_strings_allowed:
            return ""
        return _REQUIRED

    def add(self, **values) -> None:
        if not self._checked:
            unknown = set(values) - set(self.attnames)
            missing = [
                a for a, d in zip(self.attnames, self.defaults, strict=False) if d is _REQUIRED and a not in values
            ]
            if unknown or missing:
                raise ValueError(f"{self.model.__name__}: unknown {sorted(unknown)}, missing {missing}")
            self._checked = True
        get = values.get
        row = [get(a, d) for a, d in zip(self.attnames, self.defaults, strict=False)]
        if self.copy:
            line = "\t".join([copy_text(v) for v in row])
            self.rows.append(line)
            self.chars += len(line)
        else:
            self.rows.append(row)
        if len(self.rows) >= self.batch_rows or self.chars >= BATCH_CHARS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if self.copy:
            data = ("\n".join(self.rows) + "\n").encode()
            with connection.cursor() as cursor:
                cursor.copy_expert(self.copy_sql, io.BytesIO(data))
        else:
            objs = [self.model(**dict(zip(self.attnames, row, strict=False))) for row in self.rows]
            self.model._default_manager.bulk_create(objs, batch_size=500)
        self.count += len(self.rows)
        self.rows, self.chars = [], 0

    def close(self) -> int:
        self.flush()
        return self.count


class Writers:
    """One ``TableWriter`` per model, closed together; counts what was written."""

    def __init__(self, now: dt.datetime, counts: dict[str, int], batch_rows: int = BATCH_ROWS):
        self.now = now
        self.counts = counts
        self.batch_rows = batch_rows
        self._open: dict[type[models.Model], TableWriter] = {}

    def __getitem__(self, model) -> TableWriter:
        writer = self._open.get(model)
        if writer is None:
            writer = self._open[model] = TableWriter(model, now=self.now, batch_rows=self.batch_rows)
        return writer

    def close(self) -> None:
        for model, writer in self._open.items():
            label = model._meta.label
            self.counts[label] = self.counts.get(label, 0) + writer.close()
        self._open = {}


def reset_sequences(model_list) -> None:
    """Move each table's id sequence past the ids written here (COPY does not)."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
