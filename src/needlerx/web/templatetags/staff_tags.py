"""The navigation's Staff link: shown to clinic admins only."""

from __future__ import annotations

from typing import Any

from django import template

from needlerx.accounts.selectors import user_manages_staff

register = template.Library()


@register.filter
def manages_staff(user: Any) -> bool:
    return user_manages_staff(user=user)
