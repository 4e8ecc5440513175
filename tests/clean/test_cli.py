"""`newsmon clean INPUT ... [--jsonl]`: records in input order, error records instead of crashes."""

from __future__ import annotations

import argparse
import json

from pipeline.cli import clean as clean_cli
from tests.conftest import SEED_FILES


def main(argv: list[str]) -> int:
    """The dispatcher's wiring for this one subcommand (global --config, then `clean`)."""
    parser = argparse.ArgumentParser(prog="newsmon")
    parser.add_argument("--config")
    clean_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_jsonl_one_record_per_input_in_order(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSMON_CONFIG", "")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    inputs = [str(SEED_FILES[4]), str(empty), str(tmp_path / "missing.txt"), str(binary), str(SEED_FILES[1])]
    assert main(["clean", *inputs, "--jsonl"]) == 1  # every input reported; not all were usable
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["source"] for r in records] == inputs
    cgtn, empty_rec, missing, blob, mcu = records
    assert (cgtn["publisher"], cgtn["byline"]) == ("CGTN", "Nikola Mikovic")
    assert [s["rule"] for s in cgtn["removed"]][:2] == ["caption:agency_credit", "caption:repeated_paragraph"]
    assert len(cgtn["captions"]) == 2 and "/ AP" in cgtn["captions"][0]
    assert empty_rec["error"] == "empty_file" and missing["error"] == "unreadable"
    assert "error" in blob and blob["stage"] == "ingest"
    assert mcu["title"] == "The West has a rare window to put Putin in his place" and mcu["language"] == "en"
    assert all(s["position"] == i for i, s in enumerate(mcu["removed"]))


def test_human_output_lists_removed_spans_with_rules(capsys, monkeypatch):
    monkeypatch.setenv("NEWSMON_CONFIG", "")
    assert main(["clean", str(SEED_FILES[0])]) == 0
    out = capsys.readouterr().out
    assert "published_at  2022-01-04T09:35:00" in out
    assert "[share_furniture:media_widget] Video of day" in out
    assert "[social_follow:follow_us] Follow us on Twitter, Facebook and Google News" in out
