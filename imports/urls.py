from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/columns/", views.job_mapping, name="job_mapping"),
    path("<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
    path("<int:pk>/retry/", views.job_retry, name="job_retry"),
    path("<int:pk>/errors.csv", views.job_errors, name="job_errors"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path(
        "merge/<slug:kind>/<int:first>/<int:second>/",
        views.record_merge,
        name="merge",
    ),
]
