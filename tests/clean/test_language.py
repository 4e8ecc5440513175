"""Language identification: py3langid's answer, on the samples the clean stage takes."""

from __future__ import annotations

from pathlib import Path

import py3langid

from pipeline.clean.language import identify
from pipeline.clean.stage import language_sample

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_the_seeds_are_english_and_other_languages_are_told_apart():
    for path in sorted(SEEDS.glob("*.txt")):
        assert identify(language_sample(path.read_text(encoding="utf-8"))) == "en", path.name
    assert identify("Die Regierung hat am Montag in Berlin neue Gesetze über die Rente beschlossen.") == "de"
    assert identify("Le gouvernement a présenté mercredi à Paris un nouveau projet de loi sur les retraites.") == "fr"


def test_identify_gives_py3langids_language_for_awkward_text():
    for text in ["", " ", "\x00", "a", "ПРИВЕТ МИР", "日本語のテキストです", "🙂" * 5, "\ud800 lone surrogate"]:
        expected = py3langid.classify(text)[0] or None
        assert identify(text) == expected, repr(text)


def test_a_long_body_is_sampled_at_its_start_middle_and_end():
    body = "A" * 1000 + "B" * 1000 + "C" * 1000
    sample = language_sample(body)
    assert len(sample) < len(body) and sample.startswith("A") and "B" in sample and sample.endswith("C")
    assert language_sample("short text") == "short text"
