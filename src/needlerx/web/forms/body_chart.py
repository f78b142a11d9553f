"""The trigger-point form: parses input; the service validates against the catalogue."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms

from needlerx.bodychart.models import TriggerPointStatus
from needlerx.clinical.reference import muscles_for_new_records


class TriggerPointForm(forms.Form):
    muscle = forms.ChoiceField(choices=[])
    side = forms.ChoiceField(
        choices=[("left", "Left"), ("right", "Right")], widget=forms.RadioSelect
    )
    status = forms.ChoiceField(
        choices=TriggerPointStatus.choices, widget=forms.RadioSelect, label="Trigger point"
    )
    taut_band = forms.BooleanField(required=False, label="Taut band palpable")
    local_twitch_response = forms.BooleanField(required=False, label="Local twitch response")
    referred_pain = forms.BooleanField(required=False, label="Referred pain reproduced")
    referred_pain_pattern = forms.CharField(
        max_length=300,
        required=False,
        label="Referred pain pattern",
        help_text="Where the patient felt it, e.g. “temple and behind the ear”",
    )
    note = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, used_muscles: Iterable[str] = (), **kwargs: Any) -> None:
        """``used_muscles``: muscles the episode's record already uses; a grouped entry (e.g.
        thoracic erector spinae) is offered only when it is one of them."""
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["muscle"])
        field.choices = [("", "Choose a muscle")] + [
            (muscle.id, muscle.name) for muscle in muscles_for_new_records(keep=used_muscles)
        ]
