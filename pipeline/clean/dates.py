"""Recognise and parse a line that is only a date (a dateline), in a few languages.

Deliberately small and strict: the whole line must be a date (with an optional weekday and
time), so prose that mentions a date is never taken. Results are naive datetimes, read as
UTC, because the warehouse stores TIMESTAMP without zone.
"""

from __future__ import annotations

import re
from datetime import datetime

from pipeline.text import normalise_for_hash

# Month names in the languages the pipeline meets most (case-folded; first 3+ letters suffice).
_MONTHS = {
    1: ("jan", "janvier", "enero", "gennaio", "stycznia", "styczeń", "janeiro"),
    2: ("feb", "févr", "fév", "febrero", "febbraio", "lutego", "luty", "fevereiro"),
    3: ("mar", "mär", "märz", "mars", "marzo", "marca", "marzec", "março"),
    4: ("apr", "avr", "abril", "aprile", "kwietnia", "kwiecień"),
    5: ("may", "mai", "mayo", "maggio", "maja", "maj", "maio"),
    6: ("jun", "juin", "junio", "giugno", "czerwca", "czerwiec", "junho"),
    7: ("jul", "juil", "julio", "luglio", "lipca", "lipiec", "julho"),
    8: ("aug", "août", "agosto", "sierpnia", "sierpień"),
    9: ("sep", "septiembre", "settembre", "września", "wrzesień", "setembro"),
    10: ("oct", "okt", "octubre", "ottobre", "października", "październik", "outubro"),
    11: ("nov", "noviembre", "novembre", "listopada", "listopad", "novembro"),
    12: ("dec", "dez", "déc", "diciembre", "dicembre", "grudnia", "grudzień", "dezembro"),
}
_MONTH = r"(?P<month>[a-zäéûçńźś]{3,12})\.?"
_WEEKDAY = (r"((mon|tues|wednes|thurs|fri|satur|sun)day|(mon|tue|wed|thu|fri|sat|sun)\.?|montag|dienstag"
            r"|mittwoch|donnerstag|freitag|samstag|sonntag|lunes|martes|miércoles|jueves|viernes"
            r"|sábado|domingo|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)")
_TIME = (r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(:\d{2})?\s*(?P<ampm>[ap])?\.?m?\.?(\s*(uhr|h))?"
         r"(\s*\(?(utc|gmt|[a-z]{2,4}t)\)?)?")
_DATES = (
    r"(?P<d1>\d{1,2})[./-](?P<m1>\d{1,2})[./-](?P<y1>\d{4}|\d{2})",
    r"(?P<y2>\d{4})-(?P<m2>\d{2})-(?P<d2>\d{2})",
    rf"(?P<d3>\d{{1,2}})(st|nd|rd|th)?\.?\s+(de\s+)?{_MONTH},?\s+(de\s+)?(?P<y3>\d{{4}})",
    rf"{_MONTH.replace('month', 'month4')}\s+(?P<d4>\d{{1,2}})(st|nd|rd|th)?,?\s+(?P<y4>\d{{4}})",
)
_DATE_ONLY = [re.compile(rf"^\W*({_WEEKDAY},?\s+)?{d}((,|\s)\s*(at|um|à|a las|-)?\s*{_TIME})?\W*$")
              for d in _DATES]


def _month_number(name: str | None) -> int | None:
    if not name:
        return None
    for number, names in _MONTHS.items():
        if any(name == n or (len(name) >= 3 and n.startswith(name)) or name.startswith(n) for n in names):
            return number
    return None


def _match(text: str) -> tuple[int, int, int, int, int] | None:
    """(year, month, day, hour, minute) when the whole line is a date."""
    norm = normalise_for_hash(text)
    if len(norm) > 80:
        return None
    for regex in _DATE_ONLY:
        m = regex.match(norm)
        if not m:
            continue
        g = {k: v for k, v in m.groupdict().items() if v is not None}
        day = int(next(g[k] for k in ("d1", "d2", "d3", "d4") if k in g))
        year = int(next(g[k] for k in ("y1", "y2", "y3", "y4") if k in g))
        year += 2000 if year < 100 else 0
        month = (int(g["m1"]) if "m1" in g else int(g["m2"]) if "m2" in g
                 else _month_number(g.get("month") or g.get("month4")))
        hour, minute = int(g.get("hour", 0)), int(g.get("minute", 0))
        if g.get("ampm") == "p" and hour < 12:
            hour += 12
        elif g.get("ampm") == "a" and hour == 12:
            hour = 0
        if month and 1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2100:
            return year, month, day, hour, minute
    return None


def is_date_only(text: str) -> bool:
    """True for '4 January 2022, 09:35 AM', '23.10.2018', 'Monday, March 3, 2021'."""
    return _match(text) is not None


def parse_date(text: str) -> datetime | None:
    """A date-only line as a naive datetime (taken as UTC when it names no zone); else None."""
    parts = _match(text)
    if parts is None:
        return None
    try:
        return datetime(*parts)
    except ValueError:  # 31 February and the like
        return None


