from __future__ import annotations

from django.urls import path

from needlerx.bodychart import views

app_name = "bodychart"
urlpatterns = [
    path("episodes/<uuid:episode_id>/body-chart/", views.examine, name="examine"),
]
