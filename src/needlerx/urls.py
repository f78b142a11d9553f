"""URL map. Patient pages use public UUIDs; the API lives under /api/v1/."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from needlerx.accounts import views as accounts_views
from needlerx.api import api
from needlerx.clinic import views as clinic_views
from needlerx.core import views as core_views

urlpatterns = [
    path("", clinic_views.home, name="home"),
    path("login/", accounts_views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", core_views.health, name="health"),
    path("account/", include("needlerx.accounts.urls")),
    path("audit/", include("needlerx.audit.urls")),
    path("patients/", include("needlerx.patients.urls")),
    path("patients/<uuid:patient_id>/", include("needlerx.clinic.urls")),
    path("patients/<uuid:patient_id>/", include("needlerx.bodychart.urls")),
    path("api/v1/", api.urls),
]
