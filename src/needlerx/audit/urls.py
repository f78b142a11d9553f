from __future__ import annotations

from django.urls import path

from needlerx.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_patient_search, name="patient_search"),
    path("patients/<uuid:patient_id>/", views.audit_patient_trail, name="patient_trail"),
]
