"""Records as Parquet files under ``<staging_dir>/<run_id>/``.

This is how stage tasks hand work to each other when they run as separate processes or on
separate workers (Airflow tasks pass only the run id through XCom), and how the single
publisher finds what to load. The Arrow schema of each file is derived from the record's
dataclass, so empty outputs still have typed columns.
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.errors import StagingError

T = TypeVar("T")

_SCALARS: dict[Any, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
    bytes: pa.binary(),
    datetime: pa.timestamp("us"),
    date: pa.date32(),
}


def _arrow_type(hint: Any) -> pa.DataType | None:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _arrow_type(args[0]) if len(args) == 1 else None
    if origin is list:
        inner = _arrow_type(typing.get_args(hint)[0])
        return pa.list_(inner) if inner is not None else None
    return _SCALARS.get(hint)


@cache
def arrow_schema(cls: type) -> pa.Schema:
    hints = typing.get_type_hints(cls)
    fields = []
    for f in dataclasses.fields(cls):
        arrow_type = _arrow_type(hints[f.name])
        if arrow_type is None:
            raise TypeError(f"{cls.__name__}.{f.name}: type {hints[f.name]!r} has no Arrow mapping")
        fields.append(pa.field(f.name, arrow_type))
    return pa.schema(fields)


def to_arrow(records: list[Any], cls: type) -> pa.Table:
    schema = arrow_schema(cls)
    columns = {name: [getattr(r, name) for r in records] for name in schema.names}
    return pa.Table.from_pydict(columns, schema=schema)


def from_arrow(table: pa.Table, cls: type[T]) -> list[T]:
    names = arrow_schema(cast(type, cls)).names
    present = [n for n in names if n in table.column_names]
    columns = {n: table.column(n).to_pylist() for n in present}
    return [cls(**{n: columns[n][i] for n in present}) for i in range(table.num_rows)]


def run_dir(staging_dir: Path, run_id: str) -> Path:
    return Path(staging_dir) / f"run_id={run_id}"


def write_records(directory: Path, name: str, records: list[Any], cls: type) -> Path:
    """Write atomically (temp file + rename): a killed task never leaves half a file."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.parquet"
    tmp = path.with_suffix(f".parquet.tmp{os.getpid()}")
    pq.write_table(to_arrow(records, cls), tmp, compression="zstd")
    os.replace(tmp, path)
    return path


def read_table(directory: Path, name: str, cls: type, *, required: bool = False) -> pa.Table:
    """A staged file as a table. Missing, it is empty only when not `required`: a file that
    the step before staged and that is gone is lost work, and reading it as empty would
    publish the run's documents without their articles."""
    path = Path(directory) / f"{name}.parquet"
    if not path.exists():
        if required:
            raise StagingError(f"the staged file {path} is missing", item=str(path),
                               hint="the step that writes it must run again: re-run the whole run "
                                    "(nothing of it was loaded)")
        return arrow_schema(cls).empty_table()
    try:
        return pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise StagingError(f"the staged file {path} cannot be read: {exc}", item=str(path),
                           hint="re-run the whole run (nothing of it was loaded)") from exc


def read_records(directory: Path, name: str, cls: type[T], *, required: bool = False) -> list[T]:
    return from_arrow(read_table(directory, name, cls, required=required), cls)


def has_records(directory: Path, name: str) -> bool:
    return (Path(directory) / f"{name}.parquet").exists()
