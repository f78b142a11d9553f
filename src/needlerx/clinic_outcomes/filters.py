"""The dashboard's filters: a date range in the clinic's own dates, a clinician, a region.

The page, the API and the CSV export read the same four inputs (``from``, ``to``,
``clinician``, ``region``); a value that does not fit is refused naming the field and what is
allowed, and an empty value means "all".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from needlerx.accounts.local import clinic_today
from needlerx.accounts.models import Clinic, Membership, Role, User
from needlerx.clinical.outcome_definition import outcome_summary_definition
from needlerx.core.errors import ApplicationError
from needlerx.core.inputs import is_uuid
from needlerx.core.local import zone_named

DEFAULT_DAYS = 365
FIELDS = ("from", "to", "clinician", "region")


@dataclass(frozen=True)
class Clinician:
    public_id: str
    name: str
    user_id: int


@dataclass(frozen=True)
class OutcomeFilters:
    """From ``start`` to ``end`` inclusive, in the clinic's dates; None: everyone, both regions."""

    start: dt.date
    end: dt.date
    clinician: Clinician | None
    region: str | None
    time_zone: str

    @property
    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """The range as instants: the clinic's midnight of ``start`` up to that after ``end``."""
        zone = zone_named(self.time_zone)
        first = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return first, after

    @property
    def region_members(self) -> list[str]:
        return outcome_summary_definition().region_groups[self.region] if self.region else []

    def query(self) -> dict[str, str]:
        """The filters as the page's and the API's query string reads them."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "clinician": self.clinician.public_id if self.clinician else "",
            "region": self.region or "",
        }

    def to_dict(self) -> dict[str, str | None]:
        return {key: value or None for key, value in self.query().items()}


def clinicians_of(clinic: Clinic) -> list[Clinician]:
    """The clinic's clinicians by name: who the clinician filter may name."""
    memberships = Membership.objects.filter(clinic=clinic, role=Role.CLINICIAN).values_list(
        "user__public_id", "user__first_name", "user__last_name", "user__username", "user_id"
    )
    found = [
        Clinician(str(public_id), f"{first} {last}".strip() or username, user_id)
        for public_id, first, last, username, user_id in memberships
    ]
    return sorted(found, key=lambda clinician: clinician.name.lower())


def _date(raw: str | None, field: str, default: dt.date) -> dt.date:
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ApplicationError(
            f"must be a date written YYYY-MM-DD, e.g. 2026-03-31 (got {raw!r})", field=field
        ) from None


def _clinician(raw: str | None, clinicians: list[Clinician]) -> Clinician | None:
    if not raw:
        return None
    found = next((c for c in clinicians if is_uuid(raw) and c.public_id == str(raw)), None)
    if found is None:
        allowed = ", ".join(f"{c.public_id} ({c.name})" for c in clinicians) or "none"
        raise ApplicationError(
            f"must be one of the clinic's clinicians: {allowed}; or empty for all (got {raw!r})",
            field="clinician",
        )
    return found


def _region(raw: str | None) -> str | None:
    groups = list(outcome_summary_definition().region_groups)
    if not raw:
        return None
    if raw not in groups:
        raise ApplicationError(
            f"must be one of {', '.join(groups)}, or empty for both (got {raw!r})", field="region"
        )
    return raw


def outcome_filters_parse(
    *, clinic: Clinic, raw: Mapping[str, str | None], clinicians: list[Clinician]
) -> OutcomeFilters:
    """The filters from a query string; by default the year up to the clinic's today."""
    today = clinic_today(clinic)
    end = _date(raw.get("to"), "to", today)
    start = _date(raw.get("from"), "from", end - dt.timedelta(days=DEFAULT_DAYS - 1))
    if start > end:
        raise ApplicationError(
            f"must be on or after the start date {start.isoformat()} (got {end.isoformat()})",
            field="to",
        )
    return OutcomeFilters(
        start=start,
        end=end,
        clinician=_clinician(raw.get("clinician"), clinicians),
        region=_region(raw.get("region")),
        time_zone=clinic.time_zone,
    )


def user_display(user: User) -> str:
    return user.get_full_name() or user.get_username()
