"""The clinic outcomes dashboard (``/clinic/outcomes/``) and its CSV files.

Everything is read through the clinic_outcomes selectors: the figures (one clinic-level view
event), one page of the adverse-event register (one listing event naming its patients) and the
CSV export (one export event). A filter that does not fit is shown above the form and the
default figures are shown beneath it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from needlerx.accounts.http import request_user
from needlerx.clinic_outcomes.selectors import (
    ClinicOutcomes,
    adverse_event_register_page,
    clinic_outcomes_export,
    clinic_outcomes_for_user,
)
from needlerx.clinic_outcomes.tables import TABLES, muscle_named, table_for
from needlerx.clinical.clinic_outcomes import clinic_outcomes_text
from needlerx.clinical.safety_rate import GroupRate, Proportion
from needlerx.clinical.scoring.library import adverse_event_rates
from needlerx.clinical.treatment_reference import adverse_event_reference
from needlerx.core.errors import ApplicationError, NotFound, PermissionDenied
from needlerx.web.interval_charts import IntervalRow, interval_chart

FILTERS = ("from", "to", "clinician", "region")
REGISTER_FILTERS = ("severity", "type")
GROUP_WORDS = {"mild": "Mild events", "major": "Significant and serious events"}
# A cell a spreadsheet would run as a formula is written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _raw(request: HttpRequest, names: tuple[str, ...]) -> dict[str, str | None]:
    return {name: request.GET.get(name) or None for name in names}


def _read(request: HttpRequest) -> tuple[ClinicOutcomes, ApplicationError | None]:
    """The figures for the filters asked; on a filter that does not fit, the defaults and why."""
    user, clinic_id = request_user(request), request.GET.get("clinic") or None
    try:
        return clinic_outcomes_for_user(
            user=user, clinic_id=clinic_id, raw=_raw(request, FILTERS)
        ), None
    except (PermissionDenied, NotFound):
        raise
    except ApplicationError as error:
        return clinic_outcomes_for_user(user=user, clinic_id=clinic_id, raw={}), error


@login_required
@require_GET
def outcomes_dashboard(request: HttpRequest) -> HttpResponse:
    outcomes, error = _read(request)
    register_filters = _raw(request, REGISTER_FILTERS)
    try:
        register = adverse_event_register_page(
            user=request_user(request),
            outcomes=outcomes,
            severity=register_filters["severity"] or "",
            event_type=register_filters["type"] or "",
            page=request.GET.get("page"),
        )
    except (PermissionDenied, NotFound):
        raise
    except ApplicationError as register_error:
        error = error or register_error
        register_filters = dict.fromkeys(REGISTER_FILTERS)
        register = adverse_event_register_page(user=request_user(request), outcomes=outcomes)
    status = 400 if error else 200
    context = _context(request, outcomes, register, register_filters, error)
    return render(request, "web/clinic_outcomes.html", context, status=status)


def _query(outcomes: ClinicOutcomes, extra: Mapping[str, str | None] | None = None) -> str:
    values = {"clinic": str(outcomes.clinic.public_id), **outcomes.filters.query(), **(extra or {})}
    return urlencode({key: value for key, value in values.items() if value})


def _context(
    request: HttpRequest,
    outcomes: ClinicOutcomes,
    register: Any,
    register_filters: dict[str, str | None],
    error: ApplicationError | None,
) -> dict[str, Any]:
    query = _query(outcomes)
    register_query = _query(outcomes, register_filters)
    reference = adverse_event_reference()
    return {
        "outcomes": outcomes,
        "filters": outcomes.filters.query(),
        "error": error,
        "regions": [("", "Neck and back"), ("neck", "Neck"), ("back", "Back")],
        "measures": _measures(outcomes),
        "completion_rows": _completion_rows(outcomes),
        "rates": _rates(outcomes),
        "register": register,
        "register_rows": [_register_row(event) for event in register],
        "register_filters": register_filters,
        "severities": [(s.id, s.label) for s in reference.severities],
        "event_types": [(t.id, t.label) for t in reference.types],
        "register_page_url": f"{reverse('outcomes_dashboard')}?{register_query}&page=",
        "csv": {
            name: f"{reverse('outcomes_csv', args=[name])}?"
            + (register_query if name == "adverse_event_register" else query)
            for name in TABLES
        },
        "text": clinic_outcomes_text(),
        "ci_method": adverse_event_rates().confidence_interval,
        "follow_up_hours": reference.follow_up,
    }


def _measures(outcomes: ClinicOutcomes) -> dict[str, Any]:
    rows = [
        IntervalRow(
            f"{share.label} ({share.followed_up:,})",
            share.share.per(100)["value"],
            share.share.per(100)["low"],
            share.share.per(100)["high"],
        )
        for share in outcomes.benefits
        if share.share is not None
    ]
    chart = (
        interval_chart(
            chart_id="measures-chart",
            title="Share of episodes improved beyond the MCID, with 95 % confidence intervals",
            unit="% of episodes with a later measure",
            rows=rows,
            x_max=100,
        )
        if rows
        else None
    )
    shares = [
        {**share.__dict__, "percent": _percent_words(share.share)} for share in outcomes.benefits
    ]
    return {"chart": chart, "shares": shares}


def _percent(share: Proportion | None) -> str:
    return "" if share is None else f"{share.per(100)['value']:.0f} %"


def _interval(share: Proportion | None) -> str:
    if share is None:
        return ""
    shown = share.per(100)
    return f"{shown['low']:.0f} % to {shown['high']:.0f} %"


def _percent_words(share: Proportion | None) -> str:
    if share is None:
        return ""
    return f"{_percent(share)} (95 % CI {_interval(share)})"


def _completion_rows(outcomes: ClinicOutcomes) -> list[dict[str, Any]]:
    safety = outcomes.safety
    rows = [
        (
            "Follow-up calls after needling",
            safety.follow_ups_made,
            safety.follow_ups_due,
            outcomes.follow_up_completion,
        ),
        (
            "Check-ins and questionnaires answered",
            outcomes.tasks_answered,
            outcomes.tasks_closed,
            outcomes.questionnaire_completion,
        ),
    ]
    return [
        {
            "what": what,
            "done": done,
            "due": due,
            "percent": _percent(share),
            "interval": _interval(share),
        }
        for what, done, due, share in rows
    ]


def _rates(outcomes: ClinicOutcomes) -> list[dict[str, Any]]:
    published = adverse_event_rates()
    found = []
    for rate in outcomes.safety.rates:
        rows = [IntervalRow("This clinic", rate.per_1000, rate.ci_low, rate.ci_high)]
        others = [r for r in published.rates if r.group == rate.group]
        rows += [IntervalRow(_short(r.label), r.per_1000, published=True) for r in others]
        found.append(
            {
                "rate": rate,
                "title": GROUP_WORDS.get(rate.group, rate.group),
                "published": others,
                "chart": interval_chart(
                    chart_id=f"rate-{rate.group}",
                    title=f"{GROUP_WORDS.get(rate.group, rate.group)} per 1,000 needling sessions",
                    unit="events per 1,000 needling sessions",
                    rows=rows,
                ),
                "badge": _badge(rate),
            }
        )
    return found


def _short(label: str) -> str:
    """ "Minor adverse events, Boyce 2020" -> "Boyce 2020 (published)"."""
    study = label.split(", ", 1)[-1].split(" (", 1)[0]
    return f"{study} (published)"


def _badge(rate: GroupRate) -> str:
    return {"above": "worse", "below": "improved"}.get(rate.comparison, "not_measured")


def _register_row(event: Any) -> dict[str, Any]:
    reference = adverse_event_reference()
    known = reference.event_type(event.event_type)
    severities = {s.id: s.label for s in reference.severities}
    patient, session = event.patient, event.session
    return {
        "event": event,
        "type": known.label if known else event.event_type,
        "severity": severities.get(event.severity, event.severity),
        "muscle": muscle_named(event) or "Not linked to a needled muscle",
        "patient": patient,
        "session_url": reverse("clinic:session", args=[patient.public_id, session.public_id]),
        "clinician": session.clinician.get_full_name() or session.clinician.get_username(),
    }


@login_required
@require_GET
def outcomes_csv(request: HttpRequest, table: str) -> HttpResponse:
    """One table of the dashboard as a CSV file (audited as an export)."""
    register = _raw(request, REGISTER_FILTERS)
    export = clinic_outcomes_export(
        user=request_user(request),
        clinic_id=request.GET.get("clinic") or None,
        raw=_raw(request, FILTERS),
        table=table,
        tables=TABLES,
        severity=register["severity"] or "",
        event_type=register["type"] or "",
    )
    header, rows = table_for(export, table)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[_cell(value) for value in row] for row in rows])
    filters = export.outcomes.filters
    name = f"{table.replace('_', '-')}-{filters.start.isoformat()}-to-{filters.end.isoformat()}"
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) and not _is_number(value) else value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
