"""Articles for patients. The Markdown files under ``learn/articles/`` are the first draft;
``needlerx articles load`` copies them into this table, and the table is what staff edit,
publish and unpublish (every change audited). The public pages read only published rows."""

from __future__ import annotations

from django.db import models

from needlerx.core.models import PublicModel


class Article(PublicModel):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400)
    author = models.CharField(max_length=200)
    clinical_reviewer = models.CharField(max_length=200)
    reviewed_on = models.DateField()
    next_review_due = models.DateField()
    sources = models.JSONField(default=list)  # [{"citation": str, "url": str}]
    tags = models.JSONField(default=list)  # [str], lower-case slugs
    about = models.JSONField(default=list)  # [{"type": schema.org type, "name": str}] (JSON-LD)
    order = models.PositiveIntegerField(unique=True)  # reading order: previous and next
    body = models.TextField()  # Markdown; rendered and sanitised on the way out
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(PublicModel.Meta):
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title
