"""Whether a user may open the clinic dashboard (the navigation's Outcomes link)."""

from __future__ import annotations

from needlerx.accounts.models import User
from needlerx.accounts.selectors import clinic_ids_with_permission

VIEW = "treatment.view"


def user_sees_clinic_outcomes(*, user: User) -> bool:
    """Reads the roles the request already loaded: the link costs no query."""
    return bool(clinic_ids_with_permission(user=user, permission=VIEW))
