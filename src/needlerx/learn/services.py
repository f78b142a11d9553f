"""Writes to articles: load from the files, edit, publish, unpublish. Each validates, writes and
audits in one transaction; only holders of ``article.publish`` may change an article."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.audit.services import audit_record
from needlerx.core.errors import ApplicationError
from needlerx.learn.content import (
    ArticleSource,
    article_sources_read,
    dates_check,
    sources_check,
    tags_check,
)
from needlerx.learn.models import Article
from needlerx.learn.selectors import publisher_clinic

EDITABLE = (
    "title",
    "summary",
    "author",
    "clinical_reviewer",
    "reviewed_on",
    "next_review_due",
    "sources",
    "tags",
    "body",
)
TEXT_LIMITS = {"title": 200, "summary": 400, "author": 200, "clinical_reviewer": 200}


@dataclass(frozen=True)
class LoadReport:
    added: list[str]
    replaced: list[str]
    kept: list[str]


@transaction.atomic
def articles_load(
    *, sources: list[ArticleSource] | None = None, publish: bool = False, replace: bool = False
) -> LoadReport:
    """Copy the article files into the table. An article already there keeps its staff edits
    and its publication state unless ``replace``; new ones are drafts unless ``publish``."""
    sources = article_sources_read() if sources is None else sources
    added: list[str] = []
    replaced: list[str] = []
    kept: list[str] = []
    for source in sources:
        existing = Article.objects.filter(slug=source.slug).first()
        if existing is not None and not replace:
            kept.append(source.slug)
            continue
        article = existing or Article(slug=source.slug)
        for name, value in source.fields().items():
            setattr(article, name, value)
        if existing is None:
            article.is_published = publish
            article.published_at = timezone.now() if publish else None
        article.save()
        (replaced if existing else added).append(source.slug)
        audit_record(
            action="article.load",
            obj=article,
            detail={"slug": article.slug, "replaced": existing is not None, "published": publish},
        )
    return LoadReport(added=added, replaced=replaced, kept=kept)


def _edits_check(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ApplicationError(
            f"cannot be edited (allowed: {', '.join(EDITABLE)})", field=unknown[0]
        )
    checked = dict(changes)
    for name, limit in TEXT_LIMITS.items():
        if name in checked:
            value = str(checked[name]).strip()
            if not value or len(value) > limit:
                raise ApplicationError(f"is required, at most {limit} characters", field=name)
            checked[name] = value
    if "body" in checked and not str(checked["body"]).strip():
        raise ApplicationError("is required", field="body")
    if "sources" in checked:
        checked["sources"] = sources_check(checked["sources"])
    if "tags" in checked:
        checked["tags"] = tags_check(checked["tags"])
    return checked


@transaction.atomic
def article_edit(*, actor: User, article: Article, changes: dict[str, Any]) -> Article:
    """Change the editable fields; the audit event keeps each changed field before and after."""
    clinic = publisher_clinic(user=actor)
    checked = _edits_check(changes)
    reviewed_on: dt.date = checked.get("reviewed_on", article.reviewed_on)
    next_review_due: dt.date = checked.get("next_review_due", article.next_review_due)
    dates_check(reviewed_on, next_review_due)
    changed = {
        name: {"before": _jsonable(getattr(article, name)), "after": _jsonable(value)}
        for name, value in checked.items()
        if getattr(article, name) != value
    }
    if not changed:
        return article
    for name, value in checked.items():
        setattr(article, name, value)
    article.save()
    audit_record(
        action="article.edit",
        actor=actor,
        clinic=clinic,
        obj=article,
        detail={"slug": article.slug, "changed": changed},
    )
    return article


@transaction.atomic
def article_publish(*, actor: User, article: Article) -> Article:
    return _publication_set(actor=actor, article=article, published=True)


@transaction.atomic
def article_unpublish(*, actor: User, article: Article) -> Article:
    return _publication_set(actor=actor, article=article, published=False)


def _publication_set(*, actor: User, article: Article, published: bool) -> Article:
    clinic = publisher_clinic(user=actor)
    if article.is_published == published:
        state = "published" if published else "not published"
        raise ApplicationError(f"the article is already {state}", field="is_published")
    article.is_published = published
    article.published_at = timezone.now() if published else article.published_at
    article.save(update_fields=["is_published", "published_at", "updated_at"])
    audit_record(
        action="article.publish" if published else "article.unpublish",
        actor=actor,
        clinic=clinic,
        obj=article,
        detail={"slug": article.slug},
    )
    return article


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value
