import time

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.core.signals import request_finished


def forget_request_id(**kwargs) -> None:
    from .logging import request_id

    request_id.set("")


def session_renewed_at_sign_in(request=None, **kwargs) -> None:
    # Signing in writes the session anyway: the idle clock starts there
    # (core.middleware.SessionIdleMiddleware).
    if request is not None and hasattr(request, "session"):
        request.session["_renewed_at"] = int(time.time())


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Shared building blocks"

    def ready(self) -> None:
        request_finished.connect(forget_request_id, dispatch_uid="core.request_id")
        user_logged_in.connect(session_renewed_at_sign_in, dispatch_uid="core.session")
