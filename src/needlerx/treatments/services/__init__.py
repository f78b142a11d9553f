"""Every write of the treatment workflow. The web forms, the API and the CLI call these."""

from __future__ import annotations

from needlerx.treatments.services.carry import carried_forward_confirm
from needlerx.treatments.services.consent import (
    consent_record,
    consent_require_for_technique,
    consent_withdraw,
)
from needlerx.treatments.services.events import adverse_event_record, follow_up_record
from needlerx.treatments.services.needling import needling_entry_add, needling_entry_remove
from needlerx.treatments.services.plans import (
    care_plan_create,
    care_plan_goal_add,
    care_plan_update,
    home_exercise_add,
    home_exercise_remove,
)
from needlerx.treatments.services.recheck import (
    technique_guidance_acknowledge,
    treatment_session_precaution_rationale,
    treatment_session_safety_check,
)
from needlerx.treatments.services.sessions import (
    treatment_session_needle_count,
    treatment_session_start,
    treatment_session_take_over,
    treatment_session_update,
)
from needlerx.treatments.services.signing import (
    safety_alert_resolve,
    sign_blockers,
    treatment_session_addendum_add,
    treatment_session_sign,
)

__all__ = [
    "adverse_event_record",
    "care_plan_create",
    "care_plan_goal_add",
    "care_plan_update",
    "carried_forward_confirm",
    "consent_record",
    "consent_require_for_technique",
    "consent_withdraw",
    "follow_up_record",
    "home_exercise_add",
    "home_exercise_remove",
    "needling_entry_add",
    "needling_entry_remove",
    "safety_alert_resolve",
    "sign_blockers",
    "technique_guidance_acknowledge",
    "treatment_session_addendum_add",
    "treatment_session_needle_count",
    "treatment_session_precaution_rationale",
    "treatment_session_safety_check",
    "treatment_session_sign",
    "treatment_session_start",
    "treatment_session_take_over",
    "treatment_session_update",
]
