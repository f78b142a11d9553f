"""URL map: the web pages (``needlerx.web``), the API under /api/v1/ and the health check."""

from __future__ import annotations

from django.urls import include, path

from needlerx.api import api

urlpatterns = [
    path("", include("needlerx.web.urls")),
    path("api/v1/", api.urls),
]
