from __future__ import annotations

import re
import uuid

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
