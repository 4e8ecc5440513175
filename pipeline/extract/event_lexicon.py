"""The event-type lexicon (event_types.toml): trigger phrases, CAMEO roots, families."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON_PATH = Path(__file__).with_name("event_types.toml")


@dataclass(frozen=True)
class EventType:
    name: str
    cameo_root: str
    family: str
    priority: int
    triggers: tuple[str, ...]
    cameo_code: str = ""  # the finest CAMEO code (cameo_root is its first two digits)
    fallback: bool = True  # found by trigger when the CAMEO coder codes nothing in the clause
    plover: str | None = None


@dataclass(frozen=True)
class Trigger:
    event_type: EventType
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Lexicon:
    types: dict[str, EventType]
    pattern: re.Pattern[str]
    by_phrase: dict[str, EventType]

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Trigger]:
        end = len(text) if end is None else end
        found = []
        for m in self.pattern.finditer(text, start, end):
            phrase = re.sub(r"\s+", " ", m.group(0).lower())
            found.append(Trigger(self.by_phrase[phrase], m.start(), m.end(), m.group(0)))
        return found


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    types: dict[str, EventType] = {}
    by_phrase: dict[str, EventType] = {}
    for name, spec in data["types"].items():
        et = EventType(name, str(spec["cameo_root"]), spec["family"], int(spec["priority"]),
                       tuple(t.lower() for t in spec["triggers"]), cameo_code=str(spec.get("cameo_code", "")),
                       fallback=bool(spec.get("fallback", True)))
        types[name] = et
        for phrase in et.triggers:
            # The first type listing a phrase owns it; the file lists specific types first.
            by_phrase.setdefault(phrase, et)
    phrases = sorted(by_phrase, key=len, reverse=True)  # longest first: "phone call" before "call"
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    pattern = re.compile(r"(?<![\w-])(?:" + alternation + r")(?![\w-])", re.IGNORECASE)
    return Lexicon(types, pattern, by_phrase)
