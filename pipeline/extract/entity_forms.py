"""Common forms of party and institution names (``knowledge/name_forms.toml``): "Tories",
"Conservatives" and "Conservative Party" are one entity."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.errors import ConfigError

FORMS_FILE = Path(__file__).parent / "knowledge" / "name_forms.toml"


@dataclass(frozen=True)
class NameForm:
    canonical: str
    entity_type: str

    @property
    def key(self) -> str:
        return "form:" + self.canonical.casefold()


@lru_cache(maxsize=1)
def load_name_forms(path: Path = FORMS_FILE) -> dict[str, NameForm]:
    """Exact surface -> its entry."""
    out: dict[str, NameForm] = {}
    for entry in tomllib.loads(path.read_text(encoding="utf-8"))["name"]:
        form = NameForm(entry["canonical"], entry["type"])
        for surface in entry["forms"]:
            if surface in out and out[surface] != form:
                raise ConfigError(f"{path.name}: {surface!r} is a form of two names",
                                  hint="keep each surface in one entry")
            out[surface] = form
    return out


@lru_cache(maxsize=1)
def canonical_by_key() -> dict[str, str]:
    return {f.key: f.canonical for f in load_name_forms().values()}
