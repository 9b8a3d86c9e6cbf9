"""Forms of the API token and webhook pages."""

from __future__ import annotations

from django import forms
from rest_framework.exceptions import ValidationError as ApiValidationError

from incidents.integrations import subscriptions
from incidents.integrations.models import TokenScope, WebhookEvent, WebhookSubscription
from incidents.integrations.tokens import MAX_EXPIRY_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What will use it, e.g. 'Alertmanager' or 'Reporting script'.")
    scope = forms.ChoiceField(choices=TokenScope.choices, initial=TokenScope.READ, widget=forms.RadioSelect)
    expires_days = forms.IntegerField(
        label="Expires after (days)",
        required=False,
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        help_text="Leave empty for a token that does not expire.",
    )


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label="URL", max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "events", "is_active"]
        labels = {"url": "URL", "is_active": "Active"}

    def clean_url(self):
        try:
            return subscriptions.clean_url(self.cleaned_data["url"])
        except ApiValidationError as exc:
            raise forms.ValidationError(exc.detail[0]) from None
