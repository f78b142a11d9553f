"""Baseline and follow-up measures of an episode: the list of what was recorded, and one entry
form per instrument of the library. Writes go through ``instrument_response_record``."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from needlerx.accounts.http import request_user
from needlerx.accounts.models import User
from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.scoring import instrument_library
from needlerx.clinical.scoring.library import Instrument, get_instrument
from needlerx.clinical.scoring.result import result_with_current_bands
from needlerx.core.errors import ApplicationError, NotFound
from needlerx.instruments import selectors as measure_selectors
from needlerx.instruments.models import InstrumentResponse
from needlerx.instruments.services import instrument_response_record
from needlerx.patients.models import Episode
from needlerx.patients.selectors import episode_get_for_user
from needlerx.treatments.selectors import treatment_session_get_for_user
from needlerx.web.forms.measures import MeasureForm
from needlerx.web.pages.query import uuid_in_query

GROUPS = (
    ("Pain, stiffness and global change", ("nprs", "vas", "stiffness", "groc")),
    ("Disability and function", ("ndi", "odi", "rmdq", "psfs")),
    ("Psychosocial screening", ("startback", "fabq", "pcs")),
    ("Physical measures", ("ppt", "rom", "spasm")),
    ("Medication", ("medication",)),
)


def result_summary(stored: dict[str, Any]) -> str:
    """'40 % (Moderate) · Neck disability (raw) 20 points' from a stored core result; a band
    stored under a former id reads with its current neutral label."""
    result = result_with_current_bands(stored)
    parts = []
    if result.get("score") is not None:
        main = f"{result['score']:g} {result['unit']}"
        if result.get("category_label"):
            main += f" ({result['category_label']})"
        parts.append(main)
    for extra in (result.get("subscales") or {}).values():
        label = f" ({extra['category_label']})" if extra.get("category_label") else ""
        parts.append(f"{extra['label']} {extra['score']:g} {extra['unit']}{label}")
    for extra in (result.get("additional_scores") or {}).values():
        parts.append(f"{extra['label']} {extra['score']:g} {extra['unit']}")
    return " · ".join(parts)


def activity_ratings(instrument: Instrument | None, record: InstrumentResponse) -> list[str]:
    """'Walking 30 minutes: 4' per rated activity of a PSFS; rows stored before activity names
    were recorded read 'Activity 1: 4'."""
    named = instrument.patient_named_items if instrument else None
    if named is None or not isinstance(record.responses, dict):
        return []
    names = record.responses.get(named.field) or {}
    return [
        f"{names.get(item.key) or f'{named.label} {item.key}'}: {record.responses[item.key]:g}"
        for item in (instrument.items if instrument else [])
        if isinstance(record.responses.get(item.key), int | float)
    ]


def _episode(user: User, patient_id: uuid.UUID, episode_id: uuid.UUID, permission: str) -> Episode:
    return episode_get_for_user(
        user=user, public_id=episode_id, permission=permission, patient_id=patient_id
    )


def _back_to_session(request: HttpRequest, user: User, episode: Episode) -> dict[str, str]:
    """``?session=<id>``: the note the clinician came from, to go back to after saving."""
    session_id = uuid_in_query(request, "session")
    if session_id is None:
        return {}
    session = treatment_session_get_for_user(user=user, public_id=session_id)
    if session.episode_id != episode.pk:
        raise NotFound("No such session.")
    url = reverse("clinic:session", args=[episode.patient.public_id, session.public_id])
    return {"session_id": str(session.public_id), "session_url": url}


def _rows(stored: list[InstrumentResponse]) -> list[dict[str, Any]]:
    names = {i.id: i for i in instrument_library()}
    return [
        {
            "record": record,
            "name": names[record.instrument].abbreviation
            if record.instrument in names
            else record.instrument,
            "summary": result_summary(record.result),
            "site": record.series_key.replace("_", " ").replace("/", ", "),
            "activities": activity_ratings(names.get(record.instrument), record),
        }
        for record in stored
    ]


@login_required
def measures(request: HttpRequest, patient_id: uuid.UUID, episode_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    episode = _episode(user, patient_id, episode_id, "measure.view")
    stored = list(measure_selectors.instrument_responses_of(user=user, episode=episode))
    library = {i.id: i for i in instrument_library()}
    context = {
        "patient": episode.patient,
        "episode": episode,
        "groups": [(title, [library[i] for i in ids if i in library]) for title, ids in GROUPS],
        "rows": list(reversed(_rows(stored))),
        "highlight": request.GET.get("saved", ""),
        **_back_to_session(request, user, episode),
    }
    return render(request, "web/measures.html", context)


def _instrument(instrument_id: str) -> Instrument:
    try:
        return get_instrument(instrument_id)
    except ClinicalInputError:
        raise NotFound("No such instrument.") from None


@login_required
def measure_entry(
    request: HttpRequest, patient_id: uuid.UUID, episode_id: uuid.UUID, instrument_id: str
) -> HttpResponse:
    user = request_user(request)
    episode = _episode(user, patient_id, episode_id, "measure.record")
    instrument = _instrument(instrument_id)
    back = _back_to_session(request, user, episode)
    named_baseline = None
    if instrument.patient_named_items is not None:
        named_baseline = measure_selectors.patient_named_baseline(
            user=user, episode_id=episode.public_id, instrument=instrument.id
        )
    measured = set()
    if instrument.id == "ppt":
        measured = measure_selectors.ppt_muscles_measured(user=user, episode_id=episode.public_id)
    form = MeasureForm(
        request.POST or None,
        instrument=instrument,
        named_baseline=named_baseline,
        muscles_measured=measured,
    )
    if request.method == "POST" and form.is_valid():
        try:
            stored = instrument_response_record(
                actor=user,
                episode=episode,
                instrument_id=instrument.id,
                responses=form.responses(),
                taken_at=form.cleaned_data["taken_at"],
            )
        except ApplicationError as error:
            field = form.field_for(error.field)
            form.add_error(field, error.message if field else f"{error.message}")
        else:
            summary = result_summary(stored.result)
            messages.success(request, f"{instrument.abbreviation} saved: {summary}.")
            url = reverse("clinic:measures", args=[patient_id, episode_id])
            query = f"?saved={stored.public_id}"
            if back:
                query += f"&session={back['session_id']}"
            return redirect(f"{url}{query}#measure-{stored.public_id}")
    context = {
        "patient": episode.patient,
        "episode": episode,
        "instrument": instrument,
        "form": form,
        "licensed_text_note": not instrument.licence.item_text_shipped
        and instrument.patient_named_items is None,
        "named_baseline": named_baseline,
        **back,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "web/measure_entry.html", context, status=status)
