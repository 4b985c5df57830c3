from __future__ import annotations

from django import forms

from core.forms import DateTimeInput

from .models import Activity


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ("kind", "occurred_at", "placement", "subject", "note")
        widgets = {
            "occurred_at": DateTimeInput(),
            "note": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"occurred_at": "When", "placement": "About placement"}

    def __init__(self, *args, placements=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["placement"]
        if placements is None:
            del self.fields["placement"]
        else:
            field.queryset = placements
            field.required = False
