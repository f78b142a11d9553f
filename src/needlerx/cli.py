"""The ``needlerx`` command: one entry point over NeedleRx's Django management commands.

``needlerx demo``, ``needlerx serve``, ``needlerx screen`` ... are Django management commands;
``needlerx`` with no argument lists them.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "needlerx.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["needlerx", *args])


if __name__ == "__main__":
    main()
