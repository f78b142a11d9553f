"""Security headers, the deployment check, session expiry and CSP-compatible templates."""

from __future__ import annotations

import os
import re
import runpy
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import needlerx

SOURCE = Path(needlerx.__file__).parent


def run_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEEDLERX_")}
    environment.pop("DATABASE_URL", None)
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in-process
    environment.update(
        {"NEEDLERX_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "needlerx.settings", **env}
    )
    return subprocess.run(
        [sys.executable, "-m", "needlerx.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_check(
        tmp_path,
        NEEDLERX_HTTPS="1",
        NEEDLERX_SECRET_KEY=secrets.token_urlsafe(60),
        NEEDLERX_ALLOWED_HOSTS="clinic.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_complains_without_tls(tmp_path):
    result = run_check(tmp_path, NEEDLERX_SECRET_KEY=secrets.token_urlsafe(60))
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr or "security.W008" in result.stderr


def production_settings(monkeypatch, tmp_path: Path, **environment: str) -> dict[str, Any]:
    """needlerx.settings (not the suite's tests.settings) as a server started with exactly
    ``environment`` reads it."""
    for name in [name for name in os.environ if name.startswith("NEEDLERX_")]:
        monkeypatch.delenv(name)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("NEEDLERX_DATA_DIR", str(tmp_path))
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SOURCE / "settings.py"), run_name="production_settings")


def test_production_settings_hash_with_argon2_and_ask_clinic_admins_for_a_second_factor(
    monkeypatch, tmp_path
):
    production = production_settings(monkeypatch, tmp_path)
    assert production["PASSWORD_HASHERS"] == ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    assert production["TWO_FACTOR_REQUIRED_ROLES"] == ["clinic_admin"]
    everyone = production_settings(monkeypatch, tmp_path, NEEDLERX_2FA_FOR_EVERYONE="1")
    assert everyone["TWO_FACTOR_REQUIRED_ROLES"] == ["clinician", "front_desk", "clinic_admin"]


@pytest.mark.parametrize(
    ("environment", "seconds"),
    [({}, 900), ({"NEEDLERX_IDLE_TIMEOUT_MINUTES": "30"}, 1800)],
    ids=["default-15-minutes", "configured-30-minutes"],
)
def test_production_sessions_time_out_after_the_idle_minutes(
    monkeypatch, tmp_path, environment, seconds
):
    production = production_settings(monkeypatch, tmp_path, **environment)
    assert production["SESSION_COOKIE_AGE"] == seconds
    assert production["SESSION_RENEW_EVERY_SECONDS"] == 60  # a minute, for either timeout
    assert production["SESSION_COOKIE_HTTPONLY"] is True


@pytest.mark.parametrize(
    ("environment", "hours"),
    [({}, 12), ({"NEEDLERX_SESSION_MAX_HOURS": "8"}, 8)],
    ids=["default-12-hours", "configured-8-hours"],
)
def test_production_sessions_have_an_absolute_lifetime(monkeypatch, tmp_path, environment, hours):
    production = production_settings(monkeypatch, tmp_path, **environment)
    assert production["SESSION_MAX_HOURS"] == hours
    assert "needlerx.accounts.middleware.SessionLifetimeMiddleware" in production["MIDDLEWARE"]


def test_pages_carry_a_strict_content_security_policy_and_frame_denial(client, world):
    client.force_login(world.alice)
    response = client.get(reverse("patients:list"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_hsts_is_sent_over_tls(settings, world, monkeypatch, tmp_path):
    over_tls = production_settings(monkeypatch, tmp_path, NEEDLERX_HTTPS="1")
    settings.SECURE_HSTS_SECONDS = over_tls["SECURE_HSTS_SECONDS"]
    client = Client()
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_an_idle_session_expires_and_the_next_request_must_sign_in(client, world):
    client.force_login(world.alice)
    assert client.get(reverse("patients:list")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("patients:list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# Data blocks (application/json, the articles' application/ld+json) are never run: CSP allows them.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle\s*=\s*[\"']", re.I)
TEMPLATES = sorted(SOURCE.rglob("templates/**/*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_templates_use_no_inline_script_handler_or_style(template: Path):
    """The CSP forbids them: they would silently not work in the browser."""
    text = template.read_text()
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to a static .js file"
    assert not INLINE_HANDLER.search(text), "inline on...= handler: attach it from a .js file"
    assert not INLINE_STYLE.search(text), "inline style: use a class in the stylesheet"
