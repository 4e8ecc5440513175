"""Surface-level rules for entity spans: trimming, rejecting non-entities, name keys.

Pure functions over strings. Nothing here is keyed to particular articles: the word lists are
closed classes of English (titles and roles, function words, calendar words, web-page chrome).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

KEPT_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")
# The model's labels for things that are no person, organisation or place (products, laws).
# They are not stored, but their mentions vote: a name the model reads as a product in most of
# its mentions is not a person or a company. Read as this one label. WORK_OF_ART is left out:
# the small model gives it to names in quotes or capitals ("the All Blacks", "LIFFE").
NOT_NAMED_TYPES = ("PRODUCT", "LAW")
OTHER = "OTHER"

# Titles, honorifics and roles that precede a name. Multi-word roles are matched word by word
# ("Foreign Minister", "Secretary of State"), nationality adjectives before them are NORP.
TITLE_WORDS = frozenset("""
mr mr. mrs mrs. ms ms. miss dr dr. prof prof. professor sir dame lord lady madam madame
president vice prime premier minister secretary chancellor governor senator sen sen. rep rep.
representative congressman congresswoman mayor ambassador envoy general gen gen. colonel col
col. lieutenant lt lt. major maj captain capt capt. commander admiral sergeant sgt
king queen prince princess emperor sheikh pope cardinal bishop archbishop rabbi imam father
judge justice chief chairman chairwoman chair ceo director spokesman spokeswoman spokesperson
aide adviser advisor deputy foreign defense defence interior finance state affairs of
former ex late acting interim chief-of-staff head leader officer official analyst
superintendent supervisor commissioner councillor councilman councilwoman councilor sheriff
detective inspector constable trooper coach manager pastor reverend rev rev. attorney
solicitor provost treasurer comptroller speaker mp mep gov gov. pres pres. amb amb.
""".split())

# Function words skipped when forming initials (NATO: North Atlantic Treaty Organization).
INITIALS_SKIP = frozenset("of for and the in on at to de du des la le el & a an".split())

_CALENDAR = frozenset("""
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec today yesterday tomorrow tonight
morning evening night weekend week month year
""".split())

# Vocabulary of web-page chrome: an "entity" containing one of these is page furniture.
_BOILERPLATE = re.compile(
    r"\b(reply|replies|comments|subscribe|subscribed|newsletters?|disclaimers?|cookie (policy|settings)|"
    r"privacy (policy|settings)|sign up|log ?in|click here|read more|show more|share this|follow us|"
    r"advertisement|sponsored content|all rights reserved|terms (of|and) (use|service|conditions))\b",
    re.IGNORECASE)

_QUOTES = "\"'“”‘’«»„‟`´"
_LEADING_JUNK = _QUOTES + "([{<-–—*•·,;:.!?/\\|"
_TRAILING_JUNK = _QUOTES + ")]}>-–—*•·,;:!?/\\|®™©"
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z][A-Z&]{1,7}$")


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) to the entity proper: no surrounding space or quotes, no leading
    article "the", no possessive suffix, nothing after a line break."""
    # a name never runs over a line break or a heading separator ("Coinbase Pro: Fees"), nor
    # into a user's handle ("Instagram @TheHerald")
    for stop in ("\n", ": ", " | ", " @"):
        cut = text.find(stop, start, end)
        if cut != -1:
            end = cut
    changed = True
    while changed and start < end:
        changed = False
        while start < end and (text[start].isspace() or text[start] in _LEADING_JUNK):
            start, changed = start + 1, True
        while end > start and (text[end - 1].isspace() or text[end - 1] in _TRAILING_JUNK):
            end, changed = end - 1, True
        if text[start:start + 4].lower() == "the " and end - start > 4:
            start, changed = start + 4, True
        m = _POSSESSIVE.search(text, start, end)
        if m and m.start() > start + 1:
            # keep the "s" of a plural possessive ("the Russians’"): only the apostrophe goes
            end = m.start() + 1 if text[m.start()] == "s" else m.start()
            changed = True
        if end > start and text[end - 1] == "." and not _ACRONYM.match(text[start:end]):
            # a sentence full stop glued to the span, unless it closes an abbreviation
            last = text[start:end].split()[-1]
            if len(last) > 3 and not last[:-1].replace(".", "").isupper():
                end, changed = end - 1, True
    return start, end


# A token of digits and punctuation: a score, a rank, a date, a table figure ("5-0", "64",
# "1996-08-30"). One with punctuation in it is never part of a name; a plain number is part of
# some organisations' names ("Channel 4", "Hannover 96") but of no person's or place's.
_NUMERAL = re.compile(r"^[\d.,:/+-]*\d[\d.,:/+-]*$")
_PUNCTUATED_NUMERAL = re.compile(r"^(?=.*\d)(?=.*[.,:/+-])[\d.,:/+-]+$")
# A spaced dash or two separates a headline's parts ("GERMANY - Bunds", "Sri Lanka - Ranatunga").
_DASH_SEPARATOR = re.compile(r"\s(?:-|--|–|—)\s")


def strip_numerals(text: str, start: int, end: int, label: str) -> tuple[int, int]:
    """[start, end) without leading or trailing numeral tokens ("Liechtenstein 5-0", "64 Bob
    Estes", "Calif 1996-08-30") and cut before a spaced dash; a name keeps one word."""
    m = _DASH_SEPARATOR.search(text, start, end)
    if m is not None and m.start() > start:
        end = m.start()
    pattern = _PUNCTUATED_NUMERAL if label == "ORG" else _NUMERAL
    words = list(re.finditer(r"\S+", text[start:end]))
    first, last = 0, len(words) - 1
    while last > first and pattern.match(words[last].group()):
        last -= 1
    while first < last and pattern.match(words[first].group()):
        first += 1
    if not words:
        return start, end
    return start + words[first].start(), start + words[last].end()


# English prefixes glued to a name by a hyphen ("post-Brexit", "anti-Trump", "ex-England"): the
# name is what follows.
_NAME_PREFIX = re.compile(r"(?:post|pre|anti|pro|ex|non|neo|mid|pan|trans|inter|sub|super|ultra|"
                          r"former|then|un)-(?=[A-Z])")


def strip_prefix(text: str, start: int, end: int) -> int:
    """The start of a span after a lower-case prefix glued to the name ("post-Brexit")."""
    m = _NAME_PREFIX.match(text, start, end)
    return m.end() if m is not None else start


def strip_title(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading title/role words from a PERSON span, keeping at least one word."""
    while True:
        m = re.match(r"\S+\s+", text[start:end])
        if not m:
            return start, end
        word = m.group(0).strip().lower().strip(",")
        if word not in TITLE_WORDS:
            return start, end
        start += m.end()


def strip_trailing_lower(text: str, start: int, end: int) -> int:
    """The end of a PERSON span without trailing lower-case words ("Meghan cry": the model ran
    the name into the verb); particles inside a name ("Ludwig van Beethoven") stay."""
    while True:
        cut = text.rfind(" ", start, end)
        if cut == -1 or not text[cut + 1:end][:1].islower():
            return end
        end = cut


def is_acronym(surface: str) -> bool:
    return bool(_ACRONYM.match(surface.strip()))


def acronym_key(surface: str) -> str:
    return re.sub(r"[^A-Z&]", "", surface.upper())


def initials(surface: str) -> str:
    """Initials of a long form, function words skipped: "Organization for Security and
    Cooperation in Europe" -> "OSCE"."""
    words = re.findall(r"[^\W\d_][\w'’]*", surface)
    return "".join(w[0].upper() for w in words if w.lower() not in INITIALS_SKIP)


def reject_reason(surface: str, label: str) -> str | None:
    """Why a trimmed span is not an entity (None when it is one)."""
    if label not in KEPT_TYPES and label != OTHER:
        return "type_not_kept"
    if len(surface) < 2 or not _HAS_LETTER.search(surface):
        return "no_letters"
    if not any(ch.isupper() for ch in surface):
        return "not_capitalised"  # proper names are capitalised; "daily", "the evening"
    words = re.findall(r"[\w'’]+", surface.lower())
    if words and all(w in _CALENDAR or w.isdigit() for w in words):
        return "calendar_word"
    if _BOILERPLATE.search(surface):
        return "boilerplate"
    if surface[0] in "'’" or surface.lower().startswith(("s ", "’s", "'s")):
        return "fragment"
    return None


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Accent-free lower-case form with common transliteration variants folded:
    Sergey/Sergei, Zelensky/Zelenskyy/Zelenskiy, Yuri/Yury/Iouri, Dmitry/Dmitri."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z ]", "", text.replace("-", " "))
    for a, b in (("kh", "h"), ("iou", "yu"), ("ou", "u"), ("ks", "x"), ("ph", "f"),
                 ("ck", "k"), ("w", "v"), ("j", "y"), ("ey", "ei"), ("ij", "i")):
        text = text.replace(a, b)
    text = text.replace("y", "i")
    text = re.sub(r"ii+", "i", text)  # Zelenskyy -> zelenskii -> zelenski
    text = re.sub(r"(.)\1+", r"\1", text)  # doubled letters
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=200_000)
def name_key(surface: str) -> str:
    """Case/space/punctuation-insensitive key for non-person names."""
    text = unicodedata.normalize("NFKC", surface).casefold().replace("’", "'")
    text = re.sub(r"[^\w&' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()
