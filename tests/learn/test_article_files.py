"""The article files themselves: complete front matter, real sources, review dates in order,
a reading order that chains, and plain language (a Flesch-Kincaid grade ceiling)."""

from __future__ import annotations

import re

import pytest

from needlerx.core.errors import ApplicationError
from needlerx.learn.content import (
    REQUIRED_FIELDS,
    article_source_parse,
    article_sources_read,
    render_markdown,
)
from tests.learn.readability import flesch_kincaid_grade

ARTICLES = article_sources_read()
FLAGSHIP = "dry-needling-neck-and-back-pain"
SELF_CARE = {"self-care-for-neck-pain", "self-care-for-low-back-pain"}
REQUIRED_TOPICS = {
    FLAGSHIP,
    "what-is-dry-needling",
    "dry-needling-safety-and-side-effects",
    "aftercare-after-dry-needling",
    "self-care-for-neck-pain",
    "self-care-for-low-back-pain",
    "what-happens-at-the-first-visit",
}
# Grade ceilings: the self-care pages are read by anyone in pain; the flagship carries evidence.
CEILINGS = {FLAGSHIP: 9.0} | dict.fromkeys(SELF_CARE, 6.0)
DEFAULT_CEILING = 8.0


def prose(markdown_text: str) -> str:
    """Paragraphs and list items as sentences (headings and table cells are not prose)."""
    html = re.sub(r"\s+", " ", render_markdown(markdown_text))
    sentences = []
    for _, block in re.findall(r"<(p|li)>(.*?)</\1>", html):
        text = re.sub(r"<[^>]+>", "", block).strip()
        sentences.append(text if re.search(r"[.!?]$", text) else text + ".")
    return " ".join(sentences)


def test_the_seven_promised_articles_are_there():
    assert {article.slug for article in ARTICLES} >= REQUIRED_TOPICS
    assert len(ARTICLES) >= 7


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_every_article_is_complete_and_sourced(article):
    fields = article.fields()
    assert all(fields[name] not in ("", None, []) for name in REQUIRED_FIELDS)
    assert article.next_review_due > article.reviewed_on
    for source in article.sources:
        assert source["citation"] and source["url"].startswith(("https://", "http://"))
    assert len({source["url"] for source in article.sources}) == len(article.sources)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_every_article_reads_plainly(article):
    ceiling = CEILINGS.get(article.slug, DEFAULT_CEILING)
    grade = flesch_kincaid_grade(prose(article.body))
    assert grade <= ceiling, f"{article.slug} reads at grade {grade:.1f} (ceiling {ceiling})"


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_in_text_citations_name_a_listed_source(article):
    """Every "(Name 2020)" or "(Name 2020; Other 2019)" in the text matches a listed source by a
    word of the name and the year."""
    cited = [
        part.strip()
        for group in re.findall(r"\(([^()]*\b(?:19|20)\d\d)\)", article.body)
        for part in group.replace("\n", " ").split(";")
    ]
    assert cited or article.slug.startswith("self-care"), "no in-text citations"
    for reference in cited:
        name, year = reference.rsplit(" ", 1)
        last_word = name.split()[-1]
        assert any(
            last_word in source["citation"] and year in source["citation"]
            for source in article.sources
        ), f"({reference}) matches no listed source"


def test_previous_and_next_chain_in_reading_order():
    orders = [article.order for article in ARTICLES]
    assert orders == sorted(set(orders)), "each article needs its own place in the order"
    assert ARTICLES[0].slug == FLAGSHIP


def test_the_flagship_covers_each_benefit_risks_and_measurement():
    flagship = next(a for a in ARTICLES if a.slug == FLAGSHIP).body.lower()
    for heading in (
        "pain relief",
        "muscle relaxation",
        "range of motion",
        "fewer muscle spasms",
        "recovery and daily function",
        "few complications",
        "less pain medication",
        "the real risks",
        "who should not have dry needling",
        "what a session feels like",
        "aftercare",
        "how we check whether it is working for you",
    ):
        assert f"## {heading}" in flagship or f". {heading}" in flagship, heading
    assert "one part of a plan of care" in flagship
    assert "/self-check/" in flagship and "/request-a-consultation/" in flagship
    assert flagship.count("**how strong:**") == 7


def test_a_missing_field_is_named():
    text = ARTICLES[0].body
    with pytest.raises(ApplicationError) as refused:
        article_source_parse(f"---\ntitle: T\nslug: t\n---\n{text}")
    assert refused.value.field == "summary"


def test_a_review_due_before_the_review_is_refused():
    lines = [
        "title: T", "slug: t", "summary: S", "author: A", "clinical_reviewer: R",
        "reviewed_on: 2026-11-30", "next_review_due: 2026-01-01", "order: 1", "tags: [x]",
        "about: [{type: MedicalCondition, name: Neck pain}]",
        "sources: [{citation: C, url: 'https://example.org/'}]",
    ]  # fmt: skip
    with pytest.raises(ApplicationError) as refused:
        article_source_parse("---\n" + "\n".join(lines) + "\n---\nBody.\n")
    assert refused.value.field == "next_review_due"


def test_the_grade_formula_tells_plain_from_dense_text():
    assert flesch_kincaid_grade("The cat sat on the mat. It was warm.") < 2
    dense = "Comprehensive musculoskeletal evaluations necessitate interdisciplinary documentation."
    assert flesch_kincaid_grade(dense) > 16


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_every_article_uses_us_spelling(article):
    from tests.web.test_us_spelling import BRITISH

    found = [match.group(0) for match in BRITISH.finditer(article.body + " " + article.summary)]
    assert found == [], f"{article.slug}: {found}"
