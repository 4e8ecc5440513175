"""Which feeds to read: the project's feeds file, a `--feed` argument, local folders.

A feed is an http(s) URL or a local path (file or folder), so the pipeline works offline
and tests need no network. A folder is expanded into one feed per file, each with its
own name and therefore its own ``feed_state`` row.

The feeds file (TOML)::

    [defaults]              # optional
    fetch_pages = true
    interval_minutes = 15

    [[feed]]
    name = "example"
    url = "https://example.org/rss.xml"   # or a path, relative to the feeds file
    fetch_pages = false                   # optional: use the feed's own content only
    interval_minutes = 60                 # optional: poll this feed less often
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pipeline.errors import ConfigError

# Files in a feed folder that are read as feeds; anything else (licences, notes) is not a feed.
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf", ".cdf", ".feed", ".json"})
_FEED_KEYS = {"name", "url", "fetch_pages", "interval_minutes"}


@dataclass
class FeedSource:
    name: str
    url: str  # http(s) URL, or an absolute local path
    fetch_pages: bool = True
    interval_minutes: int | None = None

    @property
    def is_local(self) -> bool:
        return not is_http_url(self.url)


def is_http_url(value: str) -> bool:
    return urlsplit(value).scheme.lower() in ("http", "https")


def _local_path(value: str, base: Path) -> Path:
    if value.lower().startswith("file://"):
        return Path(unquote(urlsplit(value).path))
    path = Path(value).expanduser()
    return path if path.is_absolute() else (base / path)


def _check_scheme(value: str, where: str) -> None:
    scheme = urlsplit(value).scheme.lower()
    # One-letter "schemes" are Windows drive letters, not URLs.
    if scheme and len(scheme) > 1 and scheme not in ("http", "https", "file"):
        raise ConfigError(f"{where}: unsupported feed scheme {scheme!r} in {value!r}",
                          hint="use an http(s) URL or a local file/folder path")


def load_feed_sources(path: Path) -> list[FeedSource]:
    """Parse the feeds file; relative paths are resolved against the file's folder."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read feeds file {path}: {exc}",
                          hint="create it or set feeds_file in the settings") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"feeds file {path} is not valid TOML: {exc}") from exc
    unknown_top = set(data) - {"defaults", "feed"}
    if unknown_top:
        raise ConfigError(f"{path}: unknown section(s) {sorted(unknown_top)}", hint="use [defaults] and [[feed]]")
    defaults = data.get("defaults", {})
    entries = data.get("feed", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: 'feed' must be an array of tables ([[feed]])")
    sources: list[FeedSource] = []
    seen: set[str] = set()
    for i, raw in enumerate(entries):
        where = f"{path} feed #{i + 1}"
        entry = {**defaults, **raw}
        unknown = set(entry) - _FEED_KEYS
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}", hint=f"known: {sorted(_FEED_KEYS)}")
        name, url = entry.get("name"), entry.get("url")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{where}: 'name' is required")
        if not isinstance(url, str) or not url.strip():
            raise ConfigError(f"{where} ({name}): 'url' is required")
        if name in seen:
            raise ConfigError(f"{where}: duplicate feed name {name!r}", hint="feed names key the feed state")
        seen.add(name)
        _check_scheme(url, where)
        if not is_http_url(url):
            url = str(_local_path(url, path.parent).resolve())
        interval = entry.get("interval_minutes")
        if interval is not None and (not isinstance(interval, int) or interval < 1):
            raise ConfigError(f"{where} ({name}): interval_minutes must be a positive integer")
        sources.append(FeedSource(name=name, url=url, fetch_pages=bool(entry.get("fetch_pages", True)),
                                  interval_minutes=interval))
    return sources


def feed_source_from_arg(arg: str) -> FeedSource:
    """A `--feed` argument: an http(s) URL, a local feed file, a folder of feed files, or a
    feeds file (``.toml``, expanded by :func:`expand_source` with its own per-feed options).

    Local feeds given on the command line are read offline: entries use the feed's own
    content, article pages are not fetched.
    """
    arg = arg.strip()
    _check_scheme(arg, "--feed")
    if is_http_url(arg):
        return FeedSource(name=arg, url=arg, fetch_pages=True)
    path = _local_path(arg, Path.cwd()).resolve()
    if not path.exists():
        raise ConfigError(f"--feed {arg}: no such file or folder", hint="give an http(s) URL or an existing path")
    return FeedSource(name=str(path), url=str(path), fetch_pages=False)


def is_feeds_file(source: FeedSource) -> bool:
    return source.is_local and Path(source.url).suffix.lower() == ".toml" and Path(source.url).is_file()


def expand_source(source: FeedSource) -> list[FeedSource]:
    """Sources to read, one per feed.

    A feeds file (``.toml``) becomes the feeds it lists, so a scheduler can pass the project's
    feeds file as one argument; a folder becomes one source per feed file under it (sorted,
    recursive).
    """
    if not source.is_local:
        return [source]
    if is_feeds_file(source):
        listed = load_feed_sources(Path(source.url))
        nested = [entry.name for entry in listed if is_feeds_file(entry)]
        if nested:
            raise ConfigError(f"{source.url}: feeds {nested} point at other feeds files",
                              hint="list feeds (URLs, files, folders) directly")
        return [feed for entry in listed for feed in expand_source(entry)]
    root = Path(source.url)
    if not root.is_dir():
        return [source]
    files = sorted(p for p in root.rglob("*")
                   if p.is_file() and p.suffix.lower() in FEED_SUFFIXES
                   and not any(part.startswith(".") for part in p.relative_to(root).parts))
    return [FeedSource(name=f"{source.name}/{p.relative_to(root).as_posix()}", url=str(p),
                       fetch_pages=source.fetch_pages, interval_minutes=source.interval_minutes)
            for p in files]


def lists_feeds(path: Path) -> bool:
    """Whether the feeds file names at least one feed: the feeds DAG ships paused otherwise,
    so that starting the scheduler reads nothing. A broken file counts as none (the DAG's own
    run reports what is wrong with it)."""
    try:
        return bool(load_feed_sources(Path(path)))
    except ConfigError:
        return False
