"""The clinic home: what needs the clinician's attention today."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from needlerx.accounts.http import request_user
from needlerx.web import home_sections


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    context = home_sections.clinic_home(user=user, today=timezone.localdate())
    return render(request, "web/home.html", context)
