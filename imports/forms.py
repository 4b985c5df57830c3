from __future__ import annotations

from django import forms

from .fields import FIELDS
from .models import DateFormat, Kind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="What the file holds", choices=Kind.choices)
    file = forms.FileField(
        label="File",
        help_text="CSV (comma, semicolon or tab; UTF-8 or Windows-1252) or Excel .xlsx; "
        "the first row names the columns.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.xlsx"}),
    )


class MappingForm(forms.Form):
    """One choice of field per column of the file, the date format, and a name to
    keep the mapping under."""

    date_format = forms.ChoiceField(
        label="Dates in this file are written", choices=DateFormat.choices
    )
    save_as = forms.CharField(
        label="Save this mapping as",
        required=False,
        max_length=100,
        help_text="Optional: a name to pick it again for the next file.",
    )

    def __init__(self, *args, kind: str, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", "— ignore this column —")] + [
            (f.name, f.label) for f in FIELDS[kind]
        ]
        self.column_names = []
        for index, header in enumerate(headers):
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                widget=forms.Select(
                    attrs={
                        "class": "form-select form-select-sm",
                        "aria-label": f"Field for column {header}",
                    }
                ),
            )
            self.column_names.append(name)

    def columns(self):
        return [self[name] for name in self.column_names]

    def mapping(self) -> dict[str, str]:
        return {
            header: self.cleaned_data[name]
            for header, name in zip(self.headers, self.column_names, strict=True)
            if self.cleaned_data.get(name)
        }


def initial_for(headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    return {
        f"col_{index}": mapping[header]
        for index, header in enumerate(headers)
        if header in mapping
    }
