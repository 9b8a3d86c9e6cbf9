"""Forms of the review and subscription pages."""

from __future__ import annotations

from django import forms

from incidents.choices import Priority, Role
from incidents.models import Service, Team, User
from reporting.models import PostIncidentReview, ReportSubscription


class ReviewForm(forms.ModelForm):
    class Meta:
        model = PostIncidentReview
        fields = ["title", "summary", "impact_notes", "root_cause", "contributing_factors", "went_well", "lessons"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields if name != "title"}


class NoteForm(forms.Form):
    at = forms.DateTimeField(label="When", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    body = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


def agents():
    return (
        User.objects.filter(is_active=True, groups__name__in=[Role.AGENT, Role.MANAGER, Role.ADMIN])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class ActionForm(forms.Form):
    description = forms.CharField(max_length=300)
    owner = forms.ModelChoiceField(queryset=User.objects.none())
    due_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = agents()
        self.fields["owner"].label_from_instance = lambda user: user.display_name


class SubscriptionForm(forms.ModelForm):
    team = forms.ModelChoiceField(queryset=Team.objects.all(), required=False, empty_label="All teams")
    service = forms.ModelChoiceField(queryset=Service.objects.all(), required=False, empty_label="All services")
    priority = forms.TypedChoiceField(
        choices=[("", "All priorities"), *Priority.choices], coerce=int, required=False, empty_value=None
    )

    class Meta:
        model = ReportSubscription
        fields = ["frequency", "team", "service", "priority"]
