"""A style's `date_format`, applied without the C library, its locale or the time zone.

`strftime` hands some directives to the C library: `%s` turns the date into seconds since 1970
in the process's time zone, `%c` and `%x` follow the locale. The same build would then differ
from machine to machine. A date format may use only the directives below, which say something
about a day and are formatted here, the same everywhere.
"""
from __future__ import annotations

import re
from datetime import date

from ..records import dataclass

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Names:
    """Month and day names of one language, full and abbreviated."""

    months: tuple[str, ...]
    months_short: tuple[str, ...]
    days: tuple[str, ...]
    days_short: tuple[str, ...]


ENGLISH = Names(MONTHS, tuple(m[:3] for m in MONTHS), DAYS, tuple(d[:3] for d in DAYS))
# Names follow the document language (by primary subtag); a language without a table prints English.
NAMES = {
    "en": ENGLISH,
    "cy": Names(("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi",
                 "Hydref", "Tachwedd", "Rhagfyr"),
                ("Ion", "Chwef", "Maw", "Ebr", "Mai", "Meh", "Gorff", "Awst", "Medi", "Hyd", "Tach", "Rhag"),
                ("Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau", "Dydd Gwener", "Dydd Sadwrn",
                 "Dydd Sul"),
                ("Llun", "Maw", "Mer", "Iau", "Gwe", "Sad", "Sul")),
}

DIRECTIVES = {
    "d": lambda day, names: f"{day.day:02d}",
    "-d": lambda day, names: str(day.day),
    "e": lambda day, names: f"{day.day:2d}",
    "m": lambda day, names: f"{day.month:02d}",
    "-m": lambda day, names: str(day.month),
    "Y": lambda day, names: f"{day.year:04d}",
    "y": lambda day, names: f"{day.year % 100:02d}",
    "B": lambda day, names: names.months[day.month - 1],
    "b": lambda day, names: names.months_short[day.month - 1],
    "A": lambda day, names: names.days[day.weekday()],
    "a": lambda day, names: names.days_short[day.weekday()],
    "j": lambda day, names: f"{day.timetuple().tm_yday:03d}",
    "%": lambda day, names: "%",
}
_DIRECTIVE = re.compile(r"%(-?.?)", re.DOTALL)
ALLOWED = ", ".join(f"%{name}" for name in DIRECTIVES)


def date_format_problem(fmt: str) -> str | None:
    """Why `fmt` cannot be a date format; None when it can."""
    for match in _DIRECTIVE.finditer(fmt):
        if match.group(1) not in DIRECTIVES:
            shown = f"use {match.group(0)}" if match.group(1) else "end in a lone '%'"
            return (f"date_format may not {shown}: a date is formatted the same on every machine, so only "
                    f"{ALLOWED} are allowed (write %% for a literal '%'), e.g. \"%-d %B %Y\"")
    return None


def format_date(day: date, fmt: str, language: str = "en") -> str:
    """`day` in `fmt` (checked by date_format_problem when the style was loaded), month and day
    names in `language`."""
    names = NAMES.get(language.split("-")[0].casefold(), ENGLISH)
    return _DIRECTIVE.sub(lambda match: DIRECTIVES[match.group(1)](day, names), fmt)
