"""The portal's forms, in the words a requester uses (no impact, urgency or priority)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Value
from django.db.models.functions import Coalesce, Lower, NullIf

from incidents.choices import Level
from incidents.models import Service
from incidents.portal.preferences import PREFERENCE_FIELDS, PREFERENCE_HELP
from incidents.portal.rating import SCORES

HOW_BAD = [
    (Level.HIGH, "I can't work at all"),
    (Level.MEDIUM, "I can work, but slower or with a workaround"),
    (Level.LOW, "It's a nuisance, there's no rush"),
]
WHO_ELSE = [
    (Level.LOW, "Just me"),
    (Level.MEDIUM, "Several people, or my whole team"),
]
MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files (up to MAX_FILES), each checked against the attachment limits."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"Attach at most {MAX_FILES} files at a time.")
        errors = []
        for upload in files:
            super().clean(upload, initial)
            content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip()
            if upload.size > settings.ATTACHMENT_MAX_BYTES:
                limit = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024) or 1
                errors.append(f"{upload.name} is too big: files can be up to {limit} MB.")
            elif content_type not in settings.ATTACHMENT_ALLOWED_TYPES:
                errors.append(f"We can't accept {upload.name}: try a picture, a PDF, a text or an Office file.")
        if errors:
            raise forms.ValidationError(errors)
        return files


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Service) -> str:
        return obj.friendly_name


class ReportForm(forms.Form):
    """Report a problem."""

    short_description = forms.CharField(
        label="What is wrong?",
        max_length=200,
        error_messages={"required": "Tell us in a few words what is wrong."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "For example: I can't open my email"}),
    )
    description = forms.CharField(
        label="Tell us more",
        required=False,
        max_length=20000,
        help_text="What were you doing? What did you expect? Any error message?",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    service = ServiceChoiceField(
        label="What is it about?", queryset=Service.objects.none(), required=False, empty_label="I'm not sure"
    )
    how_bad = forms.ChoiceField(
        label="How badly does this stop your work?",
        choices=HOW_BAD,
        widget=forms.RadioSelect,
        error_messages={"required": "Tell us how badly this stops your work."},
    )
    who_else = forms.ChoiceField(
        label="Who else is affected?", choices=WHO_ELSE, initial=Level.LOW, widget=forms.RadioSelect, required=False
    )
    attachments = MultipleFileField(label="Add screenshots or files", help_text="Optional.")
    session_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        friendly = Lower(Coalesce(NullIf("portal_name", Value("")), "name"))
        self.fields["service"].queryset = Service.objects.filter(is_active=True).order_by(friendly)

    def clean_short_description(self) -> str:
        value = self.cleaned_data["short_description"].strip()
        if not value:
            raise forms.ValidationError("Tell us in a few words what is wrong.")
        return value


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Write a reply", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = MultipleFileField(label="Add files")

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("body") or "").strip() and not cleaned.get("attachments") and not self.errors:
            raise forms.ValidationError("Write something or add a file first.")
        return cleaned


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="What is still wrong?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Tell us what is still wrong, so we can pick it up again."},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label="Why? (optional)", required=False, max_length=1000)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        choices=SCORES, coerce=int, error_messages={"required": "Choose how we did, from 1 to 5."}
    )
    comment = forms.CharField(label="Anything you want to tell us? (optional)", required=False, max_length=5000)
    t = forms.CharField(widget=forms.HiddenInput, required=False)


class PreferencesForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "confirmations": "When I report a problem",
            "replies": "When someone writes to me about a problem",
            "status_changes": "When the status of my problem changes",
            "solved": "When my problem is fixed",
        }
        for name in PREFERENCE_FIELDS:
            self.fields[name] = forms.BooleanField(label=labels[name], required=False, help_text=PREFERENCE_HELP[name])
