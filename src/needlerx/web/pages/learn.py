"""The public articles for patients: no sign-in, no staff navigation, no JavaScript needed.

/learn/ (index), /learn/<slug>/ (an article), /learn/tags/<tag>/, /learn/feed.atom and the
/sitemap.xml entries. Drafts answer 404 here; staff preview them at /articles/<slug>/preview/.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from needlerx.core.errors import NotFound
from needlerx.learn import selectors
from needlerx.learn.content import SLUG, render_markdown
from needlerx.learn.models import Article

# JSON inside <script> must not be able to close the element or open a comment.
_JSON_IN_HTML = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@require_GET
def learn_index(request: HttpRequest) -> HttpResponse:
    context = {"articles": list(selectors.articles_published()), "tags": selectors.tags_published()}
    return render(request, "learn/index.html", context)


@require_GET
def learn_tag(request: HttpRequest, tag: str) -> HttpResponse:
    articles = selectors.articles_tagged(tag=tag) if SLUG.match(tag) else []
    if not articles:
        raise Http404("No articles have that tag.")
    return render(request, "learn/tag.html", {"articles": articles, "tag": tag})


@require_GET
def learn_article(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        article = selectors.article_get_published(slug=slug)
    except NotFound:
        raise Http404("No such article.") from None
    return render(request, "learn/article.html", article_context(request, article))


def article_context(
    request: HttpRequest, article: Article, *, draft: bool = False
) -> dict[str, Any]:
    """What the article page shows; the staff preview reuses it with ``draft``."""
    neighbours = selectors.article_neighbours(article=article)
    return {
        "article": article,
        "body_html": mark_safe(render_markdown(article.body)),  # noqa: S308 - sanitised by nh3
        "previous": neighbours.previous,
        "next": neighbours.next,
        "draft": draft,
        "json_ld": None if draft else json_ld(request, article),
    }


def json_ld(request: HttpRequest, article: Article) -> SafeString:
    """schema.org MedicalWebPage for search engines. A ``application/ld+json`` block is data,
    never run, so the strict script-src of the CSP does not apply to it and needs no nonce."""
    url = request.build_absolute_uri(reverse("learn:article", args=[article.slug]))
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "url": url,
        "inLanguage": "en-US",
        "author": {"@type": "Person", "name": article.author},
        "reviewedBy": {"@type": "Person", "name": article.clinical_reviewer},
        "lastReviewed": article.reviewed_on.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "about": [{"@type": item["type"], "name": item["name"]} for item in article.about],
        "keywords": ", ".join(article.tags),
        "audience": {"@type": "PeopleAudience", "audienceType": "Patient"},
        "citation": [
            {"@type": "CreativeWork", "name": source["citation"], "url": source["url"]}
            for source in article.sources
        ],
    }
    text = json.dumps(data, ensure_ascii=False, indent=1).translate(_JSON_IN_HTML)
    return mark_safe(text)  # noqa: S308 - JSON with <, > and & escaped


class ArticleFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed
    title = "NeedleRx clinics: articles for patients"
    subtitle = "Plain-language articles on dry needling and on looking after neck and back pain."

    def link(self) -> str:
        return reverse("learn:index")

    def items(self) -> list[Article]:
        return list(selectors.articles_published())

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_link(self, item: Article) -> str:
        return reverse("learn:article", args=[item.slug])

    def item_author_name(self, item: Article) -> str:
        return item.author

    def item_pubdate(self, item: Article) -> Any:
        return item.published_at or item.created_at

    def item_updateddate(self, item: Article) -> Any:
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        return list(item.tags)


article_feed = require_GET(ArticleFeed())


class ArticleSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "monthly"

    def items(self) -> list[Article]:
        return list(selectors.articles_published())

    def location(self, item: Article) -> str:
        return reverse("learn:article", args=[item.slug])

    def lastmod(self, item: Article) -> Any:
        return item.updated_at


class LearnPagesSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "weekly"

    def items(self) -> list[str]:
        return [reverse("learn:index")] + [
            reverse("learn:tag", args=[tag]) for tag in selectors.tags_published()
        ]

    def location(self, item: str) -> str:
        return item


SITEMAPS = {"learn": LearnPagesSitemap, "articles": ArticleSitemap}
