"""The feeds file, `--feed` arguments and folder expansion."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.ingest.feed_sources import (
    FeedSource,
    expand_source,
    feed_source_from_arg,
    lists_feeds,
    load_feed_sources,
)
from tests.conftest import PROJECT_ROOT

CASES = Path(__file__).parent / "cases" / "feeds"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_feeds_file_resolves_local_paths_and_applies_defaults(tmp_path):
    (tmp_path / "local").mkdir()
    path = _write(tmp_path, """
[defaults]
fetch_pages = false
[[feed]]
name = "web"
url = "https://news.example.org/rss.xml"
interval_minutes = 30
fetch_pages = true
[[feed]]
name = "offline"
url = "local"
""")
    web, offline = load_feed_sources(path)
    assert web == FeedSource("web", "https://news.example.org/rss.xml", True, 30)
    assert offline == FeedSource("offline", str((tmp_path / "local").resolve()), False, None)
    assert offline.is_local and not web.is_local


@pytest.mark.parametrize("body, message", [
    ('[[feed]]\nname = "a"\n', "'url' is required"),
    ('[[feed]]\nurl = "https://x.org/f"\n', "'name' is required"),
    ('[[feed]]\nname = "a"\nurl = "https://x.org/1"\n[[feed]]\nname = "a"\nurl = "https://x.org/2"\n',
     "duplicate feed name"),
    ('[[feed]]\nname = "a"\nurl = "ftp://x.org/f"\n', "unsupported feed scheme"),
    ('[[feed]]\nname = "a"\nurl = "https://x.org/f"\npages = true\n', "unknown key"),
    ('[[feed]]\nname = "a"\nurl = "https://x.org/f"\ninterval_minutes = 0\n', "interval_minutes"),
    ('[[feeds]]\nname = "a"\n', "unknown section"),
    ('[[feed]\n', "not valid TOML"),
])
def test_bad_feeds_files_are_config_errors_that_say_what_is_wrong(tmp_path, body, message):
    with pytest.raises(ConfigError, match=message):
        load_feed_sources(_write(tmp_path, body))


def test_the_projects_feeds_file_loads_and_names_no_feed_so_news_feeds_ships_paused():
    assert load_feed_sources(PROJECT_ROOT / "feeds.toml") == []
    assert not lists_feeds(PROJECT_ROOT / "feeds.toml")


def test_lists_feeds_is_true_for_a_feed_and_false_for_a_missing_or_broken_file(tmp_path):
    assert lists_feeds(_write(tmp_path, f'[[feed]]\nname = "a"\nurl = "{CASES / "seeds_atom.xml"}"\n'))
    assert not lists_feeds(tmp_path / "missing.toml")
    assert not lists_feeds(_write(tmp_path, "[[feed]\n"))


def test_feed_arguments():
    url = feed_source_from_arg("https://news.example.org/rss")
    assert (url.name, url.url, url.fetch_pages) == ("https://news.example.org/rss",) * 2 + (True,)
    local = feed_source_from_arg(str(CASES / "seeds_atom.xml"))
    assert local.is_local and local.fetch_pages is False  # command-line local feeds stay offline
    uri = feed_source_from_arg((CASES / "seeds_atom.xml").as_uri())
    assert uri.url == local.url
    with pytest.raises(ConfigError, match="no such file"):
        feed_source_from_arg(str(CASES / "missing.xml"))
    with pytest.raises(ConfigError, match="unsupported"):
        feed_source_from_arg("gopher://example.org/feed")


def test_folder_expands_to_one_source_per_feed_file_with_distinct_names():
    folder = feed_source_from_arg(str(CASES))
    expanded = expand_source(folder)
    names = [s.name for s in expanded]
    assert len(names) == len(set(names))
    assert f"{folder.name}/local/seeds.rss" in names and f"{folder.name}/seeds_atom.xml" in names
    assert not any(n.endswith(".py") or n.endswith(".html") for n in names)


def test_feeds_file_as_a_source_expands_to_its_feeds(tmp_path):
    path = _write(tmp_path, f'[[feed]]\nname = "atom"\nurl = "{CASES / "seeds_atom.xml"}"\nfetch_pages = true\n')
    (source,) = expand_source(feed_source_from_arg(str(path)))
    assert source == FeedSource("atom", str(CASES / "seeds_atom.xml"), True, None)
