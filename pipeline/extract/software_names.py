"""Names of software: programming languages, markup and file formats (Pygments' lexer names, a
list its maintainers keep current for syntax highlighting; BSD-2-Clause), operating systems and
web browsers (device-detector's lists, kept current for reading user agents: Matomo's Device
Detector data, LGPL-3.0; both are dependencies, nothing is copied here).

The small model has no class for software and reads "Python", "JSON", "Windows" or "Firefox" as
an organisation or a person in every mention; these names vote that such a reading is no entity
(:func:`pipeline.extract.entity_types.harmonise_types`), so it is not stored. Compound lexers
("HTML+Django/Jinja") and lexer names under four characters ("Go", "SAS", "ADL": too often an
organisation's initials) are left out; so are a system's or browser's names in capitals under four
letters ("BSD", "AIX"), the names device-detector also lists as a device maker's ("Nintendo",
"Mint"), and of browsers only the families (Chrome, Firefox, Safari, Opera, ...) and the names of
two words or more ("Microsoft Edge", "UC Browser"): its one-word browser names are often ordinary
words or given names ("Atlas", "Comet", "Jasmine").
"""

from __future__ import annotations

from functools import lru_cache

_MIN_LENGTH = 4
_MIN_MIXED_CASE = 3  # "iOS", "Mac"


@lru_cache(maxsize=1)
def software_names() -> frozenset[str]:
    return lexer_names() | platform_names()


@lru_cache(maxsize=1)
def lexer_names() -> frozenset[str]:
    from pygments.lexers import get_all_lexers

    return frozenset(name for name, *_ in get_all_lexers()
                     if len(name) >= _MIN_LENGTH and "+" not in name and "/" not in name)


@lru_cache(maxsize=1)
def platform_names() -> frozenset[str]:
    """Operating systems and web browsers, with the parts of a name like "GNU/Linux"."""
    from device_detector.parser.device.base import DEVICE_BRANDS
    from device_detector.parser.settings import AVAILABLE_BROWSERS, BROWSER_FAMILIES, OPERATING_SYSTEMS

    makers = {brand.casefold() for brand in DEVICE_BRANDS.values()}
    browsers = [b for b in AVAILABLE_BROWSERS.values() if " " in b or b in BROWSER_FAMILIES]
    names: set[str] = set()
    for name in (*OPERATING_SYSTEMS.values(), *browsers):
        parts = [name, *name.split("/")] if "/" in name and " " not in name else [name]
        names.update(p for p in parts if p.casefold() not in makers and _long_enough(p))
    return frozenset(names)


def _long_enough(name: str) -> bool:
    return len(name) >= _MIN_LENGTH or (len(name) >= _MIN_MIXED_CASE and not name.isupper()
                                        and name[:1].isalpha())
