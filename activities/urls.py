from django.urls import path

from clients.models import Candidate, Contact

from . import views

app_name = "activities"
urlpatterns = [
    path(
        "contacts/<int:pk>/log/",
        views.ActivityLogView.as_view(person_model=Contact),
        name="contact_log",
    ),
    path(
        "candidates/<int:pk>/log/",
        views.ActivityLogView.as_view(person_model=Candidate),
        name="candidate_log",
    ),
]
