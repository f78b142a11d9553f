"""Links to many records of one kind on a page, with the URL reversed once: reversing costs
about as much as the rest of a row, and a week of appointments has fifty rows."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.urls import reverse


def links_to(name: str, parameters: int = 1) -> Callable[..., str]:
    """``links_to("appointments:detail")(public_id)`` is ``reverse("appointments:detail",
    args=[public_id])``: the URL named ``name``, whose ``parameters`` are public ids, filled in
    with the ids given. Made per request, so the script prefix is the request's."""
    marks = [str(uuid.UUID(int=number + 1)) for number in range(parameters)]
    template = reverse(name, args=marks).replace("{", "{{").replace("}", "}}")
    for number, mark in enumerate(marks):
        template = template.replace(mark, f"{{{number}}}")
    return template.format
