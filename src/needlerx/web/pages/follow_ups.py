"""The follow-ups due after needling, a page at a time with the true total; the clinic home
shows the first page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from needlerx.accounts.http import request_user
from needlerx.clinical.treatment_rules import FollowUpStatus
from needlerx.core import local
from needlerx.treatments.selectors.followups import (
    FOLLOW_UPS_PER_PAGE,
    FollowUpDue,
    FollowUpPage,
    followups_due_page_for_user,
)
from needlerx.web.pages.links import links_to


def _per_page(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("per_page", FOLLOW_UPS_PER_PAGE))
    except ValueError:
        return FOLLOW_UPS_PER_PAGE


@login_required
def follow_ups(request: HttpRequest) -> HttpResponse:
    user, per_page = request_user(request), _per_page(request)
    page = followups_due_page_for_user(user=user, page=request.GET.get("page"), per_page=per_page)
    if page.number > page.pages:
        page = followups_due_page_for_user(user=user, page=page.pages, per_page=per_page)
    return render(request, "web/follow_ups.html", {"followups_due": follow_ups_context(page)})


def follow_ups_context(page: FollowUpPage) -> dict[str, Any]:
    """The rows of one page, 'first-last of total' and the links to the pages either side."""
    return {
        "rows": _rows(page.items),
        "total": page.total,
        "shown": f"{page.first:,}\N{EN DASH}{page.last:,} of {page.total:,}",
        "previous_url": _page_url(page, page.number - 1) if page.has_previous else "",
        "next_url": _page_url(page, page.number + 1) if page.has_next else "",
    }


def _page_url(page: FollowUpPage, number: int) -> str:
    size = f"&per_page={page.per_page}" if page.per_page != FOLLOW_UPS_PER_PAGE else ""
    return f"{reverse('follow_ups')}?page={number}{size}"


# When the contact is due, in the words of the list ("due · due by ..." said it twice).
DUE_WORDS: dict[FollowUpStatus, str] = {
    "not_yet_due": "not yet due · due by {due_by}",
    "due": "due by {due_by}",
    "overdue": "overdue · was due by {due_by}",
}


def _rows(items: list[FollowUpDue]) -> list[dict[str, Any]]:
    note, record = links_to("clinic:session", 2), links_to("clinic:follow_up", 2)
    return [_row(item, note, record) for item in items]


def _row(item: FollowUpDue, note: Callable[..., str], record: Callable[..., str]) -> dict[str, Any]:
    session, patient = item.session, item.session.patient
    attempts = (
        f" · {item.attempts} attempt{'s' if item.attempts != 1 else ''}" if item.attempts else ""
    )
    due_by = local.format_datetime(item.due_by)
    return {
        "patient": patient,
        "url": note(patient.public_id, session.public_id),
        "record_url": record(patient.public_id, session.public_id),
        "status": item.status,
        "label": DUE_WORDS[item.status].format(due_by=due_by) + attempts,
    }
