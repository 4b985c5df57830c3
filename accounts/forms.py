from __future__ import annotations

from django import forms

from .models import User
from .rules import can_get_team_summary

WEEKDAY_CHOICES = [
    ("1", "Monday"),
    ("2", "Tuesday"),
    ("3", "Wednesday"),
    ("4", "Thursday"),
    ("5", "Friday"),
    ("6", "Saturday"),
    ("7", "Sunday"),
]


class ProfileForm(forms.ModelForm):
    digest_days = forms.MultipleChoiceField(
        label="Digest days",
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The days your daily digest is sent.",
    )

    class Meta:
        model = User
        fields = (
            "first_name",
            "last_name",
            "phone",
            "time_zone",
            "digest_enabled",
            "digest_hour",
            "digest_days",
            "digest_when_empty",
            "team_summary_enabled",
        )
        help_texts = {"time_zone": "Due dates and your digest follow this time zone."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model keeps "12345"; the checkboxes want ["1", ..., "5"].
        self.initial["digest_days"] = list(self.instance.digest_days or "")
        if not can_get_team_summary(self.instance):
            del self.fields["team_summary_enabled"]

    def clean_digest_days(self) -> str:
        return "".join(sorted(set(self.cleaned_data["digest_days"])))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("digest_enabled") and cleaned.get("digest_days") == "":
            self.add_error(
                "digest_days",
                "Choose at least one day, or untick “send me a daily digest”.",
            )
        return cleaned


class CodeForm(forms.Form):
    """One code: the authenticator app's six digits or, where `recovery` is true, a
    recovery code too."""

    code = forms.CharField(
        max_length=32,
        error_messages={
            "required": "Enter the code.",
            "max_length": "That is not a code: codes have 6 digits, recovery codes 8 "
            "letters and digits.",
        },
    )

    def __init__(self, *args, recovery: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if recovery:
            field.label = "Code"
            field.help_text = (
                "The 6-digit code your authenticator app shows, or one of your "
                "recovery codes."
            )
        else:
            field.label = "The 6-digit code your app shows"
        field.widget.attrs.update(
            {
                "autocomplete": "one-time-code",
                "autofocus": True,
                "autocapitalize": "none",
                "spellcheck": "false",
                "inputmode": "text" if recovery else "numeric",
            }
        )
