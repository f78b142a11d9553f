"""Staff pages for clinic admins: who works in the clinic (role, active, second factor,
dry-needling credential), add someone, change a role, deactivate or reactivate, reset a lost
second factor. Every write goes through ``accounts.services``."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from needlerx.accounts import selectors, services
from needlerx.accounts.http import request_user
from needlerx.accounts.models import Membership, Role, User
from needlerx.accounts.permissions import MANAGE_STAFF
from needlerx.accounts.serializers import STATUS_LABELS
from needlerx.core.errors import ApplicationError, PermissionDenied
from needlerx.web.forms.patients import add_application_error
from needlerx.web.forms.staff import RoleForm, StaffForm


@login_required
def staff(request: HttpRequest) -> HttpResponse:
    """Everyone in each clinic you administer."""
    user, today = request_user(request), timezone.localdate()
    clinics = list(selectors.clinics_where_user_manages_staff(user=user))
    if not clinics:
        raise PermissionDenied("Only a clinic admin can manage staff.")
    sections = [
        {"clinic": clinic, "rows": selectors.staff_of_clinic(user=user, clinic=clinic, on=today)}
        for clinic in clinics
    ]
    context = {
        "sections": sections,
        "roles": Role.choices,
        "status_labels": STATUS_LABELS,
        "me": user,
    }
    return render(request, "accounts/staff.html", context)


@login_required
def staff_new(request: HttpRequest, clinic_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    clinic = selectors.clinic_get_for_admin(user=user, public_id=clinic_id, permission=MANAGE_STAFF)
    form = StaffForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.staff_create(actor=user, clinic=clinic, **form.cleaned_data)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            return _after_create(request, membership)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "clinic": clinic}
    return render(request, "accounts/staff_form.html", context, status=status)


def _after_create(request: HttpRequest, membership: Membership) -> HttpResponse:
    name = _name(membership.user)
    if not membership.user.has_usable_password():
        _send_link(request, request_user(request), membership)
    if membership.role == Role.CLINICIAN:
        messages.success(
            request,
            f"{name} was added as a clinician. Record their dry-needling credential now: "
            "without a current one they cannot record needling.",
        )
        return redirect("accounts:credential_new", membership.user.public_id)
    messages.success(request, f"{name} was added as {membership.get_role_display().lower()}.")
    return redirect("accounts:staff")


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _staff_action(
    request: HttpRequest, membership_id: uuid.UUID, act: Callable[[User, Membership], str]
) -> HttpResponse:
    """Run one change on a staff member; its refusal (e.g. the last admin) shows on the list."""
    user = request_user(request)
    membership = selectors.staff_membership_get(user=user, public_id=membership_id)
    try:
        done = act(user, membership)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("accounts:staff")


@require_POST
@login_required
def staff_role(request: HttpRequest, membership_id: uuid.UUID) -> HttpResponse:
    form = RoleForm(request.POST)

    def act(user: User, membership: Membership) -> str:
        if not form.is_valid():
            raise ApplicationError(f"choose a role: {', '.join(Role.labels)}", field="role")
        changed = services.staff_role_set(
            actor=user, membership=membership, role=form.cleaned_data["role"]
        )
        return f"{_name(changed.user)} is now {changed.get_role_display().lower()}."

    return _staff_action(request, membership_id, act)


def _send_link(request: HttpRequest, user: User, membership: Membership) -> str:
    link = services.staff_password_link(
        actor=user, membership=membership, site_url=request.build_absolute_uri("/")
    )
    sent = f"We emailed it to {link.emailed_to}; " if link.emailed_to else "It was not emailed; "
    messages.info(
        request,
        f"Set-password link for {_name(membership.user)} (works once, for {link.valid_days} "
        f"days): {link.url} — {sent}you can also give it to them yourself.",
    )
    return f"{_name(membership.user)} can choose a password with the link above."


@require_POST
@login_required
def staff_password_link(request: HttpRequest, membership_id: uuid.UUID) -> HttpResponse:
    return _staff_action(
        request, membership_id, lambda user, membership: _send_link(request, user, membership)
    )


@require_POST
@login_required
def staff_deactivate(request: HttpRequest, membership_id: uuid.UUID) -> HttpResponse:
    def act(user: User, membership: Membership) -> str:
        services.staff_deactivate(actor=user, membership=membership)
        return (
            f"{_name(membership.user)} is deactivated: they can no longer sign in, and any "
            "open session has ended. Their records stay."
        )

    return _staff_action(request, membership_id, act)


@require_POST
@login_required
def staff_reactivate(request: HttpRequest, membership_id: uuid.UUID) -> HttpResponse:
    def act(user: User, membership: Membership) -> str:
        services.staff_reactivate(actor=user, membership=membership)
        return f"{_name(membership.user)} can sign in again."

    return _staff_action(request, membership_id, act)


@require_POST
@login_required
def staff_reset_second_factor(request: HttpRequest, membership_id: uuid.UUID) -> HttpResponse:
    def act(user: User, membership: Membership) -> str:
        services.second_factor_reset(actor=user, membership=membership)
        return (
            f"{_name(membership.user)}'s authenticator app was removed. They set up a new one "
            "the next time they sign in."
        )

    return _staff_action(request, membership_id, act)
