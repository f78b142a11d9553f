"""``needlerx demo`` loads patient links: sent, answered and expired, check-ins (one with a
warning sign that raised the clinic-home alert) and measures answered at home that show in the
progress chart, at plausible clinic times."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.accounts.local import clinic_conventions
from needlerx.core import local
from needlerx.core.local import zone_named
from needlerx.demo.catalogue import DEMO_PASSWORD
from needlerx.instruments.models import EnteredVia, InstrumentResponse
from needlerx.patient_tasks.models import PatientTask, TaskKind
from needlerx.treatments.models import AdverseEvent

pytestmark = pytest.mark.django_db
PRINTED = re.compile(r"^  (.+?): (.+?)  (/my/[A-Za-z0-9_-]+/)$", re.MULTILINE)


def test_the_demo_has_patient_links_in_every_state(capsys):
    call_command("demo", "--no-serve", "--patients", "300")
    out = capsys.readouterr().out
    now = timezone.now()
    tasks = list(PatientTask.objects.select_related("clinic", "session"))
    done = [t for t in tasks if t.completed_at is not None]
    waiting = [t for t in tasks if t.completed_at is None and t.valid_from <= now < t.expires_at]
    expired = [t for t in tasks if t.completed_at is None and t.expires_at <= now]
    assert done and waiting and expired
    assert {TaskKind.CHECK_IN, TaskKind.QUESTIONNAIRE, TaskKind.HOME_PROGRAMME} <= {
        t.kind for t in tasks
    }
    for task in tasks:
        assert task.created_at <= now
        if task.session is not None:  # sent after the visit, opens 24 hours after it
            assert task.session.started_at < task.created_at <= task.valid_from
    # one check-in with a warning sign: an open alert and the adverse event it recorded
    (serious,) = [t for t in tasks if t.serious]
    assert serious.is_open_alert and serious.answers["signs"] == ["infection_signs"]
    assert AdverseEvent.objects.filter(session=serious.session, event_type="infection").exists()
    clinician = serious.created_by
    staff = Client()
    assert staff.login(username=clinician.username, password=DEMO_PASSWORD)
    assert b"Warning sign in home check-in" in staff.get("/").content

    # measures answered at home in the evening, clinic time, shown in the progress chart
    home = list(
        InstrumentResponse.objects.filter(entered_via=EnteredVia.PATIENT_LINK).select_related(
            "clinic", "patient", "episode"
        )
    )
    assert {m.instrument for m in home} >= {"nprs"}
    for measure in home:
        at_home = measure.taken_at.astimezone(zone_named(measure.clinic.time_zone))
        assert (at_home.hour, at_home.minute) == (19, 30) and measure.taken_at < now
        assert PatientTask.objects.filter(
            answers__measure=str(measure.public_id), completed_at=measure.taken_at
        ).exists()
    nprs = next(m for m in home if m.instrument == "nprs" and m.clinic == serious.clinic)
    progress = staff.get(
        reverse("clinic:progress", args=[nprs.patient.public_id, nprs.episode.public_id])
    )
    shown = nprs.taken_at.astimezone(zone_named(nprs.clinic.time_zone))
    assert progress.status_code == 200
    point = f"{local.format_date(shown.date(), clinic_conventions(nprs.clinic))}: "
    point += f"{nprs.score:g} points"
    assert point.encode() in progress.content  # the home rating is a point of the chart

    # the open links printed for the demo open on a phone
    printed = PRINTED.findall(out)
    assert printed and any("check-in" in what or "NPRS" in what for _, what, _ in printed)
    for _, _, path in printed:
        assert Client().get(path).status_code == 200
