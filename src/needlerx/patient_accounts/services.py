"""Writes of patient accounts: the clinic's invitation and the patient choosing a password.

An account is never made by matching a name or a date of birth: staff invite a patient from
the patient's page, the invitation goes to the email address in the patient's record, and only
the holder of that link (single use, expiring) chooses the password. Inviting an active account
again sends a link to choose a new password (the clinic's way to reset a forgotten one).
The patient signs in with the email the invitation went to; their user is ``patient:<email>``,
a name staff usernames cannot take (Django's username rules allow no colon). A patient who forgot
their password asks for a link to choose a new one (``patient_account_reset_request``): it goes
only to the address of an account already in use, and the asker is told the same either way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.accounts.permissions import PATIENT
from needlerx.accounts.selectors import require_permission
from needlerx.audit.services import audit_record
from needlerx.consultations.services import AddressLimit
from needlerx.core.errors import ApplicationError
from needlerx.core.mail import email_sent
from needlerx.patient_accounts.models import PatientAccount
from needlerx.patients.models import Patient

INVITE_VALID_DAYS = 7
INVITE_PERMISSION = "patient.edit_demographics"
USERNAME_PREFIX = "patient:"
EXPIRED = "this invitation has expired or was already used; ask your clinic for a new one"
RESET_VALID_HOURS = 2
# A second request within this time sends nothing more (the first link still works), so nobody
# can fill a patient's inbox by asking again and again.
RESET_RESEND_MINUTES = 5
# Requests for a new password from one client address, counted apart from other public forms.
RESET_REQUESTS = AddressLimit(
    purpose="needlerx.patient_accounts.reset_request",
    limit_setting="PATIENT_PASSWORD_RESETS_PER_WINDOW",
    default_limit=5,
    window_setting="PATIENT_PASSWORD_RESET_WINDOW_MINUTES",
    default_minutes=60,
    audit_action="patient_account.reset_rate_limited",
)


def invite_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def patient_username(email: str) -> str:
    """The user name behind a patient's sign-in email (never a staff user name)."""
    return USERNAME_PREFIX + email.strip().lower()


@dataclass(frozen=True)
class AccountInvite:
    """The invitation's link (shown once to staff, emailed to the patient) and where it went."""

    account: PatientAccount
    url: str
    emailed_to: str  # "" when the mail server refused it
    valid_days: int


def _invite_email(patient: Patient, url: str, again: bool) -> str:
    what = "choose a new password for" if again else "set up"
    return (
        f"Hello {patient.given_name},\n\n"
        f"{patient.clinic.name} invites you to {what} your own account. With it you can see "
        "your home exercises, your next appointments, how you are doing, and the questions "
        "your clinic asks you, in one place.\n\n"
        f"Choose your password here (the link works once, for {INVITE_VALID_DAYS} days):\n\n"
        f"{url}\n\n"
        "If you did not expect this, ignore this email and tell your clinic.\n"
        "If you feel very unwell, call 911 or go to the emergency department; do not wait "
        "for this message.\n"
    )


def _reset_email(patient: Patient, url: str) -> str:
    return (
        f"Hello {patient.given_name},\n\n"
        f"Someone, probably you, asked to choose a new password for your page at "
        f"{patient.clinic.name}.\n\n"
        f"Choose your new password here (the link works once, for {RESET_VALID_HOURS} hours):"
        f"\n\n{url}\n\n"
        "If you did not ask, ignore this email: your password stays as it is. Tell your clinic "
        "if it happens again.\n"
    )


def _send(patient: Patient, body: str, to: str) -> bool:
    return email_sent(subject=f"{patient.clinic.name}: your patient account", body=body, to=to)


@transaction.atomic
def patient_account_invite(*, actor: User, patient: Patient, site_url: str) -> AccountInvite:
    """Invite the patient to their own account (or to choose a new password): a new single-use
    link, valid for INVITE_VALID_DAYS, emailed to the address in their record. A link sent
    earlier stops working."""
    role = require_permission(user=actor, clinic=patient.clinic, permission=INVITE_PERMISSION)
    email = patient.email.strip()
    if not email:
        raise ApplicationError(
            "add the patient's email address first: the invitation goes there", field="email"
        )
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    account = PatientAccount.objects.select_for_update().filter(patient=patient).first()
    again = account is not None and account.user_id is not None
    if account is None:
        account = PatientAccount(patient=patient)
    account.email, account.invited_by, account.invited_at = email, actor, now
    account.invite_token_hash = invite_token_hash(token)
    account.invite_expires_at = now + dt.timedelta(days=INVITE_VALID_DAYS)
    account.save()
    url = site_url.rstrip("/") + reverse("patient_account:welcome", args=[token])
    emailed = _send(patient, _invite_email(patient, url, again), patient.email)
    audit_record(
        action="patient_account.invite",
        actor=actor,
        actor_role=role,
        clinic=patient.clinic,
        obj=account,
        patient=patient,
        detail={
            "emailed": emailed,
            "new_password": again,
            "expires_at": account.invite_expires_at.isoformat(),
        },
    )
    return AccountInvite(account, url, email if emailed else "", INVITE_VALID_DAYS)


def _open_invitation(token: str) -> PatientAccount:
    if not token or len(token) > 100:
        raise ApplicationError(EXPIRED, field="token", code="invite_invalid")
    account = (
        PatientAccount.objects.select_for_update(of=("self",))
        .select_related("patient__clinic", "user")
        .filter(invite_token_hash=invite_token_hash(token))
        .first()
    )
    if account is None:
        raise ApplicationError(EXPIRED, field="token", code="invite_invalid")
    expires = account.invite_expires_at
    if expires is None or timezone.now() >= expires:
        raise ApplicationError(EXPIRED, field="token", code="invite_expired")
    return account


def _user_for(account: PatientAccount) -> User:
    username = patient_username(account.email)
    taken = User.objects.filter(username=username)
    if account.user_id is not None:
        taken = taken.exclude(pk=account.user_id)
    if taken.exists():
        raise ApplicationError(
            "another patient account already uses this email address; ask your clinic",
            field="email",
        )
    user = account.user or User(is_patient=True)
    user.username, user.email = username, account.email
    user.first_name = account.patient.given_name
    user.is_patient, user.is_staff, user.is_superuser = True, False, False
    user.is_active = True  # a closed account reopens with the clinic's new invitation
    return user


@transaction.atomic
def patient_account_accept(*, token: str, password: str) -> User:
    """The patient chooses their password through the invitation link; the link then stops
    working. The password must pass the password policy (the same as staff)."""
    account = _open_invitation(token)
    user = _user_for(account)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field="password") from error
    first_time = account.user_id is None
    user.set_password(password)
    user.save()
    account.user = user
    account.invite_token_hash, account.invite_expires_at = "", None
    account.activated_at = account.activated_at or timezone.now()
    account.closed_at, account.closed_by = None, None
    account.save()
    audit_record(
        action="patient_account.activate" if first_time else "patient_account.password_set",
        actor=user,
        actor_role=PATIENT,
        clinic=account.patient.clinic,
        obj=account,
        patient=account.patient,
    )
    return user


def _recently_sent(account: PatientAccount, now: dt.datetime) -> bool:
    """Whether a reset link went out less than RESET_RESEND_MINUTES ago: its expiry is within
    that much of a link made now (a clinic's invitation, valid for days, is not one)."""
    expires = account.invite_expires_at
    latest = now + dt.timedelta(hours=RESET_VALID_HOURS)
    earliest = latest - dt.timedelta(minutes=RESET_RESEND_MINUTES)
    return expires is not None and earliest < expires <= latest


@transaction.atomic
def patient_account_reset_request(*, email: str, site_url: str) -> bool:
    """A patient who forgot their password asks for a link to choose a new one. When an account
    in use signs in with ``email``, a new single-use link, valid for RESET_VALID_HOURS, goes to
    that account's address (a link sent in the last RESET_RESEND_MINUTES is not sent again) and
    an earlier link stops working. The asker is told the same whatever happened; the result
    (whether a link was sent) is for the caller's tests, never for the page.

    An account still waiting for its first password is left alone: its clinic's invitation is
    the way in, and a stranger's request must not replace it."""
    now = timezone.now()
    account = (
        PatientAccount.objects.select_for_update(of=("self",))
        .select_related("patient__clinic", "user")
        .filter(user__username=patient_username(email), user__is_active=True)
        .first()
    )
    if account is None or _recently_sent(account, now):
        return False
    token = secrets.token_urlsafe(32)
    account.invite_token_hash = invite_token_hash(token)
    account.invite_expires_at = now + dt.timedelta(hours=RESET_VALID_HOURS)
    account.save(update_fields=["invite_token_hash", "invite_expires_at"])
    url = site_url.rstrip("/") + reverse("patient_account:welcome", args=[token])
    patient = account.patient
    emailed = _send(patient, _reset_email(patient, url), account.email)
    audit_record(
        action="patient_account.reset_request",
        actor=account.user,
        actor_role=PATIENT,
        clinic=patient.clinic,
        obj=account,
        patient=patient,
        detail={"emailed": emailed, "expires_at": account.invite_expires_at.isoformat()},
    )
    return True


@transaction.atomic
def patient_account_close(*, actor: User, patient: Patient) -> PatientAccount:
    """Close the patient's account (or withdraw their invitation): they can no longer sign in,
    use a link already sent, or ask for a new password; their records stay as they are. The
    clinic reopens it by inviting them again (they then choose a new password)."""
    role = require_permission(user=actor, clinic=patient.clinic, permission=INVITE_PERMISSION)
    account = PatientAccount.objects.select_for_update().filter(patient=patient).first()
    if account is None or account.closed_at is not None:
        raise ApplicationError("this patient has no open account to close", field="account")
    if account.user is not None:
        account.user.is_active = False
        account.user.save(update_fields=["is_active"])
    account.invite_token_hash, account.invite_expires_at = "", None
    account.closed_at, account.closed_by = timezone.now(), actor
    account.save()
    audit_record(
        action="patient_account.close",
        actor=actor,
        actor_role=role,
        clinic=patient.clinic,
        obj=account,
        patient=patient,
        detail={"was_active": account.user_id is not None},
    )
    return account
