"""The JSON Schemas in ``schemas/<table>.schema.json``: loading, compiled validators, record → JSON.

The schemas are the single description of every record and table. Each one carries
``x-table`` (the DuckDB table), ``x-record`` (the dataclass in :mod:`pipeline.records`) and
``x-primary-key``; a property marked ``"x-column": false`` travels between stages but is not
stored, one marked ``"x-record": false`` is a column the loader fills. Tests check that the
schemas, the DDL and the dataclasses agree, so none of the three can drift.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import math
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker

from pipeline.errors import ConfigError

# The records' datetimes are naive UTC; RFC 3339 "date-time" would demand an offset, so the
# check is "Python can parse it back", which is what the loader does.
_FORMATS = FormatChecker(formats=())


@_FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    if isinstance(value, str):
        datetime.fromisoformat(value)
    return True


@_FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if isinstance(value, str):
        date.fromisoformat(value)
    return True


def _parses_as_date(value: object) -> bool:
    try:
        _is_date(value)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=8)
def load_schemas(schemas_dir: Path) -> dict[str, dict[str, Any]]:
    """All schemas of a folder, keyed by table name (checked once per folder)."""
    schemas: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(schemas_dir).glob("*.schema.json")):
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
            Draft202012Validator.check_schema(schema)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"schema {path} is unreadable or invalid: {exc}",
                              hint="fix the JSON Schema file") from exc
        schemas[schema["x-table"]] = schema
    if not schemas:
        raise ConfigError(f"no *.schema.json in {schemas_dir}", hint="set schemas_dir to the project's schemas/")
    return schemas


@lru_cache(maxsize=64)
def validator_for(schemas_dir: Path, table: str) -> Draft202012Validator:
    """A compiled validator, built once per (folder, table): validation runs on every record."""
    schemas = load_schemas(Path(schemas_dir))
    if table not in schemas:
        raise ConfigError(f"no JSON Schema for table {table!r} in {schemas_dir}")
    return Draft202012Validator(schemas[table], format_checker=_FORMATS)


def _parses_as_datetime(value: object) -> bool:
    try:
        _is_datetime(value)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=64)
def fast_check_for(schemas_dir: Path, table: str) -> Callable[[dict[str, Any]], bool]:
    """A yes/no check compiled to Python code by fastjsonschema, about 20x faster than
    jsonschema's validator on our records: nearly every record is valid, so the batch is
    screened with it and only records it doubts go to jsonschema, which decides and words the
    message. The schemas use only keywords draft-07 also has, so fastjsonschema compiles them
    as draft-07 (it knows no 2020-12)."""
    schema = {**load_schemas(Path(schemas_dir))[table], "$schema": "http://json-schema.org/draft-07/schema#"}
    validate = fastjsonschema.compile(schema, formats={"date-time": _parses_as_datetime, "date": _parses_as_date})

    def check(data: dict[str, Any]) -> bool:
        try:
            validate(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return check


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, float) and not math.isfinite(value):
        # Kept as text so the schema's "number" check rejects it (NaN is a float to Python).
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def record_to_json(record: Any) -> dict[str, Any]:
    """A record as the JSON object its schema describes (datetimes ISO, bytes base64)."""
    if dataclasses.is_dataclass(record):
        # Records are flat: read the fields directly (asdict deep-copies, and runs per record).
        return {f.name: _jsonable(getattr(record, f.name)) for f in dataclasses.fields(record)}
    return {k: _jsonable(v) for k, v in dict(record).items()}


def record_payload(record: Any) -> str:
    return json.dumps(record_to_json(record), ensure_ascii=False, allow_nan=False)


def schema_errors(schemas_dir: Path, table: str, data: dict[str, Any],
                  validator: Draft202012Validator | None = None) -> list[str]:
    """Messages naming the failing field, in document order; empty when the record is valid."""
    if fast_check_for(Path(schemas_dir), table)(data):
        return []
    validator = validator or validator_for(Path(schemas_dir), table)
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    messages = []
    for err in errors:
        path = ".".join(str(p) for p in err.absolute_path)
        if not path and err.validator == "required":
            path = err.message.split("'")[1]
        messages.append(f"{table}.{path}: {err.message}" if path else f"{table}: {err.message}")
    return messages


# --- how a schema property maps to a DuckDB column type (used by the agreement test) -----
def nullable(prop: dict[str, Any]) -> bool:
    types = prop.get("type")
    return isinstance(types, list) and "null" in types


def sql_type(prop: dict[str, Any]) -> str:
    if "x-sql-type" in prop:
        return prop["x-sql-type"]
    types = prop.get("type")
    kind = str(next(t for t in types if t != "null") if isinstance(types, list) else types)
    if kind == "string":
        if prop.get("format") == "date-time":
            return "TIMESTAMP"
        if prop.get("format") == "date":
            return "DATE"
        if prop.get("contentEncoding") == "base64":
            return "BLOB"
        return "VARCHAR"
    if kind == "array":
        return sql_type(prop["items"]) + "[]"
    return {"integer": "INTEGER", "number": "DOUBLE", "boolean": "BOOLEAN", "object": "JSON"}[kind]


def stored_columns(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in schema["properties"].items() if v.get("x-column", True)}


def record_fields(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in schema["properties"].items() if v.get("x-record", True)}
