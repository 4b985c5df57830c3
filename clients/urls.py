from django.urls import path

from . import views
from .models import Candidate, Client, Contact

# The client and candidate lists and the record pages are followups' views (see
# followups/urls.py): they show relationship health and follow-ups.
app_name = "clients"

urlpatterns = [
    path("clients/new/", views.ClientCreateView.as_view(), name="client_create"),
    path(
        "clients/<int:pk>/edit/", views.ClientUpdateView.as_view(), name="client_edit"
    ),
    path(
        "clients/<int:pk>/archive/",
        views.ArchiveView.as_view(model=Client),
        name="client_archive",
    ),
    path("contacts/", views.ContactListView.as_view(), name="contact_list"),
    path("contacts/new/", views.ContactCreateView.as_view(), name="contact_create"),
    path(
        "contacts/<int:pk>/edit/",
        views.ContactUpdateView.as_view(),
        name="contact_edit",
    ),
    path(
        "contacts/<int:pk>/archive/",
        views.ArchiveView.as_view(model=Contact),
        name="contact_archive",
    ),
    path(
        "candidates/new/", views.CandidateCreateView.as_view(), name="candidate_create"
    ),
    path(
        "candidates/<int:pk>/edit/",
        views.CandidateUpdateView.as_view(),
        name="candidate_edit",
    ),
    path(
        "candidates/<int:pk>/archive/",
        views.ArchiveView.as_view(model=Candidate),
        name="candidate_archive",
    ),
]
