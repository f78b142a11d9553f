"""The ``needlerx`` command: one entry point over NeedleRx's Django management commands.

``needlerx demo``, ``needlerx serve``, ``needlerx screen`` ... are Django management commands;
``needlerx`` with no argument lists them. ``screen`` and ``score`` need only the clinical core,
so they run without setting Django up (a script calling them in a loop starts in a fraction of
the time) and keep the reference files they validate for the next run (``validated_cache``);
anything else, or any option they do not know (``--help``), goes through Django.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from needlerx.clinical.commands import score_json, screen_json
from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.validated_cache import default_directory, keep_validated_files_in


def _screen(options: argparse.Namespace) -> str:
    return screen_json(options.input)


def _score(options: argparse.Namespace) -> str:
    return score_json(options.instrument, options.input)


def _parser(name: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"needlerx {name}", add_help=False, exit_on_error=False)
    if name == "score":
        parser.add_argument("instrument", nargs="?")
    parser.add_argument("--input")
    return parser


WITHOUT_DJANGO: dict[str, Callable[[argparse.Namespace], str]] = {
    "screen": _screen,
    "score": _score,
}


def run_without_django(args: list[str], cache_directory: Path | None = None) -> int | None:
    """Run ``screen`` or ``score`` from the clinical core alone: the exit status, or ``None``
    when Django should handle the command line instead. Reference files already validated are
    read from ``cache_directory``, when one is named, and those validated now are kept there."""
    if not args or args[0] not in WITHOUT_DJANGO:
        return None
    try:
        options, unknown = _parser(args[0]).parse_known_args(args[1:])
    except argparse.ArgumentError:
        return None
    if unknown or options.input is None or getattr(options, "instrument", "") is None:
        return None  # Django's command explains what is missing
    keep_validated_files_in(cache_directory)
    try:
        sys.stdout.write(WITHOUT_DJANGO[args[0]](options) + "\n")
    except ClinicalInputError as error:  # as Django prints a CommandError
        sys.stderr.write(f"CommandError: {error}\n")
        return 2
    return 0


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    status = run_without_django(args, default_directory())
    if status is not None:
        sys.exit(status)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "needlerx.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["needlerx", *args])


if __name__ == "__main__":
    main()
