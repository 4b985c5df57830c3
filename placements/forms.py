from __future__ import annotations

from django import forms
from django.core.validators import MinValueValidator

from accounts.selectors import assignable_users
from clients.models import Candidate, Client, Contact
from core.forms import (
    DateInput,
    OwnedRecordForm,
    active_or_current,
    validate_reasonable_date,
)

from .models import Job, Placement


class JobForm(OwnedRecordForm):
    owner_choices = staticmethod(assignable_users)

    class Meta:
        model = Job
        fields = (
            "client",
            "title",
            "hiring_contact",
            "status",
            "location",
            "opened_on",
            "owner",
            "description",
        )
        widgets = {
            "opened_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = active_or_current(
            Client.objects.all(), self.instance.client_id
        )
        contacts = active_or_current(
            Contact.objects.select_related("client"), self.instance.hiring_contact_id
        )
        client_id = self.initial.get("client") or self.instance.client_id
        if client_id and not self.is_bound:
            # Offer the known client's people; a submitted form may have changed the
            # client, and clean() says plainly when the contact works elsewhere.
            contacts = contacts.filter(client_id=getattr(client_id, "pk", client_id))
        self.fields["hiring_contact"].queryset = contacts

    def clean(self):
        data = super().clean()
        contact, client = data.get("hiring_contact"), data.get("client")
        if contact and client and contact.client_id != client.pk:
            self.add_error("hiring_contact", f"{contact} does not work at {client}.")
        return data


class PlacementForm(OwnedRecordForm):
    owner_field = "recruiter"
    owner_choices = staticmethod(assignable_users)

    class Meta:
        model = Placement
        fields = (
            "candidate",
            "job",
            "contact",
            "placement_type",
            "start_date",
            "end_date",
            "fee",
            "currency",
            "pay",
            "pay_basis",
            "guarantee_days",
            "recruiter",
            "status",
            "notes",
        )
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"fee": "The agency's fee for this placement."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = active_or_current(
            Candidate.objects.all(), self.instance.candidate_id
        )
        jobs = Job.objects.select_related("client")
        if not self.instance.pk:
            jobs = jobs.filter(client__archived_at__isnull=True)
        self.fields["job"].queryset = jobs
        contacts = active_or_current(
            Contact.objects.select_related("client"), self.instance.contact_id
        )
        job_id = self.initial.get("job") or self.instance.job_id
        if not self.is_bound and job_id:
            # Offer the people at the job's client, not the whole agency's contacts.
            client = Job.objects.filter(pk=job_id).values("client_id")
            contacts = contacts.filter(client_id__in=client)
        self.fields["contact"].queryset = contacts
        # The database refuses negative money too; say so on the field, not as an
        # error of the whole form.
        for name in ("start_date", "end_date"):
            self.fields[name].validators.append(validate_reasonable_date)
        for name in ("fee", "pay"):
            self.fields[name].validators.append(MinValueValidator(0))
            self.fields[name].widget.attrs["min"] = 0
        self.fields["currency"].widget.attrs.update(
            {"maxlength": 3, "class": "text-uppercase"}
        )
        if self.instance.is_ended:
            # An ended placement stays ended: its follow-ups were cancelled, its
            # candidate and job freed. Record a new placement instead.
            self.fields["status"].disabled = True
            self.fields[
                "status"
            ].help_text = "This placement has ended; record a new one if it is back on."
        else:
            # Ending a placement has its own page, which asks for the reason.
            self.fields["status"].choices = [
                c for c in Placement.Status.choices if c[0] in Placement.LIVE_STATUSES
            ]

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(
                "Use a three-letter currency code, such as GBP or EUR."
            )
        return currency

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        kind = data.get("placement_type")
        if (
            kind == Placement.Type.CONTRACT
            and start
            and not end
            and "end_date" not in self.errors
        ):
            self.add_error("end_date", "A contract placement needs an end date.")
        if start and end and end <= start:
            self.add_error("end_date", "The end date must be after the start date.")
        job, contact = data.get("job"), data.get("contact")
        if job and contact and contact.client_id != job.client_id:
            self.add_error("contact", f"{contact} does not work at {job.client}.")
        return data


class PlacementCancelForm(forms.Form):
    status = forms.ChoiceField(
        label="What happened",
        choices=[
            (Placement.Status.CANCELLED, "Cancelled (before or after the start)"),
            (Placement.Status.FELL_OFF, "Fell off (the candidate left or was let go)"),
        ],
        widget=forms.RadioSelect,
        initial=Placement.Status.CANCELLED,
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Shown on the placement and on its cancelled follow-ups.",
    )
