"""A style's `date_format`, applied without the C library, its locale or the time zone.

`strftime` hands some directives to the C library: `%s` turns the date into seconds since 1970
in the process's time zone, `%c` and `%x` follow the locale. The same build would then differ
from machine to machine. A date format may use only the directives below, which say something
about a day and are formatted here, the same everywhere.
"""
from __future__ import annotations

import re
from datetime import date

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

DIRECTIVES = {
    "d": lambda day: f"{day.day:02d}",
    "-d": lambda day: str(day.day),
    "e": lambda day: f"{day.day:2d}",
    "m": lambda day: f"{day.month:02d}",
    "-m": lambda day: str(day.month),
    "Y": lambda day: f"{day.year:04d}",
    "y": lambda day: f"{day.year % 100:02d}",
    "B": lambda day: MONTHS[day.month - 1],
    "b": lambda day: MONTHS[day.month - 1][:3],
    "A": lambda day: DAYS[day.weekday()],
    "a": lambda day: DAYS[day.weekday()][:3],
    "j": lambda day: f"{day.timetuple().tm_yday:03d}",
    "%": lambda day: "%",
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


def format_date(day: date, fmt: str) -> str:
    """`day` in `fmt`, checked by date_format_problem when the style was loaded."""
    return _DIRECTIVE.sub(lambda match: DIRECTIVES[match.group(1)](day), fmt)
