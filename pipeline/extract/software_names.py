"""Names of programming languages, markup and file formats: Pygments' lexer names, a list its
maintainers keep current for syntax highlighting (a dependency, BSD-2-Clause).

The small model has no class for software and reads "Python", "JSON" or "Dockerfile" as an
organisation in every mention; these names vote that such a reading is no entity
(:func:`pipeline.extract.entity_types.harmonise_types`), so it is not stored. Compound lexers
("HTML+Django/Jinja") and names under four characters ("Go", "SAS", "ADL": too often an
organisation's initials) are left out.
"""

from __future__ import annotations

from functools import lru_cache

_MIN_LENGTH = 4


@lru_cache(maxsize=1)
def software_names() -> frozenset[str]:
    from pygments.lexers import get_all_lexers

    return frozenset(name for name, *_ in get_all_lexers()
                     if len(name) >= _MIN_LENGTH and "+" not in name and "/" not in name)
