"""``needlerx articles``: load the article files into the database, or list the articles.

needlerx articles load [--publish] [--replace]   (files under needlerx/learn/articles/)
needlerx articles list

``load`` adds articles that are not there yet (as drafts unless ``--publish``) and keeps staff
edits of those that are, unless ``--replace``. A bad file exits with status 2 naming the field;
nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from needlerx.audit.commands import ServiceCommand
from needlerx.learn.models import Article
from needlerx.learn.services import articles_load


class Command(ServiceCommand):
    help = "Load the patient articles from their Markdown files, or list them."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("load")
        load.add_argument("--publish", action="store_true", help="publish newly added articles")
        load.add_argument(
            "--replace", action="store_true", help="overwrite staff edits with the files"
        )
        actions.add_parser("list")

    def run(self, **options: Any) -> None:
        if options["action"] == "list":
            for article in Article.objects.order_by("order"):
                state = "published" if article.is_published else "draft"
                self.stdout.write(f"{article.order:>3}  {state:<9}  /learn/{article.slug}/")
            return
        report = articles_load(publish=options["publish"], replace=options["replace"])
        self.stdout.write(
            f"Added {len(report.added)}, replaced {len(report.replaced)}, "
            f"kept {len(report.kept)} as staff left them."
        )
