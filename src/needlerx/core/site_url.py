"""The ``--site-url`` option of the commands that email patients a link."""

from __future__ import annotations

import os

from django.core.management.base import CommandParser

SITE_URL = os.environ.get("NEEDLERX_SITE_URL", "http://localhost:8000")


def add_site_url_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--site-url",
        default=SITE_URL,
        help="where NeedleRx is served, for the link (default: $NEEDLERX_SITE_URL or "
        "http://localhost:8000)",
    )
