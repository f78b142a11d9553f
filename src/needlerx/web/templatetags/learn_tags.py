"""Words for article tags, and the navigation's Articles link (holders of article.publish)."""

from __future__ import annotations

from typing import Any

from django import template

from needlerx.learn.selectors import can_publish_articles

register = template.Library()


@register.filter
def tag_words(tag: str) -> str:
    """``neck-pain`` -> ``neck pain``."""
    return tag.replace("-", " ")


@register.filter
def publishes_articles(user: Any) -> bool:
    return bool(user.is_authenticated) and can_publish_articles(user=user)
