"""``needlerx articles load`` and ``list``: files in, staff edits kept, a bad file refused whole."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from needlerx.audit.models import AuditEvent
from needlerx.core.errors import ApplicationError
from needlerx.learn import services
from needlerx.learn.content import article_sources_read
from needlerx.learn.models import Article

FLAGSHIP = "dry-needling-neck-and-back-pain"


def test_load_adds_drafts_then_keeps_staff_edits(world, capsys):
    call_command("articles", "load")
    count = len(article_sources_read())
    assert Article.objects.count() == count
    assert not Article.objects.filter(is_published=True).exists()
    assert f"Added {count}" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="article.load").count() == count

    flagship = Article.objects.get(slug=FLAGSHIP)
    services.article_edit(actor=world.ada, article=flagship, changes={"title": "Edited title"})
    call_command("articles", "load", "--publish")
    assert Article.objects.get(slug=FLAGSHIP).title == "Edited title"
    call_command("articles", "load", "--replace")
    assert Article.objects.get(slug=FLAGSHIP).title == "Dry needling for neck and back pain"

    call_command("articles", "list")
    assert f"draft      /learn/{FLAGSHIP}/" in capsys.readouterr().out


def test_a_bad_article_file_is_refused_with_exit_2_and_nothing_saved(db, tmp_path, monkeypatch):
    (tmp_path / "bad.md").write_text("---\ntitle: No slug\n---\nText.\n")
    monkeypatch.setattr("needlerx.learn.content.ARTICLES_DIR", tmp_path)
    with pytest.raises(ApplicationError):
        article_sources_read(tmp_path)
    monkeypatch.setattr(services, "article_sources_read", lambda: article_sources_read(tmp_path))
    with pytest.raises(CommandError) as caught:
        call_command("articles", "load")
    assert caught.value.returncode == 2 and "slug" in str(caught.value)
    assert not Article.objects.exists()


def test_publishing_needs_a_clinic_admin(world):
    services.articles_load()
    article = Article.objects.get(slug=FLAGSHIP)
    for person in (world.alice, world.frank, world.bob):
        with pytest.raises(ApplicationError):
            services.article_publish(actor=person, article=article)
    services.article_publish(actor=world.ada, article=article)
    assert Article.objects.get(slug=FLAGSHIP).is_published
    with pytest.raises(ApplicationError) as twice:
        services.article_publish(actor=world.ada, article=article)
    assert twice.value.field == "is_published"
