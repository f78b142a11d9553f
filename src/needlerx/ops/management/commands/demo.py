"""``needlerx demo``: migrate, load the demo clinic network once, print the logins, serve."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from needlerx.audit.context import origin
from needlerx.demo import generator
from needlerx.demo.catalogue import DEMO_PASSWORD
from needlerx.demo.patient_tasks import DemoLink
from needlerx.learn.services import articles_load

DEMO_PATIENTS = 90


PROGRESS_WIDTH = 30  # characters of the progress bar


def progress_bar(done: int, total: int, seconds: float) -> str:
    """One line of the load's progress: a bar, the patients loaded, and the time left at the
    rate so far."""
    filled = PROGRESS_WIDTH * done // total
    bar = "#" * filled + "-" * (PROGRESS_WIDTH - filled)
    left = seconds * (total - done) / done if done else 0.0
    return (
        f"  [{bar}] {done:>9,} / {total:,} patients ({100 * done // total:3d}%), "
        f"{seconds:4.0f} s, about {left:4.0f} s left"
    )


class Command(BaseCommand):
    _started = 0.0

    help = "Load the demo clinic network (once) and serve NeedleRx on http://127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load data, do not serve")
        parser.add_argument(
            "--patients",
            type=int,
            default=None,
            help=f"add this many synthetic patients (default {DEMO_PATIENTS} "
            "on first load, none when the demo exists)",
        )
        parser.add_argument("--seed", type=int, default=generator.DEFAULT_SEED)
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        with origin(command="needlerx demo"):
            self._load(options["patients"], options["seed"])
            added = articles_load(publish=True).added  # new articles only; staff edits are kept
            if added:
                self.stdout.write(f"Published {len(added)} patient articles at /learn/.")
        self._print_logins()
        if not options["no_serve"]:
            call_command("serve", bind=options["bind"])

    def _load(self, patients: int | None, seed: int) -> None:
        if generator.demo_network_exists():
            staff = generator.demo_staff()
            self.stdout.write("Demo clinic network already loaded; reusing it.")
        else:
            staff = generator.create_demo_network()
            patients = DEMO_PATIENTS if patients is None else patients
        if patients:
            started = self._started = time.monotonic()
            links: list[DemoLink] = []
            count = generator.load_patients(
                staff, patients, seed=seed, progress=self._progress, patient_links=links
            )
            sys.stderr.write("\n")
            self.stdout.write(f"Loaded {count} patients in {time.monotonic() - started:.1f} s.")
            if links:
                self.stdout.write("\nPatient links, as a patient opens them (shown only now):")
                for link in links:
                    self.stdout.write(f"  {link.clinic}: {link.what}  {link.path}")

    def _progress(self, done: int, total: int) -> None:
        sys.stderr.write("\r" + progress_bar(done, total, time.monotonic() - self._started))
        sys.stderr.flush()

    def _print_logins(self) -> None:
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, clinic in generator.demo_logins():
            self.stdout.write(f"  {username:<22} {role:<13} {clinic}")
