"""The PETRARCH2 CAMEO verb dictionary (vendored in ``knowledge/petrarch2/``) as data.

The file holds synonym sets (``&CURRENCY`` then ``+WORD`` lines), verb blocks (``--- NAME [code] ---``,
the verbs of the block, each optionally with irregular forms ``{...}`` and a code ``[...]``) and
patterns (``- [pre-verb nouns] * [post-verb nouns] (PREP noun) [code]``). This module only reads
the file into plain objects; ``cameo_coder`` matches them on a dependency parse. The format is
PETRARCH2's own (``dictionaries.rst`` upstream); what is not used here (transformations, the
``%`` compound marker) is skipped, not guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

KNOWLEDGE = Path(__file__).with_name("knowledge")
VERB_DICTIONARY = KNOWLEDGE / "petrarch2" / "CAMEO.2.0.txt"
VERB_SUPPLEMENT = KNOWLEDGE / "cameo_supplement.txt"
LIGHT_VERBS = KNOWLEDGE / "cameo_light_verbs.txt"

_BLOCK = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]\s+---")
_CODE = re.compile(r"\[([0-9:-]*)\]")
_FORMS = re.compile(r"\{([^}]*)\}")


@dataclass(frozen=True)
class Term:
    """One slot of a pattern: a word, a phrase (last word the head), a synonym set, or a
    role marker (``$`` source, ``+`` target)."""

    kind: str  # "word" | "phrase" | "synset" | "source" | "target" | "skip"
    words: tuple[str, ...] = ()

    @property
    def content(self) -> bool:
        return self.kind in ("word", "phrase", "synset")


@dataclass(frozen=True)
class PrepTerm:
    prep: str
    obj: Term | None


@dataclass(frozen=True)
class Pattern:
    verb_block: str
    pre: tuple[Term | PrepTerm, ...]
    post: tuple[Term | PrepTerm, ...]
    code: str  # CAMEO code of source -> target, "" when only the reverse is given
    reverse_code: str  # the code of target -> source for paired patterns ("[042:043]")
    text: str  # the pattern line as written, kept as evidence
    origin: frozenset[str] = frozenset()  # the verbs the pattern was written for (its comment)

    @property
    def size(self) -> int:
        """How much of the clause the pattern pins down (more is more specific)."""
        n = 0
        for t in self.pre + self.post:
            if isinstance(t, PrepTerm):
                n += 2 if t.obj is not None and t.obj.content else 1
            elif t.content:
                n += len(t.words) if t.kind == "phrase" else 1
        return n


@dataclass
class Verb:
    base: str  # upper-case lemma of the verb word
    block: str
    code: str  # the verb's own code, else the block's; "" for none
    before: tuple[str, ...] = ()  # words of a multi-word verb written before the verb
    after: tuple[str, ...] = ()  # ... and after it ("+ASK_FOR": after = ("FOR",))
    own_code: bool = False  # the code is written on the verb's line, not inherited from the block


@dataclass(eq=False)  # hashed by identity: the loaded dictionary keys caches
class VerbDictionary:
    synsets: dict[str, frozenset[str]]
    verbs: dict[str, list[Verb]]  # any surface form or lemma (upper case) -> verbs
    patterns: dict[str, list[Pattern]]  # block name -> its patterns in file order
    lemmas: frozenset[str] = field(default_factory=frozenset)

    def lookup(self, lemma: str, text: str) -> list[Verb]:
        return self.verbs.get(lemma.upper()) or self.verbs.get(text.upper()) or []


def _code(raw: str) -> tuple[str, str]:
    """``"042:043"`` -> ("042", "043"); ``"---"`` -> ("", "")."""
    first, _, second = raw.partition(":")
    clean = [c if c and c.isdigit() else "" for c in (first, second)]
    return clean[0], clean[1]


def _plural(word: str) -> list[str]:
    if word.endswith("_"):
        return [word[:-1]]
    if word.endswith("Y") and len(word) > 1 and word[-2] not in "AEIOU":
        return [word, word[:-1] + "IES"]
    if word.endswith(("SS", "SH", "CH", "X")):
        return [word, word + "ES"]
    return [word, word + "S"]


def verb_forms(base: str) -> set[str]:
    """Regular English forms of an upper-case verb (PETRARCH generates these the same way)."""
    forms = {base}
    cvc = len(base) >= 3 and base[-1] not in "AEIOUWXY" and base[-2] in "AEIOU" and base[-3] not in "AEIOU"
    if base.endswith("E"):
        forms |= {base + "S", base + "D", base[:-1] + "ING"}
    elif base.endswith("Y") and len(base) > 1 and base[-2] not in "AEIOU":
        forms |= {base[:-1] + "IES", base[:-1] + "IED", base + "ING"}
    elif base.endswith(("SS", "SH", "CH", "X", "Z")):
        forms |= {base + "ES", base + "ED", base + "ING"}
    else:
        forms |= {base + "S", base + "ED", base + "ING"}
    if cvc:
        forms |= {base + base[-1] + "ED", base + base[-1] + "ING"}
    return forms


def _term(token: str, synsets: dict[str, frozenset[str]]) -> Term | None:
    if token == "$":
        return Term("source")
    if token == "+":
        return Term("target")
    if token in ("^", "%"):
        return Term("skip")
    if token.startswith("&"):
        return Term("synset", (token,)) if token in synsets else None  # undefined synsets are ignored
    if token.startswith("{") and token.endswith("}"):
        words = tuple(w.replace("_", " ") for w in token[1:-1].split())
        return Term("phrase", words) if words else None
    return Term("word", (token.replace("_", " "),))


def _split_terms(text: str) -> list[str]:
    """Pattern text into tokens, keeping ``{...}`` and ``(...)`` groups whole."""
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        if ch.isspace() and depth == 0:
            if cur:
                out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return out


def _side(tokens: list[str], synsets: dict[str, frozenset[str]]) -> tuple[Term | PrepTerm, ...] | None:
    out: list[Term | PrepTerm] = []
    for tok in tokens:
        if tok.startswith("("):
            inner = _split_terms(tok[1:-1])
            if not inner:
                continue
            obj = _term(inner[1], synsets) if len(inner) > 1 else None
            if len(inner) > 2 and all(w[0].isalpha() or w[0] == "&" for w in inner[1:]):
                # "(TO PEACE &TREATY)": the words after the preposition are one phrase
                obj = Term("phrase", tuple(w.replace("_", " ") for w in inner[1:]))
            if len(inner) > 1 and obj is None:
                return None
            out.append(PrepTerm(inner[0], obj))
        else:
            term = _term(tok, synsets)
            if term is None:
                return None
            out.append(term)
    return tuple(out)


def _parse_pattern(line: str, block: str, synsets: dict[str, frozenset[str]]) -> Pattern | None:
    body, _, comment = line[1:].partition("#")
    # "# SEND , DEPLOY": the block's verbs the pattern came from (the dictionary's own note)
    origin = frozenset(w for w in re.split(r"[\s,]+", comment)
                       if w.isalpha() and w.isupper())
    m = _CODE.search(body)
    if m is None:
        return None
    code, reverse = _code(m.group(1))
    # A null-coded pattern ("RELEASE * IDENTITIES [---]", "FREE * ELECTION [---]") is kept: as
    # in PETRARCH, when it is the best match the verb codes nothing, not its default.
    tokens = _split_terms(body[:m.start()])
    if "*" not in tokens:
        return None
    star = tokens.index("*")
    pre, post = _side(tokens[:star], synsets), _side(tokens[star + 1:], synsets)
    if pre is None or post is None:
        return None
    return Pattern(block, pre, post, code, reverse, " ".join(body[:m.end()].split()), origin)


def _parse_verb(line: str, block: str, block_code: str) -> list[tuple[str, Verb]]:
    """A verb line into (form, Verb) pairs for every form it can be written in."""
    text = line.split("#", 1)[0]
    m = _CODE.search(text)
    code = _code(m.group(1))[0] if m else block_code
    if m:
        text = text[:m.start()] + text[m.end():]
    forms_m = _FORMS.search(text)
    irregular = forms_m.group(1).split() if forms_m else []
    head = (text[:forms_m.start()] if forms_m else text).strip()
    if not head:
        return []
    words = head.split("_")
    verb_i = next((i for i, w in enumerate(words) if w.startswith("+")), 0)
    words = [w.lstrip("+") for w in words]
    base = words[verb_i]
    verb = Verb(base, block, code, tuple(words[:verb_i]), tuple(words[verb_i + 1:]), own_code=m is not None)
    forms = verb_forms(base)
    for form in irregular:  # "{+ASKED_FOR ...}" or "{SPED SPEEDS}": the verb word of each
        parts = form.split("_")
        forms.add(next((p for p in parts if p.startswith("+")), parts[min(verb_i, len(parts) - 1)]).lstrip("+"))
    return [(f, verb) for f in forms if f]


def _same_verb(a: Verb, b: Verb) -> bool:
    return (a.base, a.block, a.before, a.after) == (b.base, b.block, b.before, b.after)


def _synset_additions(lines: list[str]) -> tuple[dict[str, set[str]], list[str]]:
    """The supplement's ``&SET`` / ``+WORD`` lines (words added to an upstream synonym set, which
    every pattern naming the set then sees) apart from its verb blocks."""
    extra: dict[str, set[str]] = {}
    rest: list[str] = []
    current: str | None = None
    for raw in lines:
        stripped = raw.split("#", 1)[0].strip()
        if stripped.startswith("&"):
            current = stripped.split()[0]
            extra.setdefault(current, set())
            continue
        if current is not None and stripped.startswith("+"):
            phrase = stripped[1:].split()[0]
            forms = [phrase.rstrip("_")] if current.endswith("_") else _plural(phrase)
            extra[current].update(w.replace("_", " ") for w in forms)
            continue
        if stripped:
            current = None
        rest.append(raw)
    return extra, rest


@lru_cache(maxsize=2)
def load_verb_dictionary(path: Path = VERB_DICTIONARY, supplement: Path | None = VERB_SUPPLEMENT) -> VerbDictionary:
    synsets: dict[str, set[str]] = {}
    verbs: dict[str, list[Verb]] = {}
    patterns: dict[str, list[Pattern]] = {}
    current_set: str | None = None
    block, block_code = "", ""
    in_verbs = False
    frozen: dict[str, frozenset[str]] = {}
    lines = [(line, False) for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    extra: dict[str, set[str]] = {}
    if supplement is not None:
        extra, rest = _synset_additions(supplement.read_text(encoding="utf-8").splitlines())
        lines += [(line, True) for line in rest]
    for raw, supplemented in lines:
        line = raw.split("#", 1)[0].rstrip() if not raw.lstrip().startswith("-") else raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith("~"):
            continue
        if stripped.startswith("&"):
            current_set = stripped.split()[0]
            synsets[current_set] = set()
            continue
        m = _BLOCK.match(stripped)
        if m:
            if not in_verbs:  # every synonym set is defined before the first block
                frozen = {k: frozenset(v | extra.get(k, set())) for k, v in synsets.items()}
            block, block_code, current_set, in_verbs = m.group(1), _code(m.group(2))[0], None, True
            patterns.setdefault(block, [])
            continue
        if current_set is not None and stripped.startswith("+") and not in_verbs:
            phrase = stripped[1:].split()[0]
            no_plural = current_set.endswith("_")
            for w in ([phrase.rstrip("_")] if no_plural else _plural(phrase)):
                synsets[current_set].add(w.replace("_", " "))
            continue
        if not in_verbs:
            continue
        if stripped.startswith("-"):
            pattern = _parse_pattern(stripped, block, frozen)
            if pattern is not None:
                if supplemented:  # the supplement's pattern replaces the block's patterns of the same words
                    patterns[block] = [p for p in patterns[block] if (p.pre, p.post) != (pattern.pre, pattern.post)]
                patterns[block].append(pattern)
            continue
        for form, verb in _parse_verb(stripped, block, block_code):
            entries = verbs.setdefault(form, [])
            same = next((k for k, v in enumerate(entries) if _same_verb(v, verb)), None)
            if supplemented and same is not None:  # the supplement's line for a verb of the same
                entries[same] = verb  # block replaces it, in its place (the first entry is the default)
            elif verb not in entries:
                entries.append(verb)
    return VerbDictionary(frozen, verbs, patterns, frozenset(v.base for vs in verbs.values() for v in vs))


@dataclass(frozen=True)
class LightVerbs:
    """Verbs that carry out what their object names, and the roots such a noun may code."""

    verbs: frozenset[str]
    roots: frozenset[str]
    shares: frozenset[str] = frozenset()  # "took part in X", "played a role in X": X names the act


@lru_cache(maxsize=2)
def load_light_verbs(path: Path = LIGHT_VERBS) -> LightVerbs:
    verbs: set[str] = set()
    roots: set[str] = set()
    shares: set[str] = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("ROOTS "):
            roots |= set(line.split()[1:])
        elif line.startswith("SHARES "):
            shares |= {w.upper() for w in line.split()[1:]}
        elif line:
            verbs.add(line.upper())
    return LightVerbs(frozenset(verbs), frozenset(roots), frozenset(shares))


# English nominalisations back to their verb: "investigation" -> INVESTIGATE, "invasion" ->
# INVADE, "withdrawal" -> WITHDRAW, "deployment" -> DEPLOY, "criticism" -> CRITICIZE,
# "threat" -> THREATEN, "seizure" -> SEIZE. Every candidate is checked against the dictionary.
_NOMINAL = (("ATION", "ATE"), ("ATION", "E"), ("ATION", ""), ("ITION", "E"), ("SION", "DE"), ("ION", "E"),
            ("ION", ""), ("MENT", ""), ("AL", ""), ("AL", "E"), ("ISM", "IZE"), ("URE", "E"), ("", "EN"))


def verb_of_noun(word: str, dictionary: VerbDictionary) -> list[Verb]:
    """The dictionary verbs a noun names (upper case, singular): its own form first ("attack",
    "bombing"), else a nominalisation's verb."""
    found = dictionary.verbs.get(word)
    if found:
        return found
    for suffix, replacement in _NOMINAL:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            found = dictionary.verbs.get(word[:len(word) - len(suffix)] + replacement)
            if found:
                return found
    return []
