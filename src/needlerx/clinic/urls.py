"""Pages under /patients/<patient>/ that belong to the clinician's workflow."""

from __future__ import annotations

from django.urls import path

from needlerx.clinic import followup_pages, measure_pages, plan_pages, session_pages, views

app_name = "clinic"
urlpatterns = [
    path("episodes/<uuid:episode_id>/screen/", views.screen, name="screen"),
    path("screens/<uuid:run_id>/", views.screen_result, name="screen_result"),
    path("episodes/<uuid:episode_id>/progress/", views.progress, name="progress"),
    path("episodes/<uuid:episode_id>/measures/", measure_pages.measures, name="measures"),
    path(
        "episodes/<uuid:episode_id>/measures/<slug:instrument_id>/",
        measure_pages.measure_entry,
        name="measure_entry",
    ),
    path("episodes/<uuid:episode_id>/plan/", plan_pages.plan_page, name="plan"),
    path("plans/<uuid:plan_id>/handout/", plan_pages.handout, name="handout"),
    path("plans/<uuid:plan_id>/<slug:action>/", plan_pages.plan_action, name="plan_action"),
    path("episodes/<uuid:episode_id>/sessions/new/", session_pages.session_new, name="session_new"),
    path("sessions/<uuid:session_id>/", session_pages.session_detail, name="session"),
    path("sessions/<uuid:session_id>/follow-up/", followup_pages.follow_up, name="follow_up"),
    path(
        "sessions/<uuid:session_id>/<slug:step>/",
        session_pages.session_step,
        name="session_step",
    ),
]
