"""Pages of the imports app: upload, map the columns, read the dry run, confirm,
follow the progress; likely duplicates and merging. Admins and managers only;
anyone else gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from core.csv_export import csv_response
from core.forms import add_service_errors

from . import merge, selectors, services
from .fields import FIELDS, REQUIRED, fields_for
from .forms import MappingForm, UploadForm, initial_for
from .models import ImportJob, Kind

SHOWN_ERRORS = 200
LIST_URLS = {
    "clients": "followups:client_list",
    "contacts": "clients:contact_list",
    "candidates": "followups:candidate_list",
    "placements": "placements:placement_list",
}


@require_http_methods(["GET", "POST"])
def import_list(request):
    """Every import so far, and the form to upload a file."""
    selectors.require_importer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                by=request.user,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("imports:job_mapping", pk=job.pk)
    return render(
        request,
        "imports/import_list.html",
        {
            "form": form,
            "jobs": selectors.import_jobs_for(request.user)[:50],
            "fields": {kind: FIELDS[kind] for kind in Kind.values},
            "kinds": Kind.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def job_mapping(request, pk: int):
    """Which column is which field; the guess is filled in, a saved mapping can
    replace it. Saving starts the dry run."""
    job = selectors.get_import_job_for_user(request.user, pk)
    if job.is_running or job.status == ImportJob.Status.DONE:
        return redirect(job)
    headers = job.preview.get("headers", [])
    saved = selectors.saved_mappings(job.kind)
    chosen = None
    if request.GET.get("mapping", "").isdecimal():
        chosen = saved.filter(pk=request.GET["mapping"]).first()
    mapping = chosen.mapping if chosen else job.mapping
    form = MappingForm(
        request.POST or None,
        kind=job.kind,
        headers=headers,
        initial={
            **initial_for(headers, mapping),
            "date_format": job.date_format,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.import_job_set_mapping(
                job=job,
                by=request.user,
                mapping=form.mapping(),
                date_format=form.cleaned_data["date_format"],
                save_as=form.cleaned_data["save_as"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(job)
    samples = job.preview.get("rows", [])
    columns = [
        (field, [row[index] for row in samples if index < len(row)])
        for index, field in enumerate(form.columns())
    ]
    known = fields_for(job.kind)
    required = [
        " or ".join(" and ".join(known[n].label for n in group) for group in options)
        for options in REQUIRED[job.kind]
    ]
    return render(
        request,
        "imports/job_mapping.html",
        {
            "job": job,
            "form": form,
            "columns": columns,
            "saved": saved,
            "chosen": chosen,
            "required": required,
            "fields": FIELDS[job.kind],
        },
    )


def job_detail(request, pk: int):
    """Where an import stands: its progress, its dry run, or its result."""
    job = selectors.get_import_job_for_user(request.user, pk)
    services.import_job_fail_if_stuck(job=job)
    return render(
        request,
        "imports/job_detail.html",
        {
            "job": job,
            "errors": job.errors[:SHOWN_ERRORS],
            "more_errors": max(0, job.error_count - SHOWN_ERRORS),
            "list_url": reverse(LIST_URLS[job.kind]) + "?sort=-created"
            if job.kind != "placements"
            else reverse(LIST_URLS[job.kind]),
        },
    )


def job_progress(request, pk: int):
    """The progress bar, polled by htmx; once the job has finished, the page
    reloads to show the result."""
    job = selectors.get_import_job_for_user(request.user, pk)
    services.import_job_fail_if_stuck(job=job)
    if not job.is_running:
        return HttpResponseClientRefresh()
    return render(request, "imports/_progress.html", {"job": job})


@require_POST
def job_confirm(request, pk: int):
    job = selectors.get_import_job_for_user(request.user, pk)
    try:
        services.import_job_confirm(job=job, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(job)


@require_POST
def job_retry(request, pk: int):
    """Check the file of a stopped import again, with the same columns."""
    job = selectors.get_import_job_for_user(request.user, pk)
    try:
        services.import_job_retry(job=job, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(job)


def job_errors(request, pk: int):
    """The error report of a dry run or an import, to download."""
    job = selectors.get_import_job_for_user(request.user, pk)
    return csv_response(
        f"import-{job.pk}-errors.csv",
        ["row", "problem"],
        ((e["row"], e["message"]) for e in job.errors),
    )


def duplicates(request):
    """Likely duplicates already in the book, with a way to merge each pair."""
    selectors.require_importer(request.user)
    kind = request.GET.get("kind", "candidates")
    if kind not in merge.MERGEABLE:
        kind = "candidates"
    return render(
        request,
        "imports/duplicates.html",
        {
            "kind": kind,
            "kinds": [(k, k.capitalize()) for k in merge.MERGEABLE],
            "pairs": selectors.likely_duplicates(kind=kind),
        },
    )


@require_http_methods(["GET", "POST"])
def record_merge(request, kind: str, first: int, second: int):
    """Two records side by side; the one chosen stays and takes everything of the
    other."""
    a = selectors.get_mergeable_for_user(request.user, kind, first)
    b = selectors.get_mergeable_for_user(request.user, kind, second)
    if request.method == "POST":
        keep, drop = (b, a) if request.POST.get("keep") == str(b.pk) else (a, b)
        name = str(drop)
        try:
            moved = merge.record_merge(keep=keep, drop=drop, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.path)
        said = ", ".join(f"{n} {label}" for label, n in sorted(moved.items()))
        messages.success(
            request,
            f"{name} is merged into {keep}" + (f": moved {said}." if said else "."),
        )
        return redirect(keep.get_absolute_url())
    return render(
        request,
        "imports/merge.html",
        {
            "kind": kind,
            "records": [
                (
                    obj,
                    selectors.merge_side(obj),
                    merge.merge_preview(keep=other, drop=obj),
                )
                for obj, other in ((a, b), (b, a))
            ],
        },
    )
