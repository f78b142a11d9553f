"""``needlerx serve``: collect static files and run gunicorn (the production WSGI server)."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    """Runs Django's system checks first (as every command does), so invalid clinical data
    (check needlerx.E001) stops it before it serves."""

    help = "Serve NeedleRx with gunicorn; static files are served by whitenoise."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("NEEDLERX_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("NEEDLERX_WORKERS", "2"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable))
        if gunicorn is None:
            raise CommandError("gunicorn is not installed in this environment (pip install -e .)")
        self.stdout.write(f"NeedleRx is serving on http://{options['bind']}/  (Ctrl-C stops it)")
        self.stdout.flush()
        arguments = ["needlerx.wsgi:application", "--bind", options["bind"]]
        arguments += ["--workers", str(options["workers"]), "--access-logfile", "-"]
        os.execv(gunicorn, [gunicorn, *arguments])  # noqa: S606 - this process becomes the server
