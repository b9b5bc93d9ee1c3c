"""ISO 8601 dates, durations and repeating intervals, as used by due dates and timers."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<years>\d+(?:[.,]\d+)?)Y)?(?:(?P<months>\d+(?:[.,]\d+)?)M)?(?:(?P<weeks>\d+(?:[.,]\d+)?)W)?"
    r"(?:(?P<days>\d+(?:[.,]\d+)?)D)?(?:T(?=\d)(?:(?P<hours>\d+(?:[.,]\d+)?)H)?"
    r"(?:(?P<minutes>\d+(?:[.,]\d+)?)M)?(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?$"
)


class Iso8601Error(ValueError):
    pass


@dataclass(frozen=True)
class Duration:
    years: int = 0
    months: int = 0
    delta: dt.timedelta = dt.timedelta()

    def after(self, start: dt.datetime) -> dt.datetime:
        """``start`` plus this duration (calendar months and years, then the exact part)."""
        month_index = start.month - 1 + self.months + 12 * self.years
        year = start.year + month_index // 12
        month = month_index % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        return start.replace(year=year, month=month, day=day) + self.delta

    def next_after(self, due: dt.datetime, now: dt.datetime) -> dt.datetime:
        """The first time of the schedule ``due``, ``due + this``, ``due + 2 × this``… later than
        ``now``: after an outage a cycle fires once and keeps its time of day."""
        if not (self.years or self.months) and self.delta > dt.timedelta():
            steps = max(1, (now - due) // self.delta + 1)
            return due + steps * self.delta
        following = self.after(due)
        for _ in range(100_000):
            if following > now or following <= due:
                break
            due, following = following, self.after(following)
        return following


def parse_duration(text: str) -> Duration:
    match = _DURATION.match(text.strip().upper())
    if not match:
        raise Iso8601Error(f"not an ISO 8601 duration: {text!r}")
    parts = {name: float(value.replace(",", ".")) for name, value in match.groupdict().items() if value}
    years, months = parts.get("years", 0), parts.get("months", 0)
    if years != int(years) or months != int(months):
        raise Iso8601Error(f"fractional years or months are not supported: {text!r}")
    delta = dt.timedelta(weeks=parts.get("weeks", 0), days=parts.get("days", 0), hours=parts.get("hours", 0),
                         minutes=parts.get("minutes", 0), seconds=parts.get("seconds", 0))
    return Duration(int(years), int(months), delta)


def parse_datetime(text: str, default_tz: dt.tzinfo = dt.UTC) -> dt.datetime:
    """A date or date-time; naive values are taken to be in ``default_tz``."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise Iso8601Error(f"not an ISO 8601 date or date-time: {text!r}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=default_tz)


def resolve_moment(text: str, now: dt.datetime) -> dt.datetime:
    """A due date written as an ISO date/date-time or as a duration from ``now``."""
    stripped = text.strip()
    if stripped.upper().startswith("P"):
        return parse_duration(stripped).after(now)
    return parse_datetime(stripped, now.tzinfo or dt.UTC)


@dataclass(frozen=True)
class Cycle:
    """``R[n]/…``: ``repetitions`` (-1 for unbounded) firings, the first at ``first``, then every
    ``interval``."""

    repetitions: int
    first: dt.datetime
    interval: Duration


def parse_cycle(text: str, now: dt.datetime) -> Cycle:
    """``R3/PT1H`` (from now), ``R/2026-01-01T09:00Z/P1D`` (from a start), ``R2/PT1H/2026-01-02``
    (ending at a date)."""
    parts = text.strip().upper().split("/")
    if len(parts) not in (2, 3) or not parts[0].startswith("R"):
        raise Iso8601Error(f"not an ISO 8601 repeating interval: {text!r}")
    count = parts[0][1:]
    if count and not count.isdigit():
        raise Iso8601Error(f"not an ISO 8601 repeating interval: {text!r}")
    repetitions = int(count) if count else -1
    if len(parts) == 2:
        interval = parse_duration(parts[1])
        return Cycle(repetitions, interval.after(now), interval)
    if parts[1].startswith("P"):
        interval = parse_duration(parts[1])
        end = parse_datetime(parts[2], now.tzinfo or dt.UTC)
        if repetitions < 0:
            raise Iso8601Error(f"an interval ending at a date needs a repetition count: {text!r}")
        first = end
        for _ in range(repetitions - 1):
            first = first - interval.delta if not (interval.years or interval.months) else first
        return Cycle(repetitions, first, interval)
    start = parse_datetime(parts[1], now.tzinfo or dt.UTC)
    return Cycle(repetitions, start, parse_duration(parts[2]))


def looks_like_iso8601(text: str) -> bool:
    """Whether a timer value is an ISO 8601 literal (as opposed to an expression)."""
    value = text.strip().upper()
    if value.startswith(("P", "R")):
        return bool(re.match(r"^[PR][0-9A-Z.,:/+\-]*$", value))
    return bool(re.match(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+)?(Z|[+-]\d{2}:?\d{2})?$", value))


def written_moment(value: object) -> dt.datetime:
    """A moment as a data file writes it: a YAML date (that morning, 09:00 UTC), a YAML
    date-time, or their text; UTC unless it says otherwise. Raises ``Iso8601Error``."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(9, 0), dt.UTC)
    text = str(value).strip()
    if len(text) == 10:
        try:
            return written_moment(dt.date.fromisoformat(text))
        except ValueError:
            raise Iso8601Error(f"not an ISO 8601 date: {text!r}") from None
    return parse_datetime(text)
