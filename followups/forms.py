from __future__ import annotations

from django import forms

from core.forms import DateInput, validate_reasonable_date

from .models import FollowUp, FollowUpPlan, Kind, PlanRule
from .selectors import reassign_choices


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=FollowUp.Outcome.choices, initial=FollowUp.Outcome.REACHED
    )
    note = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Logged on the person's timeline.",
    )


class SnoozeForm(forms.Form):
    until = forms.DateField(
        label="Snooze until", widget=DateInput(), validators=[validate_reasonable_date]
    )


class ReassignForm(forms.Form):
    to = forms.ModelChoiceField(label="Hand to", queryset=None, empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = reassign_choices(user)


class FollowUpCreateForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ("title", "kind", "due_date", "assigned_to", "talking_points")
        widgets = {
            "due_date": DateInput(),
            "talking_points": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"assigned_to": "For"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = reassign_choices(user)
        self.fields["assigned_to"].initial = user.pk
        self.fields["due_date"].validators.append(validate_reasonable_date)
        self.fields["kind"].initial = Kind.CUSTOM

    def _post_clean(self):
        # The person is set by the view, after validation; skip model validation here
        # (the service runs full_clean()).
        pass


class PlanForm(forms.ModelForm):
    class Meta:
        model = FollowUpPlan
        fields = ("name", "placement_type", "description")
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class RuleForm(forms.ModelForm):
    class Meta:
        model = PlanRule
        fields = ("kind", "target", "anchor", "offset_days", "title", "talking_points")
        widgets = {"talking_points": forms.Textarea(attrs={"rows": 2})}


class PreviewForm(forms.Form):
    start_date = forms.DateField(
        label="Sample start date",
        widget=DateInput(),
        validators=[validate_reasonable_date],
    )
    end_date = forms.DateField(
        label="Sample end date (contracts)",
        widget=DateInput(),
        required=False,
        validators=[validate_reasonable_date],
    )
    guarantee_days = forms.IntegerField(
        label="Guarantee (days)", min_value=0, max_value=3650, initial=90
    )
