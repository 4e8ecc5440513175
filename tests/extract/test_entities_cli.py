"""`newsmon entities FILE ... --jsonl` on real files (the real clean stage and model)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipeline.cli.entities import register
from pipeline.extract.entity_eval import load_gold

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "cases" / "entities" / "seeds_gold.json"


def main(argv: list[str]) -> int:
    """The `entities` subcommand as the dispatcher registers it (the dispatcher itself is
    tested with the CLI as a whole)."""
    parser = argparse.ArgumentParser(prog="newsmon")
    parser.add_argument("--config")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def run_cli(capsys, *args: str) -> tuple[int, list[dict]]:
    code = main(["entities", *args, "--jsonl"])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()]


def test_plain_text_offsets_are_into_the_file(tmp_path, capsys):
    """A plain-text article without boilerplate: every offset points into the file as read."""
    gold = next(g for g in load_gold(FIXTURE, ROOT / "seeds") if g.name.startswith("002"))
    path = tmp_path / "article.txt"
    path.write_text("Russia answers NATO\n\n" + gold.body, encoding="utf-8")
    code, rows = run_cli(capsys, str(path))
    assert code == 0 and len(rows) > 50
    text = path.read_text(encoding="utf-8")
    for r in rows:
        assert set(r) == {"source", "start", "end", "text", "type", "entity_id", "canonical"}
        assert text[r["start"]:r["end"]] == r["text"], r
    lavrov = {r["entity_id"] for r in rows if r["text"] == "Sergei Lavrov"}
    assert len(lavrov) == 1
    assert {r["canonical"] for r in rows if r["text"] in ("Putin", "Vladimir Putin")} == {"Vladimir Putin"}


def test_seed_files_with_boilerplate_map_back_to_the_file(capsys):
    files = [str(p) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    code, rows = run_cli(capsys, *files)
    assert code == 0 and {r["source"] for r in rows} == set(files)
    texts = {f: Path(f).read_text(encoding="utf-8") for f in files}
    for r in rows:
        assert texts[r["source"]][r["start"]:r["end"]] == r["text"], r
    texts_seen = {r["text"] for r in rows}
    assert not texts_seen & {"Leave a Reply", "Google News Disclaimers", "Twitter"}
    ids = {}
    for r in rows:
        ids.setdefault(r["canonical"], set()).add(r["entity_id"])
    assert all(len(v) == 1 for v in ids.values())  # one id per canonical name


def test_html_file(tmp_path, capsys):
    html = ("<html><head><title>Talks</title></head><body><article><h1>Talks in Geneva</h1>"
            "<p>Russian Foreign Minister Sergei Lavrov met Antony Blinken in Geneva on Friday. "
            "The talks between Russia and the United States lasted two hours, officials said.</p>"
            "<p>Lavrov later told reporters that NATO must not expand. Blinken said the North Atlantic "
            "Treaty Organization would keep its open door.</p></article></body></html>")
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    code, rows = run_cli(capsys, str(path))
    assert code == 0
    by_text = {r["text"]: r for r in rows}
    assert by_text["Lavrov"]["entity_id"] == by_text["Sergei Lavrov"]["entity_id"]
    assert by_text["Geneva"]["type"] == "GPE"


def test_unreadable_file_is_reported_not_fatal(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    ok = tmp_path / "ok.txt"
    ok.write_text("Leaders meet\n\nEmmanuel Macron met Olaf Scholz in Berlin on Friday to discuss the "
                  "energy crisis, their offices said.", encoding="utf-8")
    code = main(["entities", str(empty), str(ok), "--jsonl"])
    captured = capsys.readouterr()
    assert code == 1 and "empty" in captured.err
    assert any(json.loads(line)["text"] == "Emmanuel Macron" for line in captured.out.splitlines())
