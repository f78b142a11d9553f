"""Recorded dates stay inside sensible bounds (security review L3; record_dates.yaml).

A consent is not signed in the future nor long before its episode opened; a session does not
start in the future (beyond a small clock skew) nor before its episode opened; an adverse event
does not begin before its session. Each refusal names the field and the allowed range.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from needlerx.accounts.models import Clinic
from needlerx.clinical.treatment_reference import record_dates_reference
from needlerx.core.errors import ApplicationError
from needlerx.patients import services as patients
from needlerx.treatments import services
from needlerx.treatments.models import AdverseEvent, ConsentRecord, TreatmentSession
from tests.personas import World
from tests.treatments.helpers import consent

DATES = record_dates_reference()
SKEW = DATES.clock_skew_allowed
CONSENT_DAYS = DATES.consent_before_episode_opened.days


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _refused(field: str, call, *args, **kwargs) -> str:
    with pytest.raises(ApplicationError) as caught:
        call(*args, **kwargs)
    assert caught.value.field == field
    return caught.value.message


def test_the_bounds_come_from_the_data_file_with_a_rationale():
    assert DATES.clock_skew.minutes == 5
    assert DATES.consent_before_episode_opened.days == 30
    assert DATES.clock_skew.rationale and DATES.consent_before_episode_opened.rationale
    assert DATES.source.citation


@pytest.mark.parametrize(
    "signed_at",
    [
        dt.datetime(1990, 1, 1, 9, tzinfo=dt.UTC),
        "31 days before the episode",
        "tomorrow",
        "in ten minutes",
    ],
)
def test_a_consent_dated_out_of_bounds_is_refused_naming_the_field_and_range(
    world: World, signed_at
):
    episode = world.episode(world.patient())
    moments = {
        "31 days before the episode": _midnight(episode.opened_on)
        - dt.timedelta(days=CONSENT_DAYS, minutes=1),
        "tomorrow": timezone.now() + dt.timedelta(days=1),
        "in ten minutes": timezone.now() + dt.timedelta(minutes=10),
    }
    moment = moments.get(signed_at, signed_at)
    message = _refused("signed_at", consent, world.alice, episode, signed_at=moment)
    earliest = (episode.opened_on - dt.timedelta(days=CONSENT_DAYS)).isoformat()
    assert f"must be from {earliest} 00:00" in message
    assert f"({CONSENT_DAYS} days before the episode opened)" in message
    assert "(now)" in message
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize(
    "before_now",
    [dt.timedelta(days=CONSENT_DAYS), dt.timedelta(days=2), dt.timedelta(0), -SKEW / 2],
)
def test_a_consent_inside_the_bounds_is_recorded(world: World, before_now):
    episode = world.episode(world.patient())
    moment = (
        _midnight(episode.opened_on - dt.timedelta(days=CONSENT_DAYS))
        if before_now == dt.timedelta(days=CONSENT_DAYS)
        else timezone.now() - before_now
    )
    assert consent(world.alice, episode, signed_at=moment).signed_at == moment


def test_the_api_refuses_a_consent_signed_decades_before_the_episode(client: Client, world):
    episode = world.episode(world.patient())
    client.force_login(world.alice)
    body = {
        "template_id": "dry_needling_general",
        "signer_name": "Pat Example",
        "signature_kind": "typed",
        "signature_data": "Pat Example",
        "signed_at": "1990-01-01T09:00:00+00:00",
    }
    response = client.post(
        f"/api/v1/episodes/{episode.public_id}/consents", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["field"] == "signed_at"
    assert "days before the episode opened" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("label", "offset"),
    [
        ("before the episode opened", None),
        ("an hour ahead", dt.timedelta(hours=1)),
        ("beyond the clock skew", SKEW + dt.timedelta(minutes=1)),
    ],
)
def test_a_session_started_out_of_bounds_is_refused(world: World, label, offset):
    episode = world.episode(world.patient())
    moment = _midnight(episode.opened_on) - dt.timedelta(minutes=1)
    if offset is not None:
        moment = timezone.now() + offset
    message = _refused(
        "started_at",
        services.treatment_session_start,
        actor=world.alice,
        episode=episode,
        started_at=moment,
    )
    assert f"must be from {episode.opened_on.isoformat()} 00:00" in message, label
    assert "(the day the episode opened)" in message
    assert not TreatmentSession.objects.exists()


@pytest.mark.parametrize("offset", [-SKEW / 2, dt.timedelta(0), dt.timedelta(minutes=-30)])
def test_a_session_started_inside_the_bounds_is_opened(world: World, offset):
    episode = world.episode(world.patient())
    moment = max(timezone.now() + offset, _midnight(episode.opened_on))
    session = services.treatment_session_start(
        actor=world.alice, episode=episode, started_at=moment
    )
    assert session.started_at == moment


def _adverse_event(world: World, session: TreatmentSession, onset_at: dt.datetime):
    return services.adverse_event_record(
        actor=world.alice,
        session=session,
        event_type="pain_after",
        severity="mild",
        onset_at=onset_at,
        action_taken="Advice given",
    )


def test_an_adverse_event_beginning_before_its_session_is_refused(world: World):
    episode = world.episode(world.patient())
    session = services.treatment_session_start(actor=world.alice, episode=episode)
    too_early = session.started_at - SKEW - dt.timedelta(minutes=1)
    message = _refused("onset_at", _adverse_event, world, session, too_early)
    assert "(the session's start)" in message
    assert "(now)" in message
    too_late = timezone.now() + SKEW + dt.timedelta(minutes=1)
    _refused("onset_at", _adverse_event, world, session, too_late)
    assert not AdverseEvent.objects.exists()
    assert _adverse_event(world, session, session.started_at - SKEW / 2).pk


@pytest.mark.parametrize("field", ["signed_at", "started_at", "onset_at"])
def test_a_date_time_without_a_time_zone_is_refused_naming_the_field(world: World, field):
    episode = world.episode(world.patient())
    naive = timezone.now().replace(tzinfo=None)
    if field == "signed_at":
        _refused(field, consent, world.alice, episode, signed_at=naive)
    elif field == "started_at":
        _refused(
            field,
            services.treatment_session_start,
            actor=world.alice,
            episode=episode,
            started_at=naive,
        )
    else:
        session = services.treatment_session_start(actor=world.alice, episode=episode)
        _refused(field, _adverse_event, world, session, naive)


def test_a_follow_up_contact_before_its_session_is_refused_naming_the_range(world: World):
    episode = world.episode(world.patient())
    session = services.treatment_session_start(actor=world.alice, episode=episode)
    for moment in (
        session.started_at - dt.timedelta(minutes=1),
        timezone.now() + SKEW + dt.timedelta(minutes=1),
    ):
        message = _refused(
            "contacted_at",
            services.follow_up_record,
            actor=world.alice,
            session=session,
            method="phone",
            outcome="well",
            contacted_at=moment,
        )
        assert "(the session's start)" in message and "(now)" in message


def test_a_clinic_east_of_utc_starts_a_session_on_the_morning_its_episode_opened(world: World):
    """The service is called as the command line calls it, with the server's zone (UTC)
    active: the day the episode opened still begins at the clinic's midnight, and a refusal
    names the times as the clinic reads them."""
    sydney = ZoneInfo("Australia/Sydney")
    Clinic.objects.filter(pk=world.clinic_a.pk).update(time_zone="Australia/Sydney")
    world.clinic_a.refresh_from_db()
    opened_on = timezone.localdate(timezone=sydney) - dt.timedelta(days=10)
    episode = patients.episode_open(
        actor=world.alice,
        patient=world.patient(),
        regions=["cervical"],
        onset_date=opened_on - dt.timedelta(days=30),
        diagnosis_codes=["M54.2"],
        opened_on=opened_on,
    )
    # 9 AM in Sydney is the evening before in UTC.
    nine_am = dt.datetime.combine(opened_on, dt.time(9), tzinfo=sydney)
    with timezone.override(dt.UTC):
        message = _refused(
            "started_at",
            services.treatment_session_start,
            actor=world.alice,
            episode=episode,
            started_at=nine_am - dt.timedelta(hours=10),
        )
        session = services.treatment_session_start(
            actor=world.alice, episode=episode, started_at=nine_am
        )
    assert session.started_at == nine_am
    assert f"must be from {opened_on.isoformat()} 00:00 AEDT" in message
    assert "23:00 AEDT" in message  # the refused time, in Sydney


def test_an_episode_opened_on_a_day_still_to_come_says_so(world: World):
    """A clinic that moves its zone west after opening an episode "today" is, for a few hours,
    before that day: the refusal says no time can be allowed yet, rather than giving a range
    that ends before it starts."""
    episode = world.episode(world.patient())
    episode.opened_on += dt.timedelta(days=2)  # as the day would read after a move west
    episode.save(update_fields=["opened_on"])
    message = _refused(
        "started_at",
        services.treatment_session_start,
        actor=world.alice,
        episode=episode,
        started_at=timezone.now(),
    )
    assert message.startswith("cannot be recorded yet: the day the episode opened (")
    assert "comes after now (" in message
    assert not TreatmentSession.objects.exists()
