"""View building blocks shared by the apps: lists with search, filters, sorting and
pagination; create and edit pages that call a service.

Views stay thin: they parse, check permission through one scoping helper, call a
service or selector and render.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView
from django_filters.views import FilterView

from core.csv_export import csv_response
from core.forms import add_service_errors


def safe_next_url(request, default: str = "") -> str:
    """`next` (posted or in the query string) when it stays on this site: a link to
    another site, or to `javascript:`, is never followed or put on a page."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


# The permission to edit a record (accounts.rules answers it through the rules
# backend): core asks Django, and so never imports the apps that say who may.
EDIT_PERMISSION = "crm.edit_record"


def get_for_edit(user, queryset_or_model, pk):
    """The record `pk` if `user` may edit it, else 404: whoever may not edit a record
    learns nothing about whether it exists."""
    obj = get_object_or_404(queryset_or_model, pk=pk)
    if not user.has_perm(EDIT_PERMISSION, obj):
        raise Http404("No record you may edit here.")
    return obj


# A list's CSV columns: (header, "attribute.path" or a function of the row).
ExportColumn = tuple[str, str | Callable[[Any], Any]]


def export_value(obj: Any, accessor: str | Callable[[Any], Any]) -> Any:
    """`accessor` of `obj`: a function, or a dotted path whose methods are called
    (`client.name`, `get_status_display`); a missing link gives an empty cell."""
    if callable(accessor):
        return accessor(obj)
    value = obj
    for part in accessor.split("."):
        value = getattr(value, part, None)
        if callable(value):
            value = value()
        if value is None:
            return ""
    return value


def csv_export(rows: Iterable[Any], columns: Sequence[ExportColumn], name: str) -> Any:
    """A list as a CSV download, written while the rows are read: pass a
    queryset's `.iterator()` and memory stays flat however long the list. Cells
    a spreadsheet would run as formulas are neutralised (csv_export)."""
    filename = f"{name}-{timezone.localdate().isoformat()}.csv"
    return csv_response(
        filename,
        [header for header, _ in columns],
        ([export_value(obj, a) for _, a in columns] for obj in rows),
        stream=True,
    )


class RecordListView(FilterView):
    """A list with search, filters, sorting and pagination; `?export=csv` downloads
    every row the filters let through (not only this page) in `export_columns`."""

    paginate_by = 25
    strict = False
    title = ""
    create_url_name = ""
    export_columns: Sequence[ExportColumn] = ()

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv" and self.export_columns:
            filterset = self.get_filterset(self.get_filterset_class())
            rows = filterset.qs.iterator(chunk_size=2000)
            return csv_export(rows, self.export_columns, self.title.lower() or "export")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = self.title
        ctx["is_filtered"] = any(v for k, v in self.request.GET.items() if k != "page")
        for field in ctx["filter"].form.fields.values():
            css = (
                "form-select"
                if isinstance(field.widget, forms.Select)
                else "form-control"
            )
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")
        return ctx


class ServiceFormView(FormView):
    """A form whose valid data goes to a service; errors from the service (model
    validation, a database constraint hit by a race) come back onto the form."""

    # FormView would treat PUT as a POST; anything but reading and posting is 405.
    http_method_names = ["get", "post", "head", "options"]
    template_name = "form.html"
    title = ""
    submit_label = "Save"
    success_message = "Saved."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("title", self.title)
        ctx.setdefault("submit_label", self.submit_label)
        ctx.setdefault("next_url", self.get_next_url())
        ctx.setdefault("cancel_url", ctx["next_url"] or self.get_cancel_url())
        return ctx

    def get_next_url(self) -> str:
        return safe_next_url(self.request)

    def get_cancel_url(self) -> str:
        return "/"

    def call_service(self, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.call_service(dict(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        except IntegrityError:
            form.add_error(
                None,
                "This clashes with a record saved at the same moment. Check and try again.",
            )
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class RecordCreateView(ServiceFormView):
    submit_label = "Create"

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        form_fields = self.form_class._meta.fields
        for key, value in self.request.GET.items():
            if key in form_fields and value.isdecimal():
                initial[key] = int(value)
        return initial


class RecordUpdateView(ServiceFormView):
    model: type[models.Model]

    def dispatch(self, request, *args, **kwargs):
        self.object = get_for_edit(request.user, self.model, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Edit {self.object}")
        kwargs.setdefault("object", self.object)
        return super().get_context_data(**kwargs)

    def get_cancel_url(self) -> str:
        return self.object.get_absolute_url()
