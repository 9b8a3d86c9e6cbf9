"""Forms of the agent workspace: they check shape and turn text into objects; incidents.lifecycle does the rest."""

from __future__ import annotations

import json
import re

from django import forms
from django.db.models import Q, Value
from django.db.models.functions import Concat

from incidents.choices import Level, OnHoldReason, ResolutionCode, State
from incidents.models import Category, ConfigurationItem, Service, Team, User
from incidents.permissions import AGENT_ROLES
from incidents.transitions import allowed_targets

EMAIL_IN_ANGLES = re.compile(r"<([^<>@\s]+@[^<>\s]+)>")


def agents_queryset():
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=AGENT_ROLES) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def find_people(text: str, *, limit: int = 10):
    """Active people whose name, username or email contains `text` (the caller autocomplete)."""
    text = (text or "").strip()
    if len(text) < 2:
        return User.objects.none()
    qs = User.objects.filter(is_active=True).annotate(full=Concat("first_name", Value(" "), "last_name"))
    return qs.filter(Q(username__icontains=text) | Q(email__icontains=text) | Q(full__icontains=text)).order_by(
        "first_name", "last_name", "username"
    )[:limit]


def resolve_person(text: str) -> User:
    """The one active person named by an email, a username, "Name <email>" or an exact full name."""
    text = (text or "").strip()
    if not text:
        raise forms.ValidationError("Choose who reported the incident.")
    match = EMAIL_IN_ANGLES.search(text)
    key = match.group(1) if match else text
    people = User.objects.filter(is_active=True)
    found = list(people.filter(Q(email__iexact=key) | Q(username__iexact=key))[:2])
    if not found:
        found = list(people.annotate(full=Concat("first_name", Value(" "), "last_name")).filter(full__iexact=key)[:2])
    if len(found) > 1:
        raise forms.ValidationError(f"Several people match “{text}”; pick one from the list or type their email.")
    if not found:
        raise forms.ValidationError(f"Nobody called “{text}” is registered; type their email or username.")
    return found[0]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files from one input (the drop zone)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class PrefixedIdsForm(forms.Form):
    """Many forms share the incident page: each gets its own id prefix so labels and ids stay unique."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class VersionedForm(PrefixedIdsForm):
    """Every write carries the version (and the time) it was loaded with, so a stale save is refused."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    loaded_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)


LEVEL_CHOICES = [(Level.HIGH, "High"), (Level.MEDIUM, "Medium"), (Level.LOW, "Low")]


class IncidentCreateForm(forms.Form):
    """Registration by an agent on behalf of a caller."""

    caller = forms.CharField(
        label="Caller",
        max_length=300,
        help_text="Name, username or email; suggestions appear as you type.",
        error_messages={"required": "Choose who reported the incident."},
    )
    short_description = forms.CharField(
        label="Short description",
        max_length=200,
        error_messages={"required": "Say in a few words what is wrong."},
    )
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 5}), required=False)
    service = forms.ModelChoiceField(Service.objects.filter(is_active=True), required=False, empty_label="(none)")
    ci = forms.ModelChoiceField(
        ConfigurationItem.objects.none(), label="Configuration item", required=False, empty_label="(none)"
    )
    category = forms.ModelChoiceField(
        Category.objects.filter(parent__isnull=True, is_active=True), required=False, empty_label="(none)"
    )
    subcategory = forms.ModelChoiceField(Category.objects.none(), required=False, empty_label="(none)")
    impact = forms.ChoiceField(choices=LEVEL_CHOICES, initial=Level.LOW, help_text="How many are affected.")
    urgency = forms.ChoiceField(choices=LEVEL_CHOICES, initial=Level.LOW, help_text="How soon it hurts.")
    assigned_team = forms.ModelChoiceField(
        Team.objects.filter(is_active=True),
        label="Team",
        required=False,
        empty_label="(route automatically)",
    )
    assignee = forms.ModelChoiceField(agents_queryset(), required=False, empty_label="(nobody yet)")
    is_major = forms.BooleanField(label="Major incident", required=False)
    attachments = MultipleFileField(label="Attachments")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = agents_queryset()
        service_id = self.data.get("service") if self.is_bound else None
        category_id = self.data.get("category") if self.is_bound else None
        if service_id and str(service_id).isdigit():
            self.fields["ci"].queryset = ConfigurationItem.objects.filter(service_id=service_id, is_active=True)
        if category_id and str(category_id).isdigit():
            self.fields["subcategory"].queryset = Category.objects.filter(parent_id=category_id, is_active=True)

    def clean_caller(self) -> User:
        return resolve_person(self.cleaned_data["caller"])

    def clean(self):
        data = super().clean()
        if data.get("subcategory") is not None and data.get("category") is None:
            data["category"] = data["subcategory"].parent
        return data

    @property
    def chosen_category(self) -> Category | None:
        return self.cleaned_data.get("subcategory") or self.cleaned_data.get("category")


class IncidentFieldsForm(VersionedForm):
    """The incident's editable fields, edited in place on its page and saved together."""

    id_prefix = "f"

    short_description = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    caller = forms.CharField(max_length=300)
    service = forms.ModelChoiceField(Service.objects.filter(is_active=True), required=False, empty_label="(none)")
    ci = forms.ModelChoiceField(
        ConfigurationItem.objects.filter(is_active=True),
        label="Configuration item",
        required=False,
        empty_label="(none)",
    )
    category = forms.ModelChoiceField(
        Category.objects.filter(is_active=True).select_related("parent"), required=False, empty_label="(none)"
    )
    impact = forms.ChoiceField(choices=LEVEL_CHOICES)
    urgency = forms.ChoiceField(choices=LEVEL_CHOICES)
    reason = forms.CharField(max_length=500, required=False, label="Reason for the change (optional)")
    original = forms.CharField(widget=forms.HiddenInput, required=False)

    EDITABLE = ("short_description", "description", "caller", "service", "ci", "category", "impact", "urgency")

    def __init__(self, *args, service_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = self.data.get("service") if self.is_bound else service_id
        if chosen and str(chosen).isdigit():
            self.fields["ci"].queryset = ConfigurationItem.objects.filter(service_id=chosen, is_active=True)
        elif not self.is_bound:
            self.fields["ci"].queryset = ConfigurationItem.objects.none()

    def clean_caller(self) -> User:
        return resolve_person(self.cleaned_data["caller"])

    @staticmethod
    def initial_for(incident) -> dict:
        return {
            "short_description": incident.short_description,
            "description": incident.description,
            "caller": incident.caller.email or incident.caller.username,
            "service": incident.service_id,
            "ci": incident.ci_id,
            "category": incident.category_id,
            "impact": incident.impact,
            "urgency": incident.urgency,
            "expected_version": incident.version,
            "loaded_at": incident.updated_at,
        }

    def original_values(self) -> dict | None:
        try:
            value = json.loads(self.data.get("original") or "")
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def edited(self) -> list[str]:
        """The fields the agent changed on the page (submitted text differs from what was loaded)."""
        original = self.original_values()
        if original is None:
            return list(self.EDITABLE)
        return [
            name
            for name in self.EDITABLE
            if str(self.data.get(name, "")).replace("\r\n", "\n").strip()
            != str(original.get(name, "")).replace("\r\n", "\n").strip()
        ]

    def changes(self, incident) -> dict:
        """Only what the agent edited and differs from the incident, so nobody else's change is overwritten."""
        data = self.cleaned_data
        return {name: data[name] for name in self.edited() if data.get(name) != getattr(incident, name)}


class TransitionForm(VersionedForm):
    """Moves the incident to one of the states allowed from where it is, with what that state needs."""

    to_state = forms.ChoiceField(choices=State.choices, widget=forms.HiddenInput)
    on_hold_reason = forms.ChoiceField(
        choices=[("", "Choose…"), *OnHoldReason.choices], required=False, label="Waiting for"
    )
    resolution_code = forms.ChoiceField(
        choices=[("", "Choose…"), *ResolutionCode.choices], required=False, label="Resolution code"
    )
    resolution_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Resolution notes (the caller sees them)"
    )
    reason = forms.CharField(max_length=1000, required=False, label="Note (optional)")

    def __init__(self, *args, from_state: str | None = None, **kwargs):
        data = args[0] if args else kwargs.get("data")
        target = (data.get("to_state") if data is not None else None) or kwargs.get("initial", {}).get("to_state", "")
        kwargs.setdefault("auto_id", f"t_{target}_%s")
        super().__init__(*args, **kwargs)
        self.from_state = from_state

    def clean(self):
        data = super().clean()
        target = data.get("to_state")
        if target and self.from_state is not None and target not in allowed_targets(self.from_state):
            self.add_error("to_state", f"{State(target).label} is not possible from {State(self.from_state).label}.")
        if target == State.ON_HOLD and not data.get("on_hold_reason"):
            self.add_error("on_hold_reason", "Say what the incident is waiting for.")
        if target == State.RESOLVED:
            if not data.get("resolution_code"):
                self.add_error("resolution_code", "Choose a resolution code.")
            if not (data.get("resolution_notes") or "").strip():
                self.add_error("resolution_notes", "Describe how the incident was resolved.")
        if target == State.CANCELLED and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why the incident is cancelled.")
        return data


class AssignForm(VersionedForm):
    id_prefix = "assign"
    assigned_team = forms.ModelChoiceField(Team.objects.filter(is_active=True), required=False, label="Team")
    assignee = forms.ModelChoiceField(agents_queryset(), required=False, empty_label="(nobody)")
    note = forms.CharField(max_length=1000, required=False, label="Note (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = agents_queryset()


class EscalateForm(VersionedForm):
    id_prefix = "esc"
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label="Why escalate?")


class MajorForm(VersionedForm):
    id_prefix = "major"
    declare = forms.TypedChoiceField(choices=[("1", "Declare"), ("0", "End")], coerce=lambda v: v == "1")
    reason = forms.CharField(max_length=1000, required=False, label="Reason")


class LinkForm(VersionedForm):
    id_prefix = "link"
    relation = forms.ChoiceField(choices=[("child", "Add a child"), ("parent", "Set the parent")], initial="child")
    other = forms.CharField(max_length=20, label="Incident number", help_text="For example INC0001234.")


class CommentForm(VersionedForm):
    id_prefix = "compose"
    VISIBILITY = [("public", "Public comment"), ("work_note", "Work note")]
    visibility = forms.ChoiceField(choices=VISIBILITY, initial="work_note", widget=forms.RadioSelect)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False, label="Message")
    attachments = MultipleFileField(label="Attachments")

    def clean(self):
        data = super().clean()
        if not (data.get("body") or "").strip() and not data.get("attachments"):
            self.add_error("body", "Write something first.")
        return data


class MajorUpdateForm(PrefixedIdsForm):
    id_prefix = "mu"
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Update for every affected caller")


class WatcherForm(PrefixedIdsForm):
    id_prefix = "watch"
    user = forms.ModelChoiceField(agents_queryset(), required=False, label="Agent")
    watch = forms.TypedChoiceField(choices=[("1", "Watch"), ("0", "Stop watching")], coerce=lambda v: v == "1")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = agents_queryset()


class BulkForm(forms.Form):
    """An action on the selected queue rows; each action asks for what it needs."""

    ACTIONS = [
        ("assign", "Assign"),
        ("state", "Change state"),
        ("raise", "Raise priority"),
        ("lower", "Lower priority"),
        ("note", "Add a work note"),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    ids = forms.MultipleChoiceField(required=False)
    team = forms.ModelChoiceField(Team.objects.filter(is_active=True), required=False, empty_label="(keep)")
    assignee = forms.CharField(required=False, help_text="An agent's id, `me`, or `none` to unassign.")
    to_state = forms.ChoiceField(choices=[("", "Choose…"), *State.choices], required=False, label="New state")
    on_hold_reason = forms.ChoiceField(choices=[("", "Choose…"), *OnHoldReason.choices], required=False)
    resolution_code = forms.ChoiceField(choices=[("", "Choose…"), *ResolutionCode.choices], required=False)
    resolution_notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Work note")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.is_bound:
            self.fields["ids"].choices = [(v, v) for v in self.data.getlist("ids")]

    def clean(self):
        data = super().clean()
        if not data.get("ids"):
            self.add_error("ids", "Select at least one incident.")
        action = data.get("action")
        if action == "assign":
            data["assignee_user"] = None
            data["unassign"] = False
            value = (data.get("assignee") or "").strip().lower()
            if value == "me":
                data["assignee_user"] = self.user
            elif value == "none":
                data["unassign"] = True
            elif value.isdigit():
                data["assignee_user"] = agents_queryset().filter(pk=int(value)).first()
                if data["assignee_user"] is None:
                    self.add_error("assignee", "Choose an active agent.")
            elif value:
                self.add_error("assignee", "Choose an agent, yourself or nobody.")
            if data.get("team") is None and data["assignee_user"] is None and not data["unassign"]:
                self.add_error("team", "Choose a team or an assignee.")
        if action == "state":
            target = data.get("to_state")
            if not target:
                self.add_error("to_state", "Choose the new state.")
            elif target == State.ON_HOLD and not data.get("on_hold_reason"):
                self.add_error("on_hold_reason", "Say what the incidents are waiting for.")
            elif target == State.RESOLVED:
                if not data.get("resolution_code"):
                    self.add_error("resolution_code", "Choose a resolution code.")
                if not (data.get("resolution_notes") or "").strip():
                    self.add_error("resolution_notes", "Describe how the incidents were resolved.")
        if action == "note" and not (data.get("body") or "").strip():
            self.add_error("body", "Write the work note.")
        return data


class SavedViewForm(forms.Form):
    name = forms.CharField(max_length=80, label="View name")
    shared = forms.BooleanField(required=False, label="Share with every agent")
    query = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)
