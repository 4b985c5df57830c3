from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from clients.models import Candidate, Contact
from core.views import ServiceFormView

from .forms import ActivityForm
from .services import activity_log


class ActivityLogView(ServiceFormView):
    """Log a call, email, meeting or note with one contact or candidate."""

    form_class = ActivityForm
    submit_label = "Log activity"
    success_message = "Activity logged."
    person_model: type[Contact | Candidate] | None = None

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(self.person_model, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        del kwargs["user"]
        kwargs["placements"] = self.person.placements.select_related(
            "client", "candidate"
        )
        kwargs["initial"] = {"placement": self.request.GET.get("placement")}
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs["title"] = f"Log an activity with {self.person}"
        return super().get_context_data(**kwargs)

    def get_cancel_url(self) -> str:
        return self.person.get_absolute_url()

    def call_service(self, data):
        field = "contact" if isinstance(self.person, Contact) else "candidate"
        return activity_log(by=self.request.user, **{field: self.person}, **data)

    def get_success_url(self) -> str:
        return self.person.get_absolute_url()
