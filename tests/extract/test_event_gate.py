"""Which sentences the CAMEO coder parses (events.own_dates_step), on the real model."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from pipeline.extract.dates import resolve_anchor
from pipeline.extract.events import coder_sentences, event_sentences, own_dates_step
from pipeline.records import Article, stable_id
from pipeline.settings import load_settings

SEEN = datetime(2026, 1, 20, 8, 0)
ENGLISH = ("Russian troops attacked the Ukrainian town of Kupiansk on January 12, the Ukrainian army "
           "said on Tuesday. The Prime Minister met the French President in Paris on January 14.")
# Real German news prose: "die" is an article, not the English verb of killing, and "Berlin"
# and "NATO" are dictionary actors, so every sentence passes the word tests.
GERMAN = ("Die Regierung in Berlin hat am 12. Januar die Lieferung von Panzern an die Ukraine "
          "beschlossen, sagte ein Sprecher. Die Regierung kritisiert die Entscheidung der NATO. "
          "Die Soldaten der Bundeswehr sollen im Februar die Ausbildung beginnen.")


def _article(aid: str, body: str, language: str) -> Article:
    a = Article(aid, aid, f"/in/{aid}.txt", None, None, None, None, SEEN, language, body,
                len(body.split()), stable_id(body), first_seen_at=SEEN)
    a.date_anchor, a.date_anchor_source = resolve_anchor(a, SEEN)
    return a


def test_only_articles_in_the_models_language_are_parsed() -> None:
    settings = load_settings(env={})
    english, german = _article("en1", ENGLISH, "en"), _article("de1", GERMAN, "de")
    # A short body's detected language is not trusted (as for entities): make this one long.
    german = replace(german, body=" ".join([GERMAN] * 3), word_count=3 * german.word_count)
    (_, en_dates, en_coded), (_, de_dates, de_coded) = own_dates_step(settings, [english, german])
    assert {c.cameo_code[:2] for c in en_coded} >= {"19"}  # the attack is coded
    assert coder_sentences(english, en_dates, "en") == event_sentences(english.body, en_dates) != []
    # The German sentences pass the word tests ("die", "NATO", "Berlin"): only their language
    # keeps them from the parser.
    assert len(event_sentences(german.body, de_dates)) >= 3
    assert coder_sentences(german, de_dates, "en") == []
    assert de_coded == []
    # Unknown language: parsed as the model's (the entity stage reads it so too).
    unknown = replace(english, language=None)
    assert coder_sentences(unknown, en_dates, "en") == event_sentences(english.body, en_dates)


def test_lower_case_us_is_no_political_actor() -> None:
    """An undated sentence needs a political dictionary actor to be parsed: "us" is the pronoun
    (written in capitals, "US" and "U.S." are the country)."""
    from pipeline.extract.cameo_actors import could_name_political_actor

    assert not could_name_political_actor("He told us the plan would fail.")
    assert not could_name_political_actor("Us and them, she said.")
    assert could_name_political_actor("The US said the plan would fail.")
    assert could_name_political_actor("The U.S. said the plan would fail.")
    assert could_name_political_actor("He told us the minister would resign.")  # another actor
    body = "He told us the plan would fail. The US criticised the plan."
    spans = event_sentences(body, [])
    assert [body[s:e] for s, e in spans] == ["The US criticised the plan."]


# Paragraph edges the sentence splitter meets in scraped news: a headline without a full stop,
# a quote closing after the stop, sentences glued at a lost space, a line of spaces between
# paragraphs, a byline, a caption.
PARAGRAPHS = ("Ukraine says Russian troops shelled Kherson\n\n"
              "By Olena Harmash\n \n"
              "KYIV (Reuters) - Russian forces shelled the southern city of Kherson on Sunday, "
              "the regional governor said.The attack killed two people.\n\n"
              "\u201cWe will rebuild,\u201d the mayor told residents.\u201d\n\n"
              "Photo: a damaged building in the city centre\n\n"
              "The prime minister condemned the attack and met the French President in Paris.\n")


def test_the_gate_splits_only_paragraphs_that_can_hold_an_admitted_sentence() -> None:
    """Same sentences as splitting the whole body, from splitting only the paragraphs that
    pass the gate's word tests: not the byline, not the caption (no dictionary verb form)."""
    from pipeline.extract.cameo_actors import could_name_political_actor
    from pipeline.extract.cameo_coder import could_hold_event
    from pipeline.extract.events import _gate_regions
    from pipeline.extract.nlp import paragraphs, rule_sentences, rule_sentences_in

    body = PARAGRAPHS
    assert rule_sentences_in(body, paragraphs(body)) == rule_sentences(body)

    def admitted(s: int, e: int) -> bool:
        return could_hold_event(body[s:e]) and could_name_political_actor(body[s:e])

    regions = [body[s:e] for s, e in _gate_regions(body, admitted)]
    assert [r.split("\n")[0][:20] for r in regions] == ["Ukraine says Russian", "KYIV (Reuters) - Rus",
                                                        "The prime minister c"]
    assert "By Olena Harmash" not in "".join(regions) and "Photo:" not in "".join(regions)
    assert [body[s:e] for s, e in event_sentences(body, [])] == [
        "Ukraine says Russian troops shelled Kherson",
        "KYIV (Reuters) - Russian forces shelled the southern city of Kherson on Sunday, the regional governor said.",
        "\u201cWe will rebuild,\u201d the mayor told residents.\u201d",
        "The prime minister condemned the attack and met the French President in Paris."]


def test_a_text_split_in_pieces_keeps_the_spans_inside_the_regions_only() -> None:
    """A text over the splitter's piece size is split whole; of its spans, those inside the
    given paragraph runs are kept (every other paragraph here), the same as filtering the whole
    text's split."""
    from pipeline.extract.nlp import paragraphs, rule_sentences, rule_sentences_in

    body = "\n\n".join([PARAGRAPHS.strip()] * 800)  # about 230,000 characters
    assert len(body) > 200_000
    regions = paragraphs(body)[::2]
    whole = rule_sentences(body)
    kept = [(s, e) for s, e in whole if any(a <= s and e <= b for a, b in regions)]
    assert rule_sentences_in(body, regions) == kept
    assert 0 < len(kept) < len(whole)
