"""Watchlists: named watches read from `watchlists.toml` (the `watchlists_file` setting).

    [[watch]]
    name = "lavrov"                       # unique; names the alerts
    query = 'Geneva AND (talks OR negotiations)'   # the search language (docs/monitoring.md)
    entities = ["Sergei Lavrov"]          # entity ids or names: the article mentions one of them
    events = ["meeting", "summit"]        # event categories: the watch then matches events
    min_sources = 2                       # events: reported by at least this many sources
    deliver = ["json://127.0.0.1:8080/hook", "mailto://..."]   # Apprise URLs

A watch needs a query, entities or events. Without `events` it matches new canonical
articles (query AND one of the entities); with `events` it matches events of those
categories reported by `min_sources` sources, whose articles satisfy the query and entities
when given. A mistake in the file is a ConfigError naming the watch and the field.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError

FIELDS = {"name", "query", "entities", "events", "min_sources", "deliver"}


@dataclass(frozen=True)
class Watch:
    name: str
    query: str | None = None
    entities: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    min_sources: int = 1
    deliver: tuple[str, ...] = field(default=())

    def article_query(self) -> str | None:
        """The watch's article criteria as one query of the search language."""
        parts = []
        if self.query:
            parts.append(f"({self.query})")
        if self.entities:
            quoted = " OR ".join('entity:"' + e.replace('"', "") + '"' for e in self.entities)
            parts.append(f"({quoted})")
        return " AND ".join(parts) or None


def _strings(name: str, key: str, raw: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(v, str) and v.strip() for v in raw):
        raise ConfigError(f"watch {name!r}: {key} must be a list of non-empty strings")
    return tuple(v.strip() for v in raw)


def parse_watch(raw: Any, position: int) -> Watch:
    from pipeline.search.query import parse_query

    if not isinstance(raw, dict):
        raise ConfigError(f"watch #{position} is not a table", hint="write each watch as [[watch]] name = ...")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"watch #{position} has no name", hint='add name = "..." to it')
    unknown = set(raw) - FIELDS
    if unknown:
        raise ConfigError(f"watch {name!r}: unknown field(s) {', '.join(sorted(unknown))}",
                          hint=f"fields are {', '.join(sorted(FIELDS))}")
    query = raw.get("query")
    if query is not None:
        if not isinstance(query, str):
            raise ConfigError(f"watch {name!r}: query must be a string")
        try:
            parse_query(query)
        except ConfigError:
            raise
        except Exception as exc:  # QueryError: say which watch
            raise ConfigError(f"watch {name!r}: {exc}") from exc
    min_sources = raw.get("min_sources", 1)
    if not isinstance(min_sources, int) or isinstance(min_sources, bool) or min_sources < 1:
        raise ConfigError(f"watch {name!r}: min_sources must be a whole number of at least 1")
    watch = Watch(name=name.strip(), query=query, entities=_strings(name, "entities", raw.get("entities", [])),
                  events=tuple(e.lower() for e in _strings(name, "events", raw.get("events", []))),
                  min_sources=min_sources, deliver=_strings(name, "deliver", raw.get("deliver", [])))
    if not (watch.query or watch.entities or watch.events):
        raise ConfigError(f"watch {name!r} watches nothing", hint="give it a query, entities or events")
    _check_targets(watch)
    return watch


def _check_targets(watch: Watch) -> None:
    import apprise

    for url in watch.deliver:
        if not apprise.Apprise().add(url):
            # The URL itself is not echoed: it may hold a password or token.
            scheme = url.split("://", 1)[0] if "://" in url else "?"
            raise ConfigError(f"watch {watch.name!r}: delivery target #{watch.deliver.index(url) + 1} "
                              f"({scheme}://...) is not a valid Apprise URL",
                              hint="see https://github.com/caronc/apprise/wiki for each service's URL")


def load_watchlists(path: Path) -> list[Watch]:
    """The watches in `path`; none when the file does not exist."""
    path = Path(path)
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read watchlists {path}: {exc}", hint="fix the TOML") from exc
    unknown = set(data) - {"watch"}
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}",
                          hint="each watch is a [[watch]] table")
    watches = [parse_watch(raw, i + 1) for i, raw in enumerate(data.get("watch", []))]
    names = [w.name for w in watches]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ConfigError(f"{path}: watch name(s) used twice: {', '.join(twice)}", hint="names must be unique")
    return watches
