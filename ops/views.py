"""Health endpoints for load balancers and monitors: no sign-in needed."""

from __future__ import annotations

import secrets

from celery import current_app
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .selectors import readiness


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers. Touches no database."""
    return HttpResponse("ok", content_type="text/plain")


def _may_see_details(request) -> bool:
    token = settings.READYZ_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    given = given or request.GET.get("token", "")
    return bool(token) and secrets.compare_digest(given, token)


@login_not_required
@never_cache
@require_GET
def readyz(request):
    """Readiness: database migrated, broker, a worker, beat's heartbeat, digests
    not piling up. 503 when one fails; what each check found only with the token
    (READYZ_TOKEN), since it describes the deployment."""
    checks = readiness(app=current_app)
    ok = all(c.ok for c in checks)
    body: dict = {"status": "ok" if ok else "fail"}
    if _may_see_details(request):
        body["checks"] = {c.name: {"ok": c.ok, "detail": c.detail} for c in checks}
    return JsonResponse(body, status=200 if ok else 503)
