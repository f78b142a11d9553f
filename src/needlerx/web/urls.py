"""Every web page's URL. Patient pages use public UUIDs; the names keep their namespaces."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_GET

from needlerx.web.pages import (
    appointments,
    articles,
    audit_trail,
    body_chart,
    clinic_outcomes,
    clinic_settings,
    consultations,
    credentials,
    documents,
    follow_up,
    follow_ups,
    health,
    home,
    learn,
    measures,
    patient_account,
    patient_tasks,
    patients,
    plan,
    progress,
    screen,
    session,
    set_password,
    sign_in,
    staff,
)

accounts_patterns = [
    path("two-factor/", sign_in.two_factor_verify, name="two_factor_verify"),
    path("two-factor/set-up/", sign_in.two_factor_enrol, name="two_factor_enrol"),
    path("staff/credentials/", credentials.credentials, name="credentials"),
    path(
        "staff/clinicians/<uuid:clinician_id>/credentials/new/",
        credentials.credential_new,
        name="credential_new",
    ),
    path(
        "staff/credentials/<uuid:credential_id>/edit/",
        credentials.credential_edit,
        name="credential_edit",
    ),
    path("staff/", staff.staff, name="staff"),
    path("clinics/<uuid:clinic_id>/staff/new/", staff.staff_new, name="staff_new"),
    path("clinics/<uuid:clinic_id>/settings/", clinic_settings.clinic_settings, name="clinic"),
    path("staff/<uuid:membership_id>/role/", staff.staff_role, name="staff_role"),
    path("staff/<uuid:membership_id>/deactivate/", staff.staff_deactivate, name="staff_deactivate"),
    path("staff/<uuid:membership_id>/reactivate/", staff.staff_reactivate, name="staff_reactivate"),
    path(
        "staff/<uuid:membership_id>/set-password-link/",
        staff.staff_password_link,
        name="staff_password_link",
    ),
    path("set-password/<uidb64>/<token>/", set_password.set_password, name="set_password"),
    path(
        "staff/<uuid:membership_id>/reset-second-factor/",
        staff.staff_reset_second_factor,
        name="staff_reset_second_factor",
    ),
]

audit_patterns = [
    path("", audit_trail.audit_patient_search, name="patient_search"),
    path("patients/<uuid:patient_id>/", audit_trail.audit_patient_trail, name="patient_trail"),
]

patient_patterns = [
    path("", patients.patient_list, name="list"),
    path("new/", patients.patient_new, name="new"),
    path("<uuid:patient_id>/", patients.patient_detail, name="detail"),
    path("<uuid:patient_id>/edit/", patients.patient_edit, name="edit"),
    path("<uuid:patient_id>/evaluation/", patients.evaluation, name="evaluation"),
    path("<uuid:patient_id>/medications/", patients.medication_add, name="medication_add"),
    path("<uuid:patient_id>/episodes/new/", patients.episode_new, name="episode_new"),
    path("<uuid:patient_id>/account/", patient_account.account_invite, name="account"),
]

# A patient's own account (signed in with email and password, from the clinic's invitation).
patient_account_patterns = [
    path("", patient_account.home, name="home"),
    path("login/", patient_account.PatientSignInView.as_view(), name="login"),
    path("welcome/<str:token>/", patient_account.welcome, name="welcome"),
    path("forgot-password/", patient_account.forgot_password, name="forgot_password"),
    path("tasks/<uuid:task_id>/", patient_account.task, name="task"),
]

body_chart_patterns = [
    path("episodes/<uuid:episode_id>/body-chart/", body_chart.examine, name="examine"),
]

# The clinician's workflow under /patients/<patient>/.
care_patterns = [
    path("episodes/<uuid:episode_id>/screen/", screen.screen, name="screen"),
    path("screens/<uuid:run_id>/", screen.screen_result, name="screen_result"),
    path("episodes/<uuid:episode_id>/progress/", progress.progress, name="progress"),
    path("episodes/<uuid:episode_id>/measures/", measures.measures, name="measures"),
    path(
        "episodes/<uuid:episode_id>/measures/<slug:instrument_id>/",
        measures.measure_entry,
        name="measure_entry",
    ),
    path(
        "episodes/<uuid:episode_id>/documents/<slug:kind>/",
        documents.episode_document,
        name="episode_document",
    ),
    path("episodes/<uuid:episode_id>/plan/", plan.plan_page, name="plan"),
    path("plans/<uuid:plan_id>/handout/", plan.handout, name="handout"),
    path("plans/<uuid:plan_id>/<slug:action>/", plan.plan_action, name="plan_action"),
    path("episodes/<uuid:episode_id>/sessions/new/", session.session_new, name="session_new"),
    path("sessions/<uuid:session_id>/", session.session_detail, name="session"),
    path("sessions/<uuid:session_id>/follow-up/", follow_up.follow_up, name="follow_up"),
    path(
        "sessions/<uuid:session_id>/documents/<slug:kind>/",
        documents.session_document,
        name="session_document",
    ),
    path("sessions/<uuid:session_id>/<slug:step>/", session.session_step, name="session_step"),
]

patient_task_patterns = [
    path("", patient_tasks.patient_tasks, name="list"),
    path("<uuid:task_id>/", patient_tasks.task_review, name="review"),
]

appointment_patterns = [
    path("", appointments.appointment_day, name="day"),
    path("week/", appointments.appointment_week, name="week"),
    path("new/", appointments.appointment_new, name="new"),
    path("<uuid:appointment_id>/", appointments.appointment_detail, name="detail"),
]

# Public articles for patients (no sign-in) and the staff pages that edit and publish them.
learn_patterns = [
    path("", learn.learn_index, name="index"),
    path("feed.atom", learn.article_feed, name="feed"),
    path("tags/<slug:tag>/", learn.learn_tag, name="tag"),
    path("<slug:slug>/", learn.learn_article, name="article"),
]

article_patterns = [
    path("", articles.article_list, name="list"),
    path("<slug:slug>/edit/", articles.article_edit, name="edit"),
    path("<slug:slug>/preview/", articles.article_preview, name="preview"),
    path("<slug:slug>/publish/", articles.article_publish, name="publish"),
    path("<slug:slug>/unpublish/", articles.article_unpublish, name="unpublish"),
]

consultation_patterns = [
    path("self-check/", consultations.self_check, name="self_check"),
    path("request-a-consultation/", consultations.consultation_request, name="request"),
    path("request-a-consultation/sent/", consultations.consultation_request_sent, name="sent"),
    path("consultations/", consultations.consultation_queue, name="queue"),
    path("consultations/<uuid:request_id>/", consultations.consultation_detail, name="detail"),
    path(
        "consultations/<uuid:request_id>/status/",
        consultations.consultation_status,
        name="status",
    ),
    path("consultations/<uuid:request_id>/book/", consultations.consultation_book, name="book"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("learn/", include((learn_patterns, "learn"))),
    path("articles/", include((article_patterns, "articles"))),
    path("sitemap.xml", require_GET(sitemap), {"sitemaps": learn.SITEMAPS}, name="sitemap"),
    path("login/", sign_in.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("follow-ups/", follow_ups.follow_ups, name="follow_ups"),
    path("clinic/outcomes/", clinic_outcomes.outcomes_dashboard, name="outcomes_dashboard"),
    path("clinic/outcomes/<slug:table>.csv", clinic_outcomes.outcomes_csv, name="outcomes_csv"),
    path("healthz", health.health, name="health"),
    # A patient's task from home: the link's random token is the only key (no sign-in).
    path("my/<str:token>/", patient_tasks.my_task, name="my_task"),
    path("me/", include((patient_account_patterns, "patient_account"))),
    path("account/", include((accounts_patterns, "accounts"))),
    path("audit/", include((audit_patterns, "audit"))),
    path("appointments/", include((appointment_patterns, "appointments"))),
    path("patients/", include((patient_patterns, "patients"))),
    path("patients/<uuid:patient_id>/", include((care_patterns, "clinic"))),
    path("patients/<uuid:patient_id>/", include((body_chart_patterns, "bodychart"))),
    path("", include((consultation_patterns, "consultations"))),
    path("patients/<uuid:patient_id>/tasks/", include((patient_task_patterns, "patient_tasks"))),
]
