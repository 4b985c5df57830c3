from django.apps import AppConfig
from django.core.signals import request_finished


def forget_request_id(**kwargs) -> None:
    from .logging import request_id

    request_id.set("")


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Shared building blocks"

    def ready(self) -> None:
        request_finished.connect(forget_request_id, dispatch_uid="core.request_id")
