"""Small form helpers shared by every app's forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

# Whether a user may make someone else a record's owner (accounts.rules answers it
# through the rules backend).
CHOOSE_OWNER_PERMISSION = "crm.choose_owner"


def active_or_current(queryset: QuerySet, current_pk: int | None) -> QuerySet:
    """Records that are not archived, plus the one already chosen: editing a record
    must not fail because something it points to was archived since."""
    condition = Q(archived_at__isnull=True)
    if current_pk:
        condition |= Q(pk=current_pk)
    return queryset.filter(condition)


def validate_reasonable_date(value) -> None:
    """Dates a recruiter's work can have; far ones would overflow date arithmetic."""
    if value is not None and not 1900 <= value.year <= 2200:
        raise forms.ValidationError("Enter a date between the years 1900 and 2200.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kwargs)


class OwnedRecordForm(forms.ModelForm):
    """A form for a record with an owner: only people the user may assign are offered,
    and a recruiter (who may only assign themselves) does not see the field.

    Whom a user may assign is a question of users and teams, which core does not
    know: each form names its query in `owner_choices` (a function of the user), and
    whether to offer a choice at all is the "crm.choose_owner" permission."""

    owner_field = "owner"
    owner_choices: Callable[[Any], QuerySet]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields.get(self.owner_field)
        if field is not None:
            if user.has_perm(CHOOSE_OWNER_PERMISSION):
                field.queryset = self.owner_choices(user)
                field.required = False
                field.help_text = "Empty means you."
            else:
                del self.fields[self.owner_field]

    def clean(self):
        data = super().clean()
        if self.owner_field in self.fields and not data.get(self.owner_field):
            data[self.owner_field] = (
                getattr(self.instance, self.owner_field, None)
                if self.instance.pk
                else self.user
            )
        return data


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's validation errors on the form: on the field they name when the
    form has it, else on the whole form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
