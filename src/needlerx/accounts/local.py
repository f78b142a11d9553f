"""A clinic's today and now, and the conventions of the clinic a user works in."""

from __future__ import annotations

import datetime as dt

from needlerx.accounts.models import Clinic, Membership, User
from needlerx.core.local import DEFAULT, LocalConventions, zone_now, zone_today


def clinic_conventions(clinic: Clinic) -> LocalConventions:
    return LocalConventions(
        time_zone=clinic.time_zone,
        date_style=clinic.date_style,
        measurement_units=clinic.measurement_units,
    )


def clinic_today(clinic: Clinic) -> dt.date:
    """The clinic's date now: the day its staff call today."""
    return zone_today(clinic.time_zone)


def clinic_now(clinic: Clinic) -> dt.datetime:
    """Now in the clinic's time zone (an aware date-time)."""
    return zone_now(clinic.time_zone)


def user_conventions(user: User) -> LocalConventions:
    """The conventions of the user's clinic: the first they joined when they work in several.

    One query, which also leaves the user's roles by clinic on the user for the request
    (accounts.selectors.role_in_clinic reads them from there instead of asking again)."""
    if not user.is_authenticated:
        return DEFAULT
    memberships = list(
        Membership.objects.filter(user=user)
        .order_by("pk")
        .values_list(
            "clinic_id", "role", "clinic__time_zone", "clinic__date_style",
            "clinic__measurement_units",
        )
    )  # fmt: skip
    if not hasattr(user, "_roles_by_clinic"):
        user._roles_by_clinic = {row[0]: row[1] for row in memberships}  # type: ignore[attr-defined]
    if not memberships:
        return DEFAULT
    _, _, time_zone, date_style, units = memberships[0]
    return LocalConventions(time_zone=time_zone, date_style=date_style, measurement_units=units)
