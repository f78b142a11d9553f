"""``needlerx credential``: a clinic admin lists, adds and renews credentials from the CLI;
bad input exits 2 naming the field on stderr; an expired credential blocks CLI needling."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.utils import timezone

from needlerx.accounts.models import DryNeedlingCredential
from tests.accounts.test_credential_services import expire_yesterday
from tests.personas import World
from tests.treatments.helpers import UPPER_TRAPEZIUS, checked_session, consent


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run like the shell does: exit status, stdout, stderr."""
    command = load_command_class("needlerx.accounts", "credential")
    if args[0] == "treatment":
        command = load_command_class("needlerx.treatments", "treatment")
        args = args[1:]
    name = "treatment" if command.__module__.endswith("treatment") else "credential"
    # As run_from_argv does, minus closing the database connections at the end (that would
    # end the test's transaction on PostgreSQL).
    command._called_from_command_line = True  # type: ignore[attr-defined]
    try:
        options = vars(command.create_parser("needlerx", name).parse_args(list(args)))
        command.execute(*options.pop("args", ()), **options)
        status = 0
    except CommandError as refused:
        sys.stderr.write(f"CommandError: {refused}\n")
        status = refused.returncode
    except SystemExit as stop:
        status = int(stop.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def add_args(**changes: str) -> list[str]:
    today = timezone.localdate()
    values = {
        "--user": "ada",
        "--clinician": "nora",
        "--training-body": "Myopain Seminars",
        "--hours": "54",
        "--completed-on": (today - dt.timedelta(days=10)).isoformat(),
        "--expires-on": (today + dt.timedelta(days=700)).isoformat(),
        "--licence-number": "PT-77",
        "--jurisdiction": "US-CO",
        **changes,
    }
    return ["add", *[part for pair in values.items() for part in pair]]


def test_an_admin_adds_then_lists_a_credential(world: World, capsys):
    status, out, _ = run(capsys, *add_args())
    assert status == 0
    added = json.loads(out)
    assert added["clinician"] == "nora" and added["status"] == "current"
    assert added["jurisdiction"] == "US-CO"
    status, out, _ = run(capsys, "list", "--user", "ada")
    listed = {row["clinician"]: row["status"] for row in json.loads(out)}
    assert listed == {"alice": "current", "nora": "current"}


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"--hours": "many"}, "hours: must be a whole number"),
        ({"--completed-on": "01/02/2025"}, "completed_on: must be a date YYYY-MM-DD"),
        ({"--jurisdiction": "Colorado"}, "jurisdiction: must be country-region"),
        ({"--clinician": "nobody"}, "clinician: no active user named 'nobody'"),
        ({"--user": "alice"}, "Only a clinic admin of the clinician's clinic"),
    ],
)
def test_bad_input_exits_2_with_the_field_on_stderr(world: World, capsys, changes, words):
    status, out, err = run(capsys, *add_args(**changes))
    assert status == 2
    assert words in err and out == ""
    assert not DryNeedlingCredential.objects.filter(user=world.nora).exists()


def test_renewal_by_public_id(world: World, capsys):
    credential = DryNeedlingCredential.objects.get(user=world.alice)
    new_expiry = (timezone.localdate() + dt.timedelta(days=900)).isoformat()
    status, out, _ = run(
        capsys,
        "update",
        "--user",
        "ada",
        "--credential",
        str(credential.public_id),
        "--expires-on",
        new_expiry,
    )
    assert status == 0 and json.loads(out)["expires_on"] == new_expiry
    status, _, err = run(capsys, "update", "--user", "ada", "--credential", "not-an-id")
    assert status == 2 and "credential: must be a public id" in err


def test_a_non_admin_cannot_list(world: World):
    with pytest.raises(Exception, match="not a clinic admin"):
        call_command("credential", "list", "--user", "alice")


def test_an_expired_credential_blocks_needling_at_the_cli(world: World, capsys, tmp_path: Path):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    yesterday = expire_yesterday(world)
    entry = tmp_path / "entry.json"
    numbers = {
        "needle_gauge_mm": 0.25,
        "needle_length_mm": 30,
        "max_depth_mm": 15,
        "insertions": 3,
        "needles": 2,
    }
    entry.write_text(json.dumps({**UPPER_TRAPEZIUS, **numbers}))
    status, _, err = run(
        capsys,
        "treatment",
        "needling",
        "--user",
        "alice",
        "--session",
        str(session.public_id),
        "--input",
        str(entry),
    )
    assert status == 2
    assert f"expired on {yesterday.isoformat()}" in err and "Ada (Clinic A)" in err
    assert not session.needling_entries.exists()
