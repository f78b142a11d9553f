"""Every read of the treatment workflow takes the requesting user."""

from __future__ import annotations

from needlerx.treatments.selectors.access import (
    adverse_events_for_episode,
    care_plan_get_for_user,
    care_plans_for_episode,
    care_plans_of,
    consent_get_for_user,
    consents_for_episode,
    home_exercise_get_for_user,
    needling_entry_get_for_user,
    safety_alert_get_for_user,
    sessions_for_episode,
    treatment_session_get_for_user,
)
from needlerx.treatments.selectors.followups import (
    FollowUpDue,
    FollowUpPage,
    followups_due_page_for_user,
)
from needlerx.treatments.selectors.notes import note_content
from needlerx.treatments.selectors.programme import (
    home_exercise_programme,
    home_exercise_programme_for_user,
    treatment_session_billing_for_user,
)
from needlerx.treatments.selectors.seal import (
    note_seal_verify,
    note_seal_verify_for_user,
    sealed_snapshot_of,
)

__all__ = [
    "FollowUpDue",
    "FollowUpPage",
    "adverse_events_for_episode",
    "care_plan_get_for_user",
    "care_plans_for_episode",
    "care_plans_of",
    "consent_get_for_user",
    "consents_for_episode",
    "followups_due_page_for_user",
    "home_exercise_get_for_user",
    "home_exercise_programme",
    "home_exercise_programme_for_user",
    "needling_entry_get_for_user",
    "note_content",
    "note_seal_verify",
    "note_seal_verify_for_user",
    "safety_alert_get_for_user",
    "sealed_snapshot_of",
    "sessions_for_episode",
    "treatment_session_billing_for_user",
    "treatment_session_get_for_user",
]
