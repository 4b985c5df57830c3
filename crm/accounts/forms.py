from __future__ import annotations

from django import forms

from .models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = (
            "first_name",
            "last_name",
            "phone",
            "time_zone",
            "digest_enabled",
            "digest_hour",
        )
        help_texts = {"time_zone": "Due dates and your digest follow this time zone."}
