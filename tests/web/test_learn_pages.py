"""The public articles (/learn/) from the reader's side, and the staff pages that publish them."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from needlerx.audit.models import AuditEvent
from needlerx.learn.models import Article
from needlerx.learn.services import articles_load

FLAGSHIP = "dry-needling-neck-and-back-pain"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
STAFF_LINKS = (
    'href="/patients/', 'href="/appointments/', 'href="/account/', 'href="/audit/',
    'href="/articles/', "Sign out",
)  # fmt: skip


@pytest.fixture
def articles(db):
    articles_load(publish=True)
    return Article.objects.order_by("order")


def _draft(slug: str) -> Article:
    Article.objects.filter(slug=slug).update(is_published=False)
    return Article.objects.get(slug=slug)


def _public_pages(articles) -> list[str]:
    return ["/learn/", *(f"/learn/{a.slug}/" for a in articles), "/learn/tags/self-care/"]


def test_public_pages_answer_without_sign_in_and_show_no_staff_links(client, articles):
    for path in _public_pages(articles):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert not [link for link in STAFF_LINKS if link in body], path
        assert "Content-Security-Policy" in response.headers
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_signed_in_staff_see_the_public_layout_too(client, articles, world):
    client.force_login(world.ada)
    body = client.get(f"/learn/{FLAGSHIP}/").content.decode()
    assert not [link for link in STAFF_LINKS if link in body]


def test_the_index_lists_summaries_and_the_article_shows_review_facts(client, articles):
    index = client.get("/learn/").content.decode()
    for article in articles:
        assert article.title in index and article.summary in index
    flagship = Article.objects.get(slug=FLAGSHIP)
    page = client.get(f"/learn/{FLAGSHIP}/").content.decode()
    assert flagship.author in page and flagship.clinical_reviewer in page
    assert "November 30, 2026" in page and "November 30, 2027" in page  # US dates
    assert page.count("<li>") >= len(flagship.sources)
    for source in flagship.sources:
        assert f'href="{source["url"]}"' in page
    assert 'href="/self-check/"' in page and 'href="/request-a-consultation/"' in page


def test_previous_and_next_follow_the_reading_order(client, articles):
    ordered = list(articles)
    for before, article, after in zip(ordered, ordered[1:], ordered[2:], strict=False):
        page = client.get(f"/learn/{article.slug}/").content.decode()
        assert f'rel="prev" href="/learn/{before.slug}/"' in page
        assert f'rel="next" href="/learn/{after.slug}/"' in page
    first = client.get(f"/learn/{ordered[0].slug}/").content.decode()
    assert 'rel="prev"' not in first


def test_an_unpublished_article_is_404_to_the_public_and_skipped_by_next(client, articles):
    second = list(articles)[1]
    _draft(second.slug)
    assert client.get(f"/learn/{second.slug}/").status_code == 404
    assert second.title not in client.get("/learn/").content.decode()
    flagship = client.get(f"/learn/{FLAGSHIP}/").content.decode()
    assert f"/learn/{second.slug}/" not in flagship
    assert client.get("/learn/no-such-article/").status_code == 404
    assert client.get("/learn/tags/no-such-tag/").status_code == 404


def test_staff_who_publish_can_preview_a_draft(client, articles, world):
    draft = _draft("what-is-dry-needling")
    client.force_login(world.ada)
    response = client.get(f"/articles/{draft.slug}/preview/")
    assert response.status_code == 200
    body = response.content.decode()
    assert draft.title in body and "not public yet" in body
    assert "application/ld+json" not in body  # a draft is not offered to search engines


@pytest.mark.parametrize("persona", ["frank", "alice"])
def test_front_desk_and_clinicians_cannot_preview_edit_or_publish(client, articles, world, persona):
    draft = _draft("what-is-dry-needling")
    client.force_login(getattr(world, persona))
    before = AuditEvent.objects.filter(action__startswith="article.").count()
    assert client.get("/articles/").status_code == 403
    assert client.get(f"/articles/{draft.slug}/preview/").status_code == 403
    assert client.get(f"/articles/{draft.slug}/edit/").status_code == 403
    assert client.post(f"/articles/{draft.slug}/publish/").status_code == 403
    assert client.post(f"/articles/{FLAGSHIP}/unpublish/").status_code == 403
    edit = {**_form(Article.objects.get(slug=FLAGSHIP)), "title": "Hacked"}
    assert client.post(f"/articles/{FLAGSHIP}/edit/", edit).status_code == 403
    assert Article.objects.get(slug=FLAGSHIP).title == "Dry needling for neck and back pain"
    assert not Article.objects.get(slug=draft.slug).is_published
    assert AuditEvent.objects.filter(action__startswith="article.").count() == before


def test_anonymous_visitors_are_sent_to_sign_in_for_staff_pages(client, articles):
    response = client.get("/articles/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.post(f"/articles/{FLAGSHIP}/unpublish/").status_code == 302
    assert Article.objects.get(slug=FLAGSHIP).is_published


def test_an_admin_unpublishes_and_publishes_and_each_is_audited(client, articles, world):
    client.force_login(world.ada)
    assert client.post(f"/articles/{FLAGSHIP}/unpublish/").status_code == 302
    client.logout()
    assert client.get(f"/learn/{FLAGSHIP}/").status_code == 404
    client.force_login(world.ada)
    assert client.post(f"/articles/{FLAGSHIP}/publish/").status_code == 302
    client.logout()
    assert client.get(f"/learn/{FLAGSHIP}/").status_code == 200
    events = AuditEvent.objects.filter(action__in=["article.publish", "article.unpublish"])
    assert [e.action for e in events.order_by("id")] == ["article.unpublish", "article.publish"]
    assert {e.actor_username for e in events} == {world.ada.username}
    assert all(e.detail["slug"] == FLAGSHIP for e in events)


def _form(article: Article) -> dict[str, str]:
    return {
        "title": article.title,
        "summary": article.summary,
        "author": article.author,
        "clinical_reviewer": article.clinical_reviewer,
        "reviewed_on": article.reviewed_on.isoformat(),
        "next_review_due": article.next_review_due.isoformat(),
        "tags": ", ".join(article.tags),
        "sources": "\n".join(f"{s['citation']} | {s['url']}" for s in article.sources),
        "body": article.body,
    }


def test_an_admin_previews_then_saves_an_edit_and_the_sanitiser_strips_script(
    client, articles, world
):
    article = Article.objects.get(slug="aftercare-after-dry-needling")
    hostile = (
        article.body
        + '\n\nDrink water.<script>alert("x")</script> <a href="javascript:alert(1)" '
        + 'onclick="steal()">link</a><img src=x onerror=alert(2)>\n'
    )
    client.force_login(world.ada)
    form = {**_form(article), "body": hostile, "action": "preview"}
    preview = client.post(f"/articles/{article.slug}/edit/", form)
    assert preview.status_code == 200 and "Preview (not saved)" in preview.content.decode()
    assert Article.objects.get(pk=article.pk).body == article.body  # a preview saves nothing
    saved = client.post(f"/articles/{article.slug}/edit/", {**form, "action": "save"})
    assert saved.status_code == 302
    client.logout()
    page = client.get(f"/learn/{article.slug}/").content.decode()
    assert "Drink water." in page
    body = page.split('class="article-body">', 1)[1].split("</div>", 1)[0]
    for dangerous in ("<script", "alert(", "javascript:", "onclick", "onerror", "<img"):
        assert dangerous not in body, dangerous
    event = AuditEvent.objects.get(action="article.edit")
    assert event.actor_username == world.ada.username
    assert set(event.detail["changed"]) == {"body"}
    assert event.detail["changed"]["body"]["before"] == article.body


def test_an_edit_with_a_bad_source_or_dates_is_refused_and_nothing_saved(client, articles, world):
    article = Article.objects.get(slug=FLAGSHIP)
    client.force_login(world.ada)
    bad_source = {**_form(article), "sources": "A citation without an address", "action": "save"}
    response = client.post(f"/articles/{article.slug}/edit/", bad_source)
    assert (
        response.status_code == 400 and "source 1 needs a web address" in response.content.decode()
    )
    bad_dates = {**_form(article), "next_review_due": "2020-01-01", "action": "save"}
    response = client.post(f"/articles/{article.slug}/edit/", bad_dates)
    assert (
        response.status_code == 400
        and "must be after the reviewed date" in response.content.decode()
    )
    assert Article.objects.get(pk=article.pk).sources == article.sources
    assert not AuditEvent.objects.filter(action="article.edit").exists()


def test_the_feed_is_valid_atom_listing_only_published_articles(client, articles):
    draft = _draft("what-is-dry-needling")
    response = client.get("/learn/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own answer
    assert feed.tag == f"{ATOM}feed"
    found = [e.find(f"{ATOM}link") for e in feed.findall(f"{ATOM}entry")]
    links = [str(link.get("href")) for link in found if link is not None]
    published = [a for a in articles if a.is_published and a.slug != draft.slug]
    assert len(links) == len(published)
    assert not any(draft.slug in link for link in links)
    assert all(link.startswith("http://testserver/learn/") for link in links)


def test_the_sitemap_is_valid_xml_listing_only_published_articles(client, articles):
    draft = _draft("what-is-dry-needling")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    sitemap = ET.fromstring(response.content)  # noqa: S314 - our own answer
    urls = [loc.text or "" for loc in sitemap.iter(f"{SITEMAP}loc")]
    assert "http://testserver/learn/" in urls
    assert f"http://testserver/learn/{FLAGSHIP}/" in urls
    assert not any(draft.slug in url for url in urls)
    assert "http://testserver/learn/tags/self-care/" in urls


def test_each_article_carries_medical_web_page_json_ld(client, articles):
    for article in articles:
        page = client.get(f"/learn/{article.slug}/").content.decode()
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
        assert len(blocks) == 1, article.slug
        data = json.loads(blocks[0])
        assert data["@type"] == "MedicalWebPage"
        assert data["lastReviewed"] == article.reviewed_on.isoformat()
        assert data["reviewedBy"]["name"] == article.clinical_reviewer
        assert data["about"] and all(item["name"] for item in data["about"])
        assert data["url"] == f"http://testserver/learn/{article.slug}/"


def test_json_ld_cannot_break_out_of_its_script_element(client, articles, world):
    article = Article.objects.get(slug=FLAGSHIP)
    client.force_login(world.ada)
    form = {**_form(article), "title": "Pain </script><script>alert(1)</script>", "action": "save"}
    assert client.post(f"/articles/{article.slug}/edit/", form).status_code == 302
    client.logout()
    page = client.get(f"/learn/{article.slug}/").content.decode()
    block = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[0]
    assert json.loads(block)["name"] == "Pain </script><script>alert(1)</script>"
    assert page.count("<script") == 1


def test_the_print_stylesheet_hides_navigation(client, articles):
    page = client.get(f"/learn/{FLAGSHIP}/").content.decode()
    assert "needlerx/learn.css" in page
    from pathlib import Path

    import needlerx

    css = (Path(needlerx.__file__).parent / "static/needlerx/learn.css").read_text()
    print_rules = css.split("@media print", 1)[1]
    assert ".public-top" in print_rules and ".prev-next" in print_rules
