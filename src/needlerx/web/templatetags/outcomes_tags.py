"""The navigation's Outcomes link: shown to clinicians and clinic admins, not the front desk."""

from __future__ import annotations

from typing import Any

from django import template

from needlerx.clinic_outcomes.access import user_sees_clinic_outcomes

register = template.Library()


@register.filter
def sees_clinic_outcomes(user: Any) -> bool:
    return user_sees_clinic_outcomes(user=user)
