from __future__ import annotations

from django.urls import path

from needlerx.accounts import credential_pages, views

app_name = "accounts"
urlpatterns = [
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/set-up/", views.two_factor_enrol, name="two_factor_enrol"),
    path("staff/credentials/", credential_pages.credentials, name="credentials"),
    path(
        "staff/clinicians/<uuid:clinician_id>/credentials/new/",
        credential_pages.credential_new,
        name="credential_new",
    ),
    path(
        "staff/credentials/<uuid:credential_id>/edit/",
        credential_pages.credential_edit,
        name="credential_edit",
    ),
]
