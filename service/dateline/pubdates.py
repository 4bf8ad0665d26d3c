"""Publication dates as callers send them, reduced to the day the document bears.

Feeds and CMSs send ISO 8601 date-times with an offset (``2024-05-03T10:00:00Z``), RSS sends RFC 2822
(``Fri, 03 May 2024 10:00:00 GMT``), people type ``May 3, 2024``. :func:`publication_day` takes all of
them: ISO forms are read exactly by the standard library (so ``2024-13-01`` is refused, not guessed),
everything else goes through ``dateparser`` with the languages and the reference moment given. The
day is the calendar day in the document's own time zone, the offset it carries: a page published at
``2024-05-03T23:30:00-07:00`` appeared on 3 May where it was written, although it was already 4 May in
UTC. A value without an offset is taken as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

#: a publication date may be "tomorrow" in UTC: the easternmost time zone is UTC+14
_TZ_AHEAD = timedelta(hours=14)
#: ISO 8601 (extended or basic) calendar dates, alone or starting a date-time: read exactly
_ISO_START = re.compile(r"[0-9]{4}-?[0-9]{2}-?[0-9]{2}(?:[T ]|\Z)")
_FORMS = "use YYYY-MM-DD, an ISO 8601 date-time (2024-05-03T10:00:00Z) or a date such as 'May 3, 2024'"


class PublishedDateError(ValueError):
    """A publication date that cannot be read, or lies in the future; the message says why."""


@dataclass(frozen=True)
class PublishedDateSettings:
    """How written dates are read: the languages of month and day names, the order of numeric dates."""

    #: languages of the month/day names and relative words ("yesterday"), dateparser codes
    languages: tuple[str, ...] = ("en",)
    #: order of all-numeric dates such as 03/05/2024: "MDY", "DMY", "YMD" (None: the language's own)
    date_order: str | None = None
    #: which way an ambiguous form ("Friday") leans; a publication lies in the past
    prefer_dates_from: str = "past"
    #: longer values are refused unread: a date is short, and the parser's work stays bounded
    max_chars: int = 100

    def dateparser_settings(self, reference: datetime) -> dict[str, Any]:
        """The dateparser settings: relative forms count from ``reference``; a day, month and year are
        required (a month alone is no publication day); numbers are never Unix timestamps."""
        settings: dict[str, Any] = {
            "RELATIVE_BASE": reference.replace(tzinfo=None),
            "PREFER_DATES_FROM": self.prefer_dates_from,
            "REQUIRE_PARTS": ["day", "month", "year"],
            "PARSERS": ["relative-time", "absolute-time"],
        }
        if self.date_order:
            settings["DATE_ORDER"] = self.date_order
        return settings


DEFAULT_SETTINGS = PublishedDateSettings()


def latest_publication_day(now: datetime | None = None) -> date:
    """The latest date a real publication can bear at ``now`` (default: now), wherever it was published."""
    return ((now or datetime.now(UTC)) + _TZ_AHEAD).date()


def parse_published(
    value: date | datetime | str, reference: datetime, settings: PublishedDateSettings = DEFAULT_SETTINGS
) -> date:
    """The calendar day of ``value`` in its own time zone (no future check; see :func:`publication_day`)."""
    if isinstance(value, datetime):
        return value.date()  # an aware datetime's date is already the day in its own zone
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise PublishedDateError(f"is not a date: {_FORMS}")
    text = value.strip()
    if len(text) > settings.max_chars:
        raise PublishedDateError(
            f"is too long for a date ({len(text):,} characters; at most {settings.max_chars})"
        )
    if not text:
        raise PublishedDateError(f"is empty: {_FORMS}")
    if _ISO_START.match(text):
        try:
            return datetime.fromisoformat(text).date()
        except ValueError:
            raise PublishedDateError(f"is not a date: {_FORMS}") from None
    parsed = _dateparser(text, reference, settings)
    if parsed is None:
        raise PublishedDateError(f"is not a date: {_FORMS}")
    return parsed.date()


def _dateparser(text: str, reference: datetime, settings: PublishedDateSettings) -> datetime | None:
    import dateparser  # imported on first use: it loads its language data then

    try:
        return dateparser.parse(
            text, languages=list(settings.languages), settings=settings.dateparser_settings(reference)
        )
    except Exception:  # a third-party parser on user text: whatever it raises, the value is unreadable
        return None


def publication_day(
    value: date | datetime | str, reference: datetime, settings: PublishedDateSettings = DEFAULT_SETTINGS
) -> date:
    """The day ``value`` names, refused when unreadable or after the latest day a publication can bear at
    ``reference`` (the moment "yesterday" counts from, normally now)."""
    day = parse_published(value, reference, settings)
    latest = latest_publication_day(reference)
    if day > latest:
        raise PublishedDateError(f"lies in the future ({day.isoformat()} is after {latest.isoformat()})")
    return day


__all__ = [
    "DEFAULT_SETTINGS",
    "PublishedDateError",
    "PublishedDateSettings",
    "latest_publication_day",
    "parse_published",
    "publication_day",
]
