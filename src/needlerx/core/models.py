"""Model bases shared by every app."""

from __future__ import annotations

import uuid

from django.db import models


class PublicModel(models.Model):
    """A record with a public UUID: the only id that appears in URLs, the API and exports."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
