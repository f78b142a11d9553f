"""Reads of patient data, recorded where they happen: in the selectors.

A selector that shows a user a patient's record calls ``audit_read`` (one record) or
``audit_listing`` (a page of patients). Inside a *read scope* (each web or API request, opened by
``AuditMiddleware``; each CLI command, opened by ``ServiceCommand``) the reads are gathered and
written when the scope closes:

- one ``<record>.view`` event per patient whose record was shown, naming the patient and the most
  specific record shown (a session rather than the episode it belongs to), with everything shown
  listed in ``detail["shown"]``; no view event for a patient the same request already wrote an
  event about (the write's own event records the access);
- one ``patient_list.view`` event per scope that listed patients, naming them in
  ``detail["patients"]``;
- a refused request (403, or 404 for an existing record of another clinic) names the patient in
  its ``access.denied`` / ``access.not_found`` event (``refused_patient``).

Outside a scope (a Django shell, a test calling a selector directly) each read is written at once.
"""

from __future__ import annotations

from typing import Any

from needlerx.audit.context import (
    PendingListing,
    PendingView,
    ReadScope,
    current_origin,
    current_read_scope,
)
from needlerx.audit.models import AuditEvent
from needlerx.audit.services import audit_record

# Reads of these are the way to a record, not the record itself: a page that shows a session
# also reads its patient and episode, and its event names the session.
GENERIC_RECORDS = ("patient", "episode")
LISTED_PATIENTS_MAX = 200


def _record_name(obj: Any, what: str) -> str:
    return what or _snake(type(obj).__name__)


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def audit_read(*, actor: Any, actor_role: str, patient: Any, obj: Any, what: str = "") -> None:
    """``actor`` was shown ``obj`` (``what``, e.g. ``progress``) of ``patient``'s record."""
    name = _record_name(obj, what)
    scope = current_read_scope()
    if scope is None:
        _write_view(PendingView(actor, actor_role, patient, {name: obj}), where={})
        return
    view = scope.views.setdefault(
        str(patient.public_id), PendingView(actor=actor, actor_role=actor_role, patient=patient)
    )
    view.shown.setdefault(name, obj)


def audit_read_refused(*, patient: Any) -> None:
    """A selector refused the user ``patient``'s record (another clinic, or not allowed)."""
    scope = current_read_scope()
    if scope is not None and scope.refused is None:
        scope.refused = patient


def audit_listing(*, actor: Any, patients: list[Any], what: str) -> None:
    """``actor`` was shown a page of patients (``what``, e.g. ``patient_list``)."""
    scope = current_read_scope()
    listing = (
        PendingListing(actor=actor)
        if scope is None
        else scope.listing or PendingListing(actor=actor)
    )
    if what not in listing.shown:
        listing.shown.append(what)
    for patient in patients:
        listing.patients.setdefault(str(patient.public_id), None)
    if scope is None:
        _write_listing(listing, where={})
    else:
        scope.listing = listing


def read_scope_close(scope: ReadScope) -> None:
    """Write the scope's view and listing events (see the module docstring)."""
    recorded = _patients_named_by_committed_events(scope)
    for patient_id, view in scope.views.items():
        if patient_id not in recorded:
            _write_view(view, where=scope.where)
    if scope.listing is not None and scope.listing.patients:
        _write_listing(scope.listing, where=scope.where)


def _patients_named_by_committed_events(scope: ReadScope) -> set[str]:
    """Which patients shown in a request's scope an event it wrote names, if the event was
    committed (a write that rolled back took its event with it).

    The events are found by their ids, which the scope kept: the audit trail grows with every
    page anyone opens, and finding them by the request's id read the whole trail (4.7 ms at
    10,000 events on SQLite, and growing with them).
    """
    request_id = current_origin().request_id
    ids = [event_id for event_id, patient in scope.recorded.items() if patient in scope.views]
    if not ids or not request_id:
        return set()
    # The request's id as well: SQLite gives a rolled-back row's id to the next row written.
    events = AuditEvent.objects.filter(pk__in=ids, request_id=request_id).order_by()
    return set(events.values_list("patient_public_id", flat=True))


def _primary(shown: dict[str, Any]) -> tuple[str, Any]:
    specific = [(name, obj) for name, obj in shown.items() if name not in GENERIC_RECORDS]
    if specific:
        return specific[0]
    for name in reversed(GENERIC_RECORDS):
        if name in shown:
            return name, shown[name]
    return next(iter(shown.items()))


def _write_view(view: PendingView, *, where: dict[str, Any]) -> None:
    name, obj = _primary(view.shown)
    audit_record(
        action=f"{name}.view",
        actor=view.actor,
        actor_role=view.actor_role,
        clinic=view.patient.clinic,
        obj=obj,
        patient=view.patient,
        detail={"shown": list(view.shown), **where},
    )


def _write_listing(listing: PendingListing, *, where: dict[str, Any]) -> None:
    patients = list(listing.patients)
    audit_record(
        action="patient_list.view",
        actor=listing.actor,
        detail={
            "shown": listing.shown,
            "patients": patients[:LISTED_PATIENTS_MAX],
            "patient_count": len(patients),
            **where,
        },
    )
