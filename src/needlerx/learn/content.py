"""Article files and Markdown: read the front matter, check it, and render the body to safe HTML.

Markdown is rendered by markdown-it-py (CommonMark) and the HTML is then cleaned by nh3 (the
Ammonia sanitiser) with a short allow-list, so an edit that pastes ``<script>`` or an
``onclick`` never reaches a reader.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import nh3
from markdown_it import MarkdownIt

from needlerx.core.errors import ApplicationError

ARTICLES_DIR = Path(__file__).resolve().parent / "articles"
REQUIRED_FIELDS = (
    "title",
    "slug",
    "summary",
    "author",
    "clinical_reviewer",
    "reviewed_on",
    "next_review_due",
    "sources",
    "tags",
    "about",
    "order",
)
ABOUT_TYPES = ("MedicalCondition", "MedicalTherapy", "MedicalProcedure", "MedicalEntity")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
_markdown = MarkdownIt("commonmark", {"html": True, "typographer": True}).enable(
    ["table", "replacements", "smartquotes"]
)


@dataclass(frozen=True)
class ArticleSource:
    """One article as written in its file (front matter plus Markdown body)."""

    title: str
    slug: str
    summary: str
    author: str
    clinical_reviewer: str
    reviewed_on: dt.date
    next_review_due: dt.date
    sources: list[dict[str, str]]
    tags: list[str]
    about: list[dict[str, str]]
    order: int
    body: str

    def fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in (*REQUIRED_FIELDS, "body")}


def render_markdown(text: str) -> str:
    """Markdown to HTML a browser can show safely: only the allowed tags and attributes survive,
    links get ``rel="noopener noreferrer"``, and scripts and styles are dropped with their text."""
    return nh3.clean(
        _markdown.render(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def plain_text(markdown_text: str) -> str:
    """The words of an article without markup (for reading-age checks and feed summaries)."""
    html = render_markdown(markdown_text)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text).strip()


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ApplicationError(f"must be a date YYYY-MM-DD (got {value!r})", field=field) from None


def _text(meta: dict[str, Any], field: str) -> str:
    value = meta.get(field)
    if not isinstance(value, str) or not value.strip():
        raise ApplicationError("is required and must be text", field=field)
    return value.strip()


def sources_check(value: Any) -> list[dict[str, str]]:
    """A non-empty list of ``{citation, url}`` with http(s) addresses."""
    if not isinstance(value, list) or not value:
        raise ApplicationError("must list at least one source (citation and url)", field="sources")
    checked = []
    for number, source in enumerate(value, start=1):
        if not isinstance(source, dict):
            raise ApplicationError(
                f"source {number} must have a citation and a url", field="sources"
            )
        citation, url = str(source.get("citation", "")).strip(), str(source.get("url", "")).strip()
        if not citation:
            raise ApplicationError(f"source {number} has no citation", field="sources")
        if not url.startswith(("https://", "http://")):
            raise ApplicationError(
                f"source {number} needs a web address starting https:// or http://",
                field="sources",
            )
        checked.append({"citation": citation, "url": url})
    return checked


def tags_check(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ApplicationError("must list at least one tag", field="tags")
    tags = [str(tag).strip().lower() for tag in value]
    for tag in tags:
        if not SLUG.match(tag):
            raise ApplicationError(
                f"{tag!r} must be lower-case words joined by hyphens", field="tags"
            )
    return tags


def about_check(value: Any) -> list[dict[str, str]]:
    """What the article is about, for search engines: ``{type, name}`` with a schema.org type."""
    if not isinstance(value, list) or not value:
        raise ApplicationError("must name at least one subject (type and name)", field="about")
    checked = []
    for subject in value:
        kind = str(subject.get("type", "")) if isinstance(subject, dict) else ""
        name = str(subject.get("name", "")).strip() if isinstance(subject, dict) else ""
        if kind not in ABOUT_TYPES or not name:
            raise ApplicationError(
                f"each subject needs a name and a type, one of {', '.join(ABOUT_TYPES)}",
                field="about",
            )
        checked.append({"type": kind, "name": name})
    return checked


def dates_check(reviewed_on: dt.date, next_review_due: dt.date) -> None:
    if next_review_due <= reviewed_on:
        raise ApplicationError(
            "must be after the reviewed date", field="next_review_due", code="invalid"
        )


def article_source_parse(text: str, *, name: str = "article") -> ArticleSource:
    """Check one article file; the first problem raises, naming its field."""
    post = frontmatter.loads(text)
    meta = dict(post.metadata)
    missing = [field for field in REQUIRED_FIELDS if field not in meta]
    if missing:
        raise ApplicationError(f"{name} has no {', '.join(missing)}", field=missing[0])
    slug = _text(meta, "slug")
    if not SLUG.match(slug):
        raise ApplicationError("must be lower-case words joined by hyphens", field="slug")
    reviewed_on = _date(meta["reviewed_on"], "reviewed_on")
    next_review_due = _date(meta["next_review_due"], "next_review_due")
    dates_check(reviewed_on, next_review_due)
    order = meta["order"]
    if not isinstance(order, int) or order < 1:
        raise ApplicationError("must be a whole number from 1", field="order")
    if not post.content.strip():
        raise ApplicationError(f"{name} has no text after its front matter", field="body")
    return ArticleSource(
        title=_text(meta, "title"),
        slug=slug,
        summary=_text(meta, "summary"),
        author=_text(meta, "author"),
        clinical_reviewer=_text(meta, "clinical_reviewer"),
        reviewed_on=reviewed_on,
        next_review_due=next_review_due,
        sources=sources_check(meta["sources"]),
        tags=tags_check(meta["tags"]),
        about=about_check(meta["about"]),
        order=order,
        body=post.content.strip() + "\n",
    )


def article_sources_read(directory: Path = ARTICLES_DIR) -> list[ArticleSource]:
    """Every article file in reading order; two files with one slug or one order are refused."""
    articles = [
        article_source_parse(path.read_text(encoding="utf-8"), name=path.name)
        for path in sorted(directory.glob("*.md"))
    ]
    for field in ("slug", "order"):
        values = [getattr(article, field) for article in articles]
        duplicates = sorted({str(v) for v in values if values.count(v) > 1})
        if duplicates:
            raise ApplicationError(
                f"more than one article has {', '.join(duplicates)}", field=field
            )
    return sorted(articles, key=lambda article: article.order)
