from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = "Follow-ups"

    def ready(self):
        # Placement services send `placement_changed`; the plan reacts here.
        from . import receivers  # noqa: F401
