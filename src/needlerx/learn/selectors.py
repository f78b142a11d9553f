"""Reads of articles. The public reads return published articles only; staff reads check
``article.publish`` (held by clinic admins) and may see drafts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from needlerx.accounts.models import Clinic, User
from needlerx.accounts.permissions import PUBLISH_ARTICLES
from needlerx.accounts.selectors import clinic_ids_with_permission
from needlerx.core.errors import NotFound, PermissionDenied
from needlerx.learn.models import Article


@dataclass(frozen=True)
class Neighbours:
    previous: Article | None
    next: Article | None


def articles_published() -> QuerySet[Article]:
    return Article.objects.filter(is_published=True).order_by("order")


def article_get_published(*, slug: str) -> Article:
    article = articles_published().filter(slug=slug).first()
    if article is None:
        raise NotFound("No such article.")
    return article


def articles_tagged(*, tag: str) -> list[Article]:
    """Published articles carrying ``tag`` (tags are a short JSON list; filtered in Python so
    SQLite and PostgreSQL agree)."""
    return [article for article in articles_published() if tag in article.tags]


def tags_published() -> list[str]:
    return sorted({tag for article in articles_published() for tag in article.tags})


def article_neighbours(*, article: Article) -> Neighbours:
    """The published articles just before and after ``article`` in reading order."""
    published = articles_published()
    return Neighbours(
        previous=published.filter(order__lt=article.order).order_by("-order").first(),
        next=published.filter(order__gt=article.order).order_by("order").first(),
    )


def publisher_clinic(*, user: User) -> Clinic:
    """A clinic in which ``user`` holds ``article.publish`` (recorded on the audit event), or
    refuse: articles belong to the whole network, the permission to any clinic role."""
    clinic_ids = clinic_ids_with_permission(user=user, permission=PUBLISH_ARTICLES)
    if not clinic_ids:
        raise PermissionDenied()
    return Clinic.objects.get(pk=min(clinic_ids))


def can_publish_articles(*, user: User) -> bool:
    return bool(clinic_ids_with_permission(user=user, permission=PUBLISH_ARTICLES))


def articles_for_staff(*, user: User) -> QuerySet[Article]:
    publisher_clinic(user=user)
    return Article.objects.order_by("order")


def article_get_for_staff(*, user: User, slug: str) -> Article:
    publisher_clinic(user=user)
    article = Article.objects.filter(slug=slug).first()
    if article is None:
        raise NotFound("No such article.")
    return article
