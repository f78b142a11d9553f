"""A clinic's local conventions: its time zone, how it writes dates, which units it reads.

Times are stored in UTC; everything a person reads or types is in the clinic's conventions. The
web middleware (web.middleware.ClinicLocalTime) activates the signed-in user's clinic for the
request: Django's current time zone (so ``timezone.localtime``/``localdate`` and the template
``date`` filter are local) and these conventions (so the shared formatters and date fields follow
the clinic's date style and units). Code outside a request (commands, services) passes the
clinic's zone explicitly (accounts.local.clinic_today / clinic_now).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.utils import timezone

ISO = "iso"
MONTH_FIRST = "month_first"
METRIC = "metric"
US_CUSTOMARY = "us_customary"

# How each date style is written, for help text and error messages.
DATE_STYLE_EXAMPLES = {ISO: "YYYY-MM-DD", MONTH_FIRST: "MM/DD/YYYY"}


@dataclass(frozen=True)
class LocalConventions:
    time_zone: str = "UTC"
    date_style: str = ISO
    measurement_units: str = METRIC

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zone_named(self.time_zone)

    @property
    def month_first(self) -> bool:
        return self.date_style == MONTH_FIRST

    @property
    def us_customary(self) -> bool:
        return self.measurement_units == US_CUSTOMARY

    def accepted_date_formats(self) -> str:
        """The formats a date field takes, in words: "MM/DD/YYYY or YYYY-MM-DD"."""
        if self.month_first:
            return f"{DATE_STYLE_EXAMPLES[MONTH_FIRST]} or {DATE_STYLE_EXAMPLES[ISO]}"
        return DATE_STYLE_EXAMPLES[ISO]


DEFAULT = LocalConventions()
_current: ContextVar[LocalConventions] = ContextVar("needlerx_local_conventions", default=DEFAULT)


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The IANA zone; UTC for a name this machine does not know (never a 500 on a page)."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def current() -> LocalConventions:
    return _current.get()


@contextmanager
def activated(conventions: LocalConventions) -> Iterator[LocalConventions]:
    """Use these conventions (and their time zone as Django's current one) inside the block."""
    token = _current.set(conventions)
    timezone.activate(conventions.zone)
    try:
        yield conventions
    finally:
        timezone.deactivate()
        _current.reset(token)


def zone_now(zone: str) -> dt.datetime:
    """Now, as an aware date-time in the zone."""
    return timezone.now().astimezone(zone_named(zone))


def day_start(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """Midnight at the start of ``day`` in ``zone`` (as an aware moment)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), zone)


def zone_today(zone: str) -> dt.date:
    """Today's date where the zone is (at 03:00 UTC it is still yesterday in Denver)."""
    return zone_now(zone).date()


# Dates and times as people read them --------------------------------------------------------

_MONTH_ABBREVIATIONS = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
]


def format_date(day: dt.date, conventions: LocalConventions | None = None) -> str:
    """ "Mar 31, 2026" in a month-first clinic, "2026-03-31" in an ISO one."""
    conventions = conventions or current()
    if conventions.month_first:
        return f"{_MONTH_ABBREVIATIONS[day.month - 1]} {day.day}, {day.year}"
    return day.isoformat()


def format_day_of(moment: dt.datetime, conventions: LocalConventions | None = None) -> str:
    """The date of a stored moment where the clinic is, in the clinic's style (a moment late
    in the evening is still that evening's date, not the next day's in UTC)."""
    conventions = conventions or current()
    local = _in_zone(moment, conventions)
    return format_date((local or moment).date(), conventions)


def format_clock(moment: dt.datetime | dt.time, conventions: LocalConventions | None = None) -> str:
    """ "2:05 PM" in a month-first (US) clinic, "14:05" in an ISO one."""
    conventions = conventions or current()
    if conventions.month_first:
        hour = moment.hour % 12 or 12
        return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _in_zone(moment: dt.datetime, conventions: LocalConventions) -> dt.datetime | None:
    """An aware moment in the clinic's zone (a naive one as it is); None past the calendar's
    end, where the zone cannot be applied."""
    if not timezone.is_aware(moment):
        return moment
    try:
        return moment.astimezone(conventions.zone)
    except OverflowError:
        return None


def format_datetime(moment: dt.datetime, conventions: LocalConventions | None = None) -> str:
    """The moment in the clinic's zone with the zone's abbreviation:
    "Mar 31, 2026, 2:05 PM MDT" (month first) or "2026-03-31 14:05 MDT" (ISO)."""
    conventions = conventions or current()
    local = _in_zone(moment, conventions)
    if local is None:
        return moment.isoformat()
    moment = local
    zone = f" {moment.tzname()}" if moment.tzname() else ""
    day, clock = format_date(moment.date(), conventions), format_clock(moment, conventions)
    separator = ", " if conventions.month_first else " "
    return f"{day}{separator}{clock}{zone}"


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def format_spoken_datetime(moment: dt.datetime, conventions: LocalConventions | None = None) -> str:
    """The moment as a patient reads it, whatever the clinic's date style: "Wednesday, December 2,
    2026 at 4:00 PM MST" (month first) or "Wednesday 2 December 2026 at 16:00 UTC" (ISO)."""
    conventions = conventions or current()
    local = _in_zone(moment, conventions)
    if local is None:
        return moment.isoformat()
    moment = local
    weekday, month = _WEEKDAYS[moment.weekday()], _MONTHS[moment.month - 1]
    if conventions.month_first:
        day = f"{weekday}, {month} {moment.day}, {moment.year}"
    else:
        day = f"{weekday} {moment.day} {month} {moment.year}"
    zone = f" {moment.tzname()}" if moment.tzname() else ""
    return f"{day} at {format_clock(moment, conventions)}{zone}"


def format_date_input(day: dt.date, conventions: LocalConventions | None = None) -> str:
    """A date as a text input shows it back: "03/31/2026" (month first) or "2026-03-31"."""
    conventions = conventions or current()
    if conventions.month_first:
        return f"{day.month:02d}/{day.day:02d}/{day.year:04d}"
    return day.isoformat()


_MONTH_FIRST_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_date(text: str, conventions: LocalConventions | None = None) -> dt.date | None:
    """A typed date in the clinic's style (MM/DD/YYYY or M/D/YYYY where month first) or ISO
    (YYYY-MM-DD, always); None when it is neither or not a day of the calendar."""
    conventions = conventions or current()
    iso = _ISO_DATE.match(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif conventions.month_first and (month_first := _MONTH_FIRST_DATE.match(text)):
        month, day, year = (int(part) for part in month_first.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
