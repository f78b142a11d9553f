"""The JSON API under /api/v1/ (django-ninja); the OpenAPI document is /api/v1/openapi.json.

Each app contributes a router in its own ``api.py``, whose routes declare their answers
(``<app>/responses.py``) and their errors; this module mounts them and maps the one application
error type to the JSON errors they declare (``core.responses.ErrorOut``).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from needlerx.accounts.api import router as accounts_router
from needlerx.clinic_outcomes.api import router as clinic_outcomes_router
from needlerx.consultations.api import router as consultations_router
from needlerx.core.errors import ApplicationError, NotFound, PermissionDenied
from needlerx.core.inputs import first_error
from needlerx.documents.api import router as documents_router
from needlerx.instruments.api import router as instruments_router
from needlerx.patients.api import router as patients_router
from needlerx.scheduling.api import router as scheduling_router
from needlerx.screening.api import router as screening_router
from needlerx.treatments.api import router as treatments_router

api = NinjaAPI(
    title="NeedleRx API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
)
api.add_router("/patients", patients_router)
api.add_router("/", screening_router)
api.add_router("/", treatments_router)
api.add_router("/", instruments_router)
api.add_router("/", accounts_router)
api.add_router("/", scheduling_router)
api.add_router("/", consultations_router)
api.add_router("/", documents_router)
api.add_router("/", clinic_outcomes_router)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    status = 400
    if isinstance(error, PermissionDenied):
        status = 403
    elif isinstance(error, NotFound):
        status = 404
    elif error.code == "conflict":
        status = 409
    return api.create_response(request, {"error": error.to_dict()}, status=status)


@api.exception_handler(NinjaValidationError)
def request_validation_error(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    """Name the first field at fault, as the CLI does for the same input model."""
    field, message = first_error(error.errors)
    return api.create_response(
        request,
        {"error": {"field": field, "message": message, "code": "invalid"}, "details": error.errors},
        status=400,
    )
