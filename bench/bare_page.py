"""The benchmark's baseline: the cheapest signed-in page, mounted beside the app for the run only.

NeedleRx has no signed-in page that does nothing else (``/healthz`` is not signed in and skips the
layout), so the benchmark adds one here and never in the app: ``/bench/bare/`` goes through the
whole middleware stack (session, sign-in, audit, two-factor, CSRF), checks the sign-in like every
page (``login_required``) and renders the site's layout (``base.html``) with no content. Every page
pays at least this, so a page's median divided by this one's is its cost beyond a bare page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

BARE_PAGE_URL = "/bench/bare/"


@login_required
def bare_signed_in_page(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


urlpatterns = [
    path(BARE_PAGE_URL.strip("/") + "/", bare_signed_in_page),
    path("", include("needlerx.urls")),
]
