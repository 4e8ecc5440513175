"""The JSON Schemas, the DuckDB DDL and the record dataclasses must describe the same data."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from pipeline import records
from pipeline.validate.schemas import (
    load_schemas,
    nullable,
    record_fields,
    sql_type,
    stored_columns,
    validator_for,
)

SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"
DDL = (SCHEMAS_DIR / "warehouse.sql").read_text(encoding="utf-8")


def ddl_tables(ddl: str) -> dict[str, dict]:
    """{table: {"columns": {name: (type, nullable)}, "key": [...]}} as DuckDB itself sees the DDL."""
    con = duckdb.connect(":memory:")
    con.execute(ddl)
    tables: dict[str, dict] = {}
    for table, column, dtype, is_nullable in con.execute(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
            "ORDER BY table_name, ordinal_position").fetchall():
        tables.setdefault(table, {"columns": {}, "key": []})["columns"][column] = (dtype, is_nullable == "YES")
    for table, cols in con.execute("SELECT table_name, constraint_column_names FROM duckdb_constraints() "
                                   "WHERE constraint_type = 'PRIMARY KEY'").fetchall():
        tables[table]["key"] = list(cols)
    return tables


def disagreements(schemas: dict[str, dict], tables: dict[str, dict]) -> list[str]:
    """Every way the schemas and the DDL differ (empty when they agree)."""
    problems = [f"table {t} has no JSON Schema" for t in sorted(set(tables) - set(schemas))]
    problems += [f"schema {t} has no table" for t in sorted(set(schemas) - set(tables))]
    for table in sorted(set(schemas) & set(tables)):
        schema, ddl = schemas[table], tables[table]
        columns = stored_columns(schema)
        problems += [f"{table}.{c}: column missing from schema" for c in ddl["columns"] if c not in columns]
        problems += [f"{table}.{c}: schema property has no column" for c in columns if c not in ddl["columns"]]
        for name, prop in columns.items():
            if name not in ddl["columns"]:
                continue
            dtype, is_nullable = ddl["columns"][name]
            if sql_type(prop) != dtype:
                problems.append(f"{table}.{name}: schema maps to {sql_type(prop)}, DDL says {dtype}")
            if nullable(prop) != is_nullable:
                problems.append(f"{table}.{name}: schema nullable={nullable(prop)}, DDL nullable={is_nullable}")
            if not is_nullable and prop.get("x-record", True) and name not in schema["required"]:
                problems.append(f"{table}.{name}: NOT NULL column is not required by the schema")
        if schema["x-primary-key"] != ddl["key"]:
            problems.append(f"{table}: key {schema['x-primary-key']} vs DDL {ddl['key']}")
    return problems


def test_schemas_and_ddl_agree():
    assert disagreements(load_schemas(SCHEMAS_DIR), ddl_tables(DDL)) == []


@pytest.mark.parametrize("change, expected", [
    (("    run_id            VARCHAR\n);\n\nCREATE TABLE IF NOT EXISTS articles",
      "    run_id            VARCHAR,\n    extra_col INTEGER\n);\n\nCREATE TABLE IF NOT EXISTS articles"),
     "documents.extra_col: column missing from schema"),
    (("    title             VARCHAR,", "    title             VARCHAR NOT NULL,"),
     "articles.title: schema nullable=True, DDL nullable=False"),
    (("    word_count        INTEGER NOT NULL,", "    word_count        BIGINT NOT NULL,"),
     "articles.word_count: schema maps to INTEGER, DDL says BIGINT"),
    (("    surface           VARCHAR NOT NULL,\n", ""), "entity_mentions.surface: schema property has no column"),
])
def test_agreement_check_catches_drift(change, expected):
    old, new = change
    assert old in DDL
    assert expected in disagreements(load_schemas(SCHEMAS_DIR), ddl_tables(DDL.replace(old, new, 1)))


def _json_kind(hint) -> set[str]:
    """The JSON types a Python annotation allows (datetimes and bytes travel as strings)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return set().union(*(_json_kind(a) for a in typing.get_args(hint)))
    if typing.get_origin(hint) is list:
        return {"array"}
    return {type(None): {"null"}, str: {"string"}, int: {"integer"}, float: {"number"}, bool: {"boolean"},
            bytes: {"string"}, datetime: {"string"}, date: {"string"}}[hint]


# pipeline_runs rows are written by the loader itself: no record class carries them.
@pytest.mark.parametrize("table", sorted(t for t, s in load_schemas(SCHEMAS_DIR).items() if s["x-record"]))
def test_schema_matches_its_record_dataclass(table):
    schema = load_schemas(SCHEMAS_DIR)[table]
    cls = getattr(records, schema["x-record"])
    hints = typing.get_type_hints(cls)
    fields = {f.name for f in dataclasses.fields(cls)}
    assert set(record_fields(schema)) == fields
    for name in fields:
        prop = schema["properties"][name]
        allowed = set(prop["type"]) if isinstance(prop["type"], list) else {prop["type"]}
        # Every JSON kind the record can hold must be allowed, except null where the column
        # forbids it (e.g. event_mentions.event_type, part of the key): validation rejects those.
        kinds = _json_kind(hints[name]) - ({"null"} if not nullable(prop) else set())
        assert kinds <= allowed, f"{table}.{name}: record allows {kinds}, schema {allowed}"


def test_validators_are_compiled_once():
    assert validator_for(SCHEMAS_DIR, "articles") is validator_for(SCHEMAS_DIR, "articles")
