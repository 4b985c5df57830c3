from __future__ import annotations

from django import forms

from accounts.selectors import assignable_users
from core.forms import OwnedRecordForm, active_or_current

from .models import Candidate, Client, Contact

REFERRAL_FIELDS = ("referred_by_candidate", "referred_by_contact")


class RecordForm(OwnedRecordForm):
    """Contacts, candidates and clients: owned, and possibly referred by someone."""

    owner_choices = staticmethod(assignable_users)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, model in (
            ("referred_by_candidate", Candidate),
            ("referred_by_contact", Contact),
        ):
            if name in self.fields:
                qs = active_or_current(
                    model.objects.all(), getattr(self.instance, f"{name}_id")
                )
                if isinstance(self.instance, model) and self.instance.pk:
                    qs = qs.exclude(pk=self.instance.pk)
                self.fields[name].queryset = qs
        if "client" in self.fields:
            self.fields["client"].queryset = active_or_current(
                Client.objects.all(), getattr(self.instance, "client_id", None)
            )

    def clean(self):
        data = super().clean()
        if data.get("referred_by_candidate") and data.get("referred_by_contact"):
            self.add_error(
                "referred_by_contact", "Choose one referrer: a candidate or a contact."
            )
        return data


class ClientForm(RecordForm):
    class Meta:
        model = Client
        fields = (
            "name",
            "industry",
            "city",
            "country",
            "website",
            "phone",
            "status",
            "owner",
            *REFERRAL_FIELDS,
            "notes",
        )
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ContactForm(RecordForm):
    class Meta:
        model = Contact
        fields = (
            "client",
            "first_name",
            "last_name",
            "job_title",
            "role",
            "email",
            "phone",
            "owner",
            *REFERRAL_FIELDS,
            "notes",
        )
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class CandidateForm(RecordForm):
    class Meta:
        model = Candidate
        fields = (
            "first_name",
            "last_name",
            "email",
            "phone",
            "current_title",
            "city",
            "linkedin_url",
            "status",
            "owner",
            *REFERRAL_FIELDS,
            "notes",
        )
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
