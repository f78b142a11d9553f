"""Every read of patient data is in the audit trail, through every door.

The routes are found at test time (the URL map and the API's OpenAPI document, as in
``test_isolation``), so a page or endpoint added tomorrow is checked the day it is added:

- each patient-scoped GET that answers appends exactly one event naming the patient, a
  ``<record>.view``;
- a refused GET (another clinic: 404; a role without the permission: 403) appends exactly one
  ``access.*`` event naming the patient;
- a page that lists patients appends one ``patient_list.view`` event naming each of them;
- the CLI records what it shows the same way.
"""

from __future__ import annotations

import io
import json

from django.core.management import call_command
from django.test import Client
from django.urls import resolve

from needlerx.audit.models import AuditEvent
from needlerx.patients.models import Patient
from needlerx.treatments.models import TreatmentSession
from tests.security.conftest import Victim
from tests.security.routes import Route, path_to, public_models
from tests.security.test_isolation import all_routes, call
from tests.treatments.helpers import sign

SHOWN = 200
# Pages that only take a form submission (GET answers 405): they show nothing.
POST_ONLY_VIEWS = {
    "medication_add",
    "session_new",
    "plan_action",
    "session_step",
    "consultation_status",
}


# A document export is the read's one event: ``document.export`` names the patient and the kind
# (routes.fill gives each document URL a real kind).
EXPORT = "document.export"


def _sign_the_victims_note(victim: Victim) -> None:
    """A note is printed only once signed: sign the victim's draft so its documents answer."""
    session = TreatmentSession.objects.get(patient=victim.patient)
    sign(victim.world.alice, session)


def _new_events(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=since).order_by("sequence"))


def _last_sequence() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def _ids_of_the_patients_records(patient: Patient) -> set[str]:
    """The public ids of the patient and of every record that belongs to them."""
    ids = {str(patient.public_id)}
    for model in public_models():
        lookup = path_to(model, Patient)
        if lookup and lookup != "pk":
            records = model._default_manager.filter(**{lookup: patient})
            ids.update(str(i) for i in records.values_list("public_id", flat=True))
    return ids


def _patient_gets(victim: Victim) -> list[Route]:
    """Every GET whose URL names the victim or one of their records (measure entry: NPRS)."""
    ids = _ids_of_the_patients_records(victim.patient)
    routes = []
    for route in all_routes(victim):
        if route.label.endswith("<slug:instrument_id>/"):
            route.path = route.path.rstrip("/").rsplit("/", 1)[0] + "/nprs/"
        named = set(route.path.strip("/").split("/")) | set(route.query.values())
        if route.method == "GET" and named & ids and not _post_only(route):
            routes.append(route)
    labels = [route.label for route in routes]
    assert sum(label.startswith("GET /api/") for label in labels) >= 8, labels
    assert sum(label.startswith("GET /patients/") for label in labels) >= 10, labels
    assert sum("/documents/" in label for label in labels) == 4, labels  # 2 pages, 2 API routes
    return routes


def _post_only(route: Route) -> bool:
    match = resolve(route.path.split("?")[0])
    return getattr(match.func, "__name__", "") in POST_ONLY_VIEWS


def _check(client: Client, route, patient_id: str, expected: str) -> str | None:
    """None if the GET appended exactly one event, naming the patient, of the expected kind."""
    since = _last_sequence()
    response = call(client, route)
    events = _new_events(since)
    named = [(e.action, e.patient_public_id) for e in events]
    if expected == "view" and response.status_code != SHOWN:
        return f"{route.label}: answered {response.status_code}, expected {SHOWN}"
    wanted = ".view" if expected == "view" else "access."
    action = events[0].action if events else ""
    exported = expected == "view" and action == EXPORT and "/documents/" in route.path
    ok = (
        len(events) == 1
        and events[0].patient_public_id == patient_id
        and (action.endswith(wanted) or action.startswith(wanted) or exported)
    )
    return None if ok else f"{route.label} ({response.status_code}): {named}"


def test_each_patient_scoped_read_appends_one_view_event_naming_the_patient(client, victim):
    world, patient_id = victim.world, str(victim.patient.public_id)
    _sign_the_victims_note(victim)
    problems = []
    for route in _patient_gets(victim):
        reader = world.ada if route.path.startswith("/audit/") else world.alice
        if route.path.startswith("/me/"):  # the patient's own pages: read by the patient
            assert victim.patient_user is not None
            reader = victim.patient_user
        client.force_login(reader)
        problem = _check(client, route, patient_id, "view")
        if problem:
            problems.append(problem)
    assert not problems, "\n".join(problems)


def test_a_refused_read_names_the_patient(client, victim):
    world, patient_id = victim.world, str(victim.patient.public_id)
    problems = []
    client.force_login(world.bob)  # another clinic: every answer is 404, and it is audited
    for route in _patient_gets(victim):
        problem = _check(client, route, patient_id, "refused")
        if problem:
            problems.append(problem)
    assert not problems, "\n".join(problems)


def test_front_desk_refused_a_note_is_audited_with_the_patient(client, victim):
    session = TreatmentSession.objects.get(patient=victim.patient)
    client.force_login(victim.world.frank)
    since = _last_sequence()
    response = client.get(f"/api/v1/sessions/{session.public_id}")
    assert response.status_code == 403
    [event] = _new_events(since)
    assert event.action == "access.denied"
    assert event.patient_public_id == str(victim.patient.public_id)


def test_the_session_note_event_names_the_note_and_what_was_shown(client, victim):
    session = TreatmentSession.objects.get(patient=victim.patient)
    client.force_login(victim.world.alice)
    since = _last_sequence()
    client.get(f"/patients/{victim.patient.public_id}/sessions/{session.public_id}/")
    [event] = _new_events(since)
    assert event.action == "treatment_session.view"
    assert event.object_public_id == str(session.public_id)
    assert (event.actor_role, event.clinic_public_id) == (
        "clinician",
        str(victim.patient.clinic.public_id),
    )
    assert (
        event.detail["path"]
        == f"/patients/{victim.patient.public_id}/sessions/{session.public_id}/"
    )
    assert "treatment_session" in event.detail["shown"]


def test_a_list_of_patients_is_one_event_naming_each_of_them(client, victim):
    world = victim.world
    others = [world.patient(mrn=f"L-{n}", family_name=f"Listed{n}") for n in range(3)]
    client.force_login(world.alice)
    since = _last_sequence()
    assert client.get("/patients/").status_code == 200
    [event] = _new_events(since)
    assert event.action == "patient_list.view"
    listed = set(event.detail["patients"])
    assert {str(p.public_id) for p in [victim.patient, *others]} <= listed
    assert event.detail["patient_count"] == len(listed)


def test_a_page_of_patients_from_the_api_is_one_event_naming_each_of_them(client, victim):
    world = victim.world
    others = [world.patient(mrn=f"A-{n}", family_name=f"Paged{n}") for n in range(3)]
    client.force_login(world.alice)
    since = _last_sequence()
    answer = client.get("/api/v1/patients/", {"page_size": 2, "page": 2})
    assert answer.status_code == 200
    shown = {row["id"] for row in answer.json()["results"]}
    assert len(shown) == 2 and answer.json()["count"] >= 4
    [event] = _new_events(since)
    assert event.action == "patient_list.view"
    assert set(event.detail["patients"]) == shown
    since = _last_sequence()
    assert client.get("/api/v1/patients/", {"page": 99}).json()["results"] == []
    assert _new_events(since) == []  # a page past the end shows, and records, nobody
    assert {str(p.public_id) for p in others} - shown  # the other page's patients not named


def test_a_write_is_not_doubled_by_a_view_event(client, victim):
    """The write's own event names the patient, so the request adds no view event."""
    client.force_login(victim.world.alice)
    since = _last_sequence()
    response = client.post(
        f"/patients/{victim.patient.public_id}/medications/",
        {"name": "Ibuprofen", "drug_class": "nsaid"},
    )
    assert response.status_code == 302, response.content
    assert [e.action for e in _new_events(since)] == ["medication.add"]


def test_the_cli_records_what_it_shows(victim):
    session = TreatmentSession.objects.get(patient=victim.patient)
    since = _last_sequence()
    out = io.StringIO()
    call_command(
        "treatment", "show", "--user", "alice", "--session", str(session.public_id), stdout=out
    )
    assert json.loads(out.getvalue())["version"] == session.version
    [event] = _new_events(since)
    assert event.action == "treatment_session.view"
    assert event.command.startswith("needlerx")
    assert event.patient_public_id == str(victim.patient.public_id)
