"""The extraction benchmark's body measures read the page's own markup, not the clean stage's
rules: a caption is known from a <figcaption>, a caption class, a JSON-LD `caption` or an
image's alt text; the measure counts the output words that are one."""

from __future__ import annotations

import json

from benchmarks.extraction_eval import Extracted, read_reference, score

_LD = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Harbour reopens",
       "image": {"@type": "ImageObject", "caption": "Cranes at the north quay during the storm"}}
PAGE = f"""<html><head><title>Harbour reopens</title>
<script type="application/ld+json">{json.dumps(_LD)}</script></head><body><article>
<h1>Harbour reopens</h1>
<p>The harbour reopened on Monday after three days of closure, the port authority said.</p>
<figure><img src="a.jpg" alt="Ships waiting outside the breakwater at dawn">
<figcaption>Ships waiting outside the breakwater at dawn. Photo: Port Authority</figcaption></figure>
<div class="wp-caption"><img src="b.jpg"><p class="wp-caption-text">Dock workers clearing debris from the pier</p></div>
<p>Dock workers cleared debris from the piers through the night.</p>
<img src="c.jpg" alt="The harbour reopened on Monday after three days of closure, the port authority said.">
<img src="d.jpg" alt="Logo">
</article></body></html>""".encode()
ENTRY = {"with": ["The harbour reopened on Monday"], "without": ["Dock workers clearing debris"]}


def test_captions_come_from_every_place_the_page_states_one():
    ref = read_reference(ENTRY, PAGE)
    assert set(ref.captions) == {
        "ships waiting outside the breakwater at dawn. photo: port authority",  # figcaption
        "ships waiting outside the breakwater at dawn",  # the image's alt
        "dock workers clearing debris from the pier",  # a caption class
        "cranes at the north quay during the storm",  # JSON-LD
    }
    # an alt that repeats the article's own paragraph is article text; 'Logo' is too short
    assert not any(c.startswith("the harbour reopened") or c == "logo" for c in ref.captions)
    # stated only by JSON-LD or alt: what the structure rules do not read
    assert set(ref.independent) == {"ships waiting outside the breakwater at dawn", "cranes at the north quay during the storm"}
    assert ref.gold_captions == ["dock workers clearing debris"]


def test_caption_words_in_the_output_are_counted_once_and_against_the_gold():
    pages = {"p.html": ENTRY}
    ENTRY["_reference"] = read_reference(ENTRY, PAGE)
    clean = "The harbour reopened on Monday after three days of closure, the port authority said."
    leaky = clean + "\nShips waiting outside the breakwater at dawn. Photo: Port Authority" \
        "\nDock workers clearing debris from the pier"
    kept, leaked = (score({"p.html": Extracted(body=b)}, pages) for b in (clean, leaky))
    assert kept.caption.hits == kept.caption_independent.hits == kept.caption_gold.hits == 0
    # the figcaption (10 words) holds the alt; blanked once found, the alt is not counted again
    assert leaked.caption.hits == 10 + 7
    assert leaked.caption_independent.hits == 7  # the alt inside the figcaption's line
    assert (leaked.caption_gold.hits, leaked.caption_gold.total) == (1, 1)


def test_the_tuning_half_splits_in_two_by_host():
    from benchmarks.body_eval import in_group, part_of
    from benchmarks.extraction_eval import half_of

    hosts = [f"https://www.site{i}.example/story" for i in range(60)]
    entries = [{"url": u, "with": [], "without": [], "_language": "en"} for u in hosts]
    parts = [part_of(e) for e in entries]
    assert {p for p, e in zip(parts, entries, strict=True) if half_of(e) == "B"} == {"B"}
    assert {p for p, e in zip(parts, entries, strict=True) if half_of(e) == "A"} == {"A1", "A2"}
    # a host's pages (here an archived copy of the same site) fall in one part
    archived = {"url": "https://web.archive.org/web/2020/https://www.site7.example/other", "_language": "en"}
    assert part_of(archived) == parts[7]
    for e, p in zip(entries, parts, strict=True):
        assert in_group(e, p) and in_group(e, f"{p} en") and not in_group(e, f"{p} other")
        assert in_group(e, "A") == (p != "B")


def test_candidates_count_what_they_would_remove_from_a_saved_body():
    from lxml import html as lxml_html

    from benchmarks.body_candidates import Page, site_tail, stated_short, tail_half_links
    from pipeline.clean.blocks import line_elements
    from pipeline.text import normalise_for_hash

    page = lxml_html.fromstring("""<html><body><article>
    <p>The council approved the new harbour budget on Monday after a long debate.</p>
    <p>Work on the northern quay starts in spring and should end within two years.</p>
    <p>Short line</p>
    <p>Read more at <a href="/x">Harbour Weekly</a></p></article></body></html>""")
    lines = ["The council approved the new harbour budget on Monday after a long debate.",
             "Work on the northern quay starts in spring and should end within two years.",
             "Short line", "Read more at Harbour Weekly"]
    stated = " ".join(lines[:2]) + " Read more at Harbour Weekly"
    p = Page(lines, [normalise_for_hash(t) for t in lines], page, line_elements(page),
             ["harbourweekly.example"], stated)
    assert site_tail(p) == {3}  # the closing line names the site by its host
    assert stated_short(p) == {2}  # the stated body holds every line but the short one
    assert tail_half_links(p) == {3}  # 'Harbour Weekly' is more than half of that line
    p.sites = ["other.example"]
    assert site_tail(p) == set()
