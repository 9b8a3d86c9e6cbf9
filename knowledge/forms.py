"""Forms of the knowledge pages; they check shape, knowledge.lifecycle checks the rules."""

from __future__ import annotations

from django import forms

from incidents.models import Category, Service, User
from knowledge.choices import ArticleState, Audience


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), help_text="Symptom and fix."
    )
    body = forms.CharField(
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "true"}),
        help_text="Markdown: **bold**, lists, `code`, [links](https://…), tables.",
    )
    keywords = forms.CharField(required=False, max_length=500, help_text="Comma-separated words people search for.")
    audience = forms.ChoiceField(choices=Audience.choices, initial=Audience.INTERNAL, widget=forms.RadioSelect)
    services = forms.ModelMultipleChoiceField(
        queryset=Service.objects.filter(is_active=True), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    categories = forms.ModelMultipleChoiceField(
        queryset=Category.objects.filter(is_active=True).select_related("parent"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    owner = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True, groups__name__in=["agent", "manager", "admin"]).distinct(),
        required=False,
        help_text="Who keeps it up to date (reminded when it is due for review).",
    )
    change_note = forms.CharField(required=False, max_length=300, label="What changed")


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Publish"), ("reject", "Send back for changes")])
    comment = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Say what needs to change.")
        return data


class CommentForm(forms.Form):
    comment = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(choices=[("yes", "Yes"), ("no", "No")], coerce=lambda v: v == "yes")
    comment = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=300, label="Search")
    service = forms.ModelChoiceField(queryset=Service.objects.filter(is_active=True), required=False)
    category = forms.ModelChoiceField(
        queryset=Category.objects.filter(is_active=True).select_related("parent"), required=False
    )
    audience = forms.ChoiceField(choices=[("", "Any audience"), *Audience.choices], required=False)
    state = forms.ChoiceField(
        choices=[("", "Published"), *[c for c in ArticleState.choices if c[0] != "published"], ("any", "Any state")],
        required=False,
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=50)
