"""Codes as words on the session note (decision, severity, technique, side, muscle, aftercare)."""

from __future__ import annotations

from django import template

from needlerx.treatments import words

register = template.Library()
register.filter("muscle_name", words.muscle_words)
register.filter("technique_name", words.technique_words)
register.filter("side_name", words.side_words)
register.filter("aftercare_name", words.aftercare_words)
register.filter("decision_name", words.decision_words)
register.filter("severity_name", words.severity_words)
