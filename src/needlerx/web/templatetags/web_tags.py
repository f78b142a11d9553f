"""Small display filters for the clinician's pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import camel_case_to_spaces

from needlerx.accounts.http import request_user
from needlerx.core import local, units
from needlerx.patient_tasks.selectors import open_check_in_alerts_of
from needlerx.patients.models import Patient
from needlerx.scheduling.times import EN_DASH
from needlerx.treatments import words
from needlerx.treatments.selectors.header import (
    HeaderAlert,
    PatientHeader,
    patient_header_for_user,
)

register = template.Library()


@register.filter
def thousands(value: Any) -> Any:
    """A count as people read it, grouped in thousands (16,667), as the follow-ups page's pager
    writes it; anything but a whole number is left as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return value


@register.filter
def decision_label(decision: str) -> str:
    return words.decision_words(decision)


@register.filter
def severity_label(severity: str) -> str:
    return words.severity_words(severity)


@register.filter
def fact_value(value: Any) -> str:
    """A screening fact's value as a clinician reads it."""
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list):
        return ", ".join(_list_item(item) for item in value) or "none"
    return str(value)


def _list_item(item: Any) -> str:
    """A site (``{"area", "side"}``) or a chosen fact id (a "fact_ids" fact) in a fact's list."""
    if isinstance(item, dict):
        return f"{str(item.get('area', '')).replace('_', ' ')} ({item.get('side', '')})"
    return str(item).replace("_", " ")


@register.filter
def time_range(value: str) -> SafeString:
    """``11:45 AM-12:15 PM`` (with an en dash) that may wrap after the dash but never inside a
    time: a narrow column of the week shows it on two lines rather than spilling out of it."""
    # Joined by hand (format_html_join cost a week of appointments 0.5 ms): each part escaped.
    return mark_safe(  # noqa: S308 - each part is escaped
        EN_DASH.join(f'<span class="nowrap">{escape(part)}</span>' for part in value.split(EN_DASH))
    )


@register.filter
def humanize_id(value: str) -> str:
    return value.replace("_", " ").capitalize()


@register.filter
def technique_label(technique: str) -> str:
    return words.technique_words(technique)


@register.filter
def fact_label(fact_id: str) -> str:
    """A screening fact's label from the fact catalogue ("Takes an anticoagulant")."""
    return words.fact_words(fact_id)


@register.filter
def side_label(side: str) -> str:
    return words.side_words(side)


@register.simple_tag
def guidance_by_item(muscles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each technique-guidance item once, with the planned muscles it concerns."""
    items: dict[str, dict[str, Any]] = {}
    for entry in muscles:
        for item in entry.get("guidance", []):
            row = items.setdefault(item["id"], {**item, "muscles": []})
            name = f"{humanize_id(entry['muscle'])} ({side_label(entry['side'])})"
            if name not in row["muscles"]:
                row["muscles"].append(name)
    return list(items.values())


@register.filter
def when(value: str | None) -> str:
    """An ISO date-time kept in a sealed note in the clinic's time and style, with its zone:
    "Mar 31, 2026, 2:05 PM MDT" (month first) or "2026-03-31 14:05 MDT" (ISO)."""
    if not value:
        return "—"
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return local.format_datetime(moment)


@register.filter
def local_datetime(value: dt.datetime | None) -> str:
    """A stored moment in the clinic's time and style, with the zone's abbreviation."""
    if not isinstance(value, dt.datetime):
        return "" if value is None else str(value)
    return local.format_datetime(value)


@register.filter
def spoken_datetime(value: dt.datetime | None) -> str:
    """A stored moment as a patient reads it (weekday and month in words), in the clinic's zone."""
    if not isinstance(value, dt.datetime):
        return "" if value is None else str(value)
    return local.format_spoken_datetime(value)


@register.filter
def local_date(value: dt.date | dt.datetime | str | None) -> str:
    """A date ("Mar 31, 2026" month first, "2026-03-31" ISO); a moment's date where the
    clinic is; an ISO date or moment kept as text (in a sealed note) likewise."""
    if isinstance(value, str):  # a date or a moment kept as ISO text
        try:
            if len(value) > len("YYYY-MM-DD"):
                return local.format_day_of(dt.datetime.fromisoformat(value))
            return local.format_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return local.format_day_of(value)
    if isinstance(value, dt.date):
        return local.format_date(value)
    return "" if value is None else str(value)


@register.filter
def shown_words(detail: Any) -> str:
    """What a view event showed, in words: "treatment session, patient, episode"."""
    shown = detail.get("shown", []) if isinstance(detail, dict) else []
    return ", ".join(str(name).replace("_", " ") for name in shown)


@register.filter
def record_words(object_type: str) -> str:
    """A record's kind in an audit event in words: "TreatmentSession" -> "treatment session"."""
    return camel_case_to_spaces(object_type)


@register.filter
def action_words(action: str) -> str:
    """An audit action in words: "treatment_session.view" -> "viewed treatment session"."""
    subject, _, verb = action.rpartition(".")
    if subject == "access":
        return {"denied": "refused (not allowed)", "not_found": "refused (not found)"}.get(
            verb, verb.replace("_", " ")
        )
    subject_words = subject.replace("_", " ")
    if verb == "view":
        return f"viewed {subject_words}"
    return f"{subject_words}: {verb.replace('_', ' ')}" if subject else verb.replace("_", " ")


@register.filter
def height_words(centimeters: Decimal | float | None) -> str:
    """A stored height as the clinic reads it: "5 ft 8 in" or "172.7 cm"."""
    if centimeters is None or centimeters == "":
        return ""
    return units.height_words(Decimal(str(centimeters)), us_customary=local.current().us_customary)


@register.filter
def weight_words(kilograms: Decimal | float | None) -> str:
    """A stored weight as the clinic reads it: "165 lb" or "74.8 kg"."""
    if kilograms is None or kilograms == "":
        return ""
    return units.weight_words(Decimal(str(kilograms)), us_customary=local.current().us_customary)


@register.inclusion_tag("web/_patient_alerts.html", takes_context=True)
def patient_alerts(context: template.Context, patient: Patient) -> dict[str, Any]:
    """The patient header's safety alerts for the signed-in user (none for front desk); the
    page's ``patient_facts`` (the patient's screening facts today) when it has worked them out."""
    user = request_user(context["request"])
    header = patient_header_for_user(
        user=user, patient=patient, today=timezone.localdate(), facts=context.get("patient_facts")
    )
    if header.clinical:
        header = PatientHeader(
            clinical=True,
            alerts=[
                *header.alerts,
                *(
                    HeaderAlert(kind="check_in", label="Warning sign in home check-in")
                    for _ in open_check_in_alerts_of(patient=patient)
                ),
            ],
        )
    return {"header": header}
