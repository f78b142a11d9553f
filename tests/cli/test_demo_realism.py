"""The demo looks like a clinic: names that match the recorded sex, each clinic's own staff, a
screen the same day before every needled session, the pain a note records equal to the pain
measure of the visit, and muscles that change over an episode."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from needlerx.accounts.models import Membership, User
from needlerx.demo.catalogue import DEMO_CLINICS
from needlerx.instruments.models import InstrumentResponse
from needlerx.patients.models import Patient
from needlerx.screening.models import ScreeningRun
from needlerx.treatments.models import TreatmentSession

PATIENTS = 240


@pytest.fixture
def demo(db: Any) -> None:
    call_command("demo", "--no-serve", "--patients", str(PATIENTS), "--seed", "5")


def _needled_sessions() -> list[TreatmentSession]:
    return list(
        TreatmentSession.objects.filter(needling_entries__isnull=False)
        .distinct()
        .select_related("clinic")
        .prefetch_related("needling_entries")
        .order_by("episode_id", "started_at")
    )


def test_given_names_match_the_recorded_sex(demo: None) -> None:
    names: dict[str, set[str]] = defaultdict(set)
    for given_name, sex in Patient.objects.values_list("given_name", "sex"):
        names[sex].add(given_name)
    assert names["female"] and names["male"]
    assert names["female"].isdisjoint(names["male"]), names["female"] & names["male"]
    neutral = names["unknown"] | names["intersex"]
    assert neutral.isdisjoint(names["female"] | names["male"])
    # Pregnant patients are recorded as female.
    pregnant = Patient.objects.filter(history_facts__fact="pregnant", history_facts__value=True)
    assert pregnant.exists()
    assert set(pregnant.values_list("sex", flat=True)) == {"female"}


def test_every_patient_has_an_example_address_the_front_desk_can_invite(demo: None) -> None:
    emails = list(Patient.objects.values_list("given_name", "family_name", "email"))
    assert len(emails) == PATIENTS
    assert all(email.endswith("@example.com") for _, _, email in emails)
    assert len({email for _, _, email in emails}) == PATIENTS  # one account per address
    given, family, email = emails[0]
    assert email.startswith(f"{given}.{family}.".lower().replace(" ", "").replace("'", ""))


def test_each_clinic_has_its_own_staff_with_the_documented_logins(demo: None) -> None:
    full_names = defaultdict(set)
    for membership in Membership.objects.select_related("user", "clinic"):
        user = membership.user
        full_names[membership.clinic.name].add(user.get_full_name())
    assert len(full_names) == len(DEMO_CLINICS)
    everyone = [name for names in full_names.values() for name in names]
    assert len(everyone) == len(set(everyone)) == 3 * len(DEMO_CLINICS)
    for clinic in DEMO_CLINICS:
        for prefix in ("clinician", "frontdesk", "admin"):
            user = User.objects.get(username=f"{prefix}.{clinic.slug}")
            assert user.check_password("needlerx-demo")


def test_every_needled_session_is_screened_the_same_day_before_the_needle(demo: None) -> None:
    sessions = _needled_sessions()
    assert len(sessions) > 100
    screens = defaultdict(list)
    for episode_id, run_at in ScreeningRun.objects.values_list("episode_id", "run_at"):
        screens[episode_id].append(run_at)
    unscreened = []
    for session in sessions:
        zone = ZoneInfo(session.clinic.time_zone)
        day = session.started_at.astimezone(zone).date()
        same_day_before = [
            run_at
            for run_at in screens[session.episode_id]
            if run_at <= session.started_at and run_at.astimezone(zone).date() == day
        ]
        if not same_day_before:
            unscreened.append(session.public_id)
    assert unscreened == []


def test_the_pain_in_each_note_is_the_nprs_measured_at_that_visit(demo: None) -> None:
    nprs: dict[tuple[int, dt.datetime], float | None] = {}
    for episode_id, taken_at, score in InstrumentResponse.objects.filter(
        instrument="nprs"
    ).values_list("episode_id", "taken_at", "score"):
        nprs[(episode_id, taken_at)] = score
    sessions = list(TreatmentSession.objects.values_list("episode_id", "started_at", "pain_now"))
    assert len(sessions) > 200
    mismatched = [
        (episode_id, started, pain, nprs.get((episode_id, started)))
        for episode_id, started, pain in sessions
        if nprs.get((episode_id, started)) != pain
    ]
    assert mismatched == []


def test_the_muscles_needled_change_over_an_episode_within_what_the_screen_allowed(
    demo: None,
) -> None:
    by_episode: dict[int, list[TreatmentSession]] = defaultdict(list)
    for session in _needled_sessions():
        by_episode[session.episode_id].append(session)
    long_courses = 0
    for episode_id, sessions in by_episode.items():
        sets = []
        for session in sessions:
            needled = {(e.muscle, e.side) for e in session.needling_entries.all()}
            result = session.safety_result or {}
            allowed = {(m["muscle"], m["side"]) for m in result["muscles"] if m["allowed"]}
            assert needled <= allowed, (episode_id, needled - allowed)
            sets.append(frozenset(needled))
        if len(sessions) >= 5 and len(allowed) >= 2:
            long_courses += 1
            assert len(set(sets)) > 1, f"episode {episode_id} needles {sorted(sets[0])} every visit"
    assert long_courses > 10
