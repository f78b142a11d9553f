from __future__ import annotations

from django.urls import path

from needlerx.patients import views

app_name = "patients"
urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_new, name="new"),
    path("<uuid:patient_id>/", views.patient_detail, name="detail"),
    path("<uuid:patient_id>/evaluation/", views.evaluation, name="evaluation"),
    path("<uuid:patient_id>/medications/", views.medication_add, name="medication_add"),
    path("<uuid:patient_id>/episodes/new/", views.episode_new, name="episode_new"),
]
