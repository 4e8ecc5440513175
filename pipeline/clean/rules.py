"""Load the boilerplate rules (rules.toml) into compiled, typed rules.

The rules are data so that a new site's furniture is a line in a file, not a code change.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.regex_prefilter import Prefilter, could_match, required_factors

RULES_FILE = Path(__file__).with_name("rules.toml")
SCOPES = {"paragraph", "sentence", "heading_block", "inline"}
ACTIONS = {"remove", "caption", "repair"}


@dataclass(frozen=True)
class Rule:
    family: str
    name: str
    scope: str
    regex: re.Pattern[str]
    max_words: int = 40
    action: str = "remove"
    replacement: str = ""
    factors: Prefilter | None = None  # literals every match contains (regex_prefilter.py)
    folded: bool = True  # compiled with IGNORECASE

    @property
    def label(self) -> str:
        return f"{self.family}:{self.name}"

    def matches(self, text: str, folded: str) -> bool:
        """``regex.search(text)``, skipped when a required literal is missing; ``folded`` is
        ``regex_prefilter.fold(text)``."""
        return could_match(self.factors, self.folded, text, folded) and self.regex.search(text) is not None


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]

    def of_scope(self, scope: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.scope == scope)

    @property
    def families(self) -> set[str]:
        return {r.family for r in self.rules}


def _compile(family: str, raw: dict) -> Rule:
    name = raw.get("name")
    scope = raw.get("scope", "paragraph")
    action = raw.get("action", "remove")
    where = f"rule {family}:{name}"
    if not name or scope not in SCOPES or action not in ACTIONS:
        raise ConfigError(f"{where}: needs a name, scope in {sorted(SCOPES)}, action in {sorted(ACTIONS)}",
                          hint=f"fix {RULES_FILE}")
    if action == "repair" and scope != "inline":
        raise ConfigError(f"{where}: only inline rules can repair", hint=f"fix {RULES_FILE}")
    # Paragraph/sentence rules see case-folded text; inline rules see the original text.
    flags = 0 if raw.get("case_sensitive") else re.IGNORECASE
    try:
        regex = re.compile(raw["pattern"], flags)
    except (KeyError, re.error) as exc:
        raise ConfigError(f"{where}: bad pattern: {exc}", hint=f"fix {RULES_FILE}") from exc
    return Rule(family=family, name=name, scope=scope, regex=regex,
                max_words=int(raw.get("max_words", 40)), action=action,
                replacement=str(raw.get("replacement", "")), factors=required_factors(regex),
                folded=bool(flags & re.IGNORECASE))


def parse_rules(text: str) -> RuleSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"rules file is not valid TOML: {exc}", hint=f"fix {RULES_FILE}") from exc
    rules = [_compile(fam["name"], raw) for fam in data.get("family", []) for raw in fam.get("rules", [])]
    return RuleSet(tuple(rules))


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> RuleSet:
    return parse_rules(Path(path).read_text(encoding="utf-8"))
