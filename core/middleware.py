from __future__ import annotations

import re
import time
import uuid

from django.conf import settings

from . import logging as log_context

# A request id from the proxy is kept when it looks like one (no log injection).
SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give each request an id (the proxy's X-Request-ID when sane), put it on every
    log line written while serving it and on the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.id = given if SANE.match(given) else uuid.uuid4().hex
        # Kept until the request has finished (core.apps clears it then): Django
        # logs a 4xx/5xx answer after the middleware has returned it.
        log_context.request_id.set(request.id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


class SessionIdleMiddleware:
    """Sessions end after SESSION_COOKIE_AGE without a request. Rather than write
    the session on every request (SESSION_SAVE_EVERY_REQUEST), renew it at most
    every SESSION_RENEW_SECONDS: an idle limit of 12 hours then holds to within
    those few minutes, at one write per user per few minutes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get("_renewed_at", 0) >= settings.SESSION_RENEW_SECONDS:
                session["_renewed_at"] = now
        return response


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY as the Permissions-Policy header (the
    browser features no page uses, turned off), unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response
