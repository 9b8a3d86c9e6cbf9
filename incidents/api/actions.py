"""What one does to an incident over the API; each endpoint calls the incidents.lifecycle function for it."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from incidents import lifecycle
from incidents.api.concurrency import etag, expected_version
from incidents.api.errors import PayloadTooLarge
from incidents.api.idempotency import idempotent
from incidents.api.lookup import find_incident, incident_queryset, incident_response
from incidents.api.pagination import KeysetPagination
from incidents.api.schema import IDEMPOTENCY_KEY, IF_MATCH, errors
from incidents.api.serializers import (
    AssignSerializer,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    ChildLinkSerializer,
    EscalateSerializer,
    IncidentDetailSerializer,
    IncidentSerializer,
    NoteCreateSerializer,
    TimelineEntrySerializer,
    TransitionSerializer,
    UserRefSerializer,
    WatcherSerializer,
)
from incidents.choices import EntryKind, State
from incidents.errors import StaleVersionError
from incidents.lifecycle import UNSET
from incidents.models import Attachment, Incident, TimelineEntry
from incidents.permissions import can_act_as_caller, can_cancel_as_caller, is_agent, visible_incidents

UPLOAD_OVERHEAD = 64 * 1024  # multipart boundaries and headers around the file


class TimelinePagination(KeysetPagination):
    ordering_fields = ("created_at", "id")
    default_ordering = "created_at"


def _require_agent(request, what: str) -> None:
    if not is_agent(request.user):
        raise PermissionDenied(f"Only agents can {what}.")


def _check_if_match(request, incident: Incident) -> None:
    """For lifecycle calls without expected_version: lock the row and compare here (call inside a transaction)."""
    expected = expected_version(request, incident)
    if expected is None:
        return
    current = Incident.objects.select_for_update().filter(pk=incident.pk).values_list("version", flat=True).first()
    if current != expected:
        raise StaleVersionError(expected=expected, current=current or 0)


def _body(request, serializer_class, **context):
    serializer = serializer_class(data=request.data, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _note_response(request, entry: TimelineEntry, status_code: int = 201) -> Response:
    incident = Incident.objects.only("pk", "version").get(pk=entry.incident_id)
    return Response(
        TimelineEntrySerializer(entry, context={"request": request}).data,
        status=status_code,
        headers={"ETag": etag(incident)},
    )


def _timeline_page(view, request, queryset):
    paginator = TimelinePagination()
    page = paginator.paginate_queryset(queryset.select_related("actor"), request, view=view)
    data = TimelineEntrySerializer(page, many=True, context={"request": request}).data
    return paginator.get_paginated_response(data)


class IncidentActionsMixin:
    """Endpoints under /incidents/{ref}/; `ref` is an id or a number such as INC0001234."""

    # --- state, assignment, escalation ------------------------------------------------------------------------

    @extend_schema(
        summary="Move to another state",
        description="Agents move along the lifecycle. The caller may reopen a resolved incident (with a reason), "
        "confirm it (closed) or withdraw a new one (cancelled).",
        request=TransitionSerializer,
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
        responses={200: IncidentDetailSerializer, **errors(400, 404, 409, 412, 422)},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, ref=None):
        return idempotent(request, lambda: self._transition(request))

    def _transition(self, request) -> Response:
        incident = self.get_object()
        data = _body(request, TransitionSerializer)
        target = data["state"]
        version = expected_version(request, incident)
        if not is_agent(request.user):
            if (
                target == State.IN_PROGRESS
                and incident.state == State.RESOLVED
                and can_act_as_caller(request.user, incident)
            ):
                incident = lifecycle.incident_reopen(
                    incident=incident, actor=request.user, reason=data["reason"], expected_version=version
                )
                return incident_response(request, incident)
            allowed = (target == State.CANCELLED and can_cancel_as_caller(request.user, incident)) or (
                target == State.CLOSED
                and incident.state == State.RESOLVED
                and can_act_as_caller(request.user, incident)
            )
            if not allowed:
                raise PermissionDenied(
                    "As the caller you can reopen or confirm a resolved incident, or withdraw a new one."
                )
        incident = lifecycle.incident_transition(
            incident=incident,
            actor=request.user,
            to_state=target,
            on_hold_reason=data["on_hold_reason"],
            resolution_code=data["resolution_code"],
            resolution_notes=data["resolution_notes"],
            reason=data["reason"],
            expected_version=version,
        )
        return incident_response(request, incident)

    @extend_schema(
        summary="Assign to a team and/or a person (agents)",
        request=AssignSerializer,
        parameters=[IF_MATCH],
        responses={200: IncidentDetailSerializer, **errors(400, 404, 409, 412)},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, ref=None):
        incident = self.get_object()
        _require_agent(request, "assign incidents")
        data = _body(request, AssignSerializer)
        incident = lifecycle.incident_assign(
            incident=incident,
            actor=request.user,
            team=data.get("team", UNSET),
            assignee=data.get("assignee", UNSET),
            note=data["note"],
            expected_version=expected_version(request, incident),
        )
        return incident_response(request, incident)

    @extend_schema(
        summary="Escalate to the team's escalation team (agents)",
        request=EscalateSerializer,
        parameters=[IF_MATCH],
        responses={200: IncidentDetailSerializer, **errors(400, 404, 409, 412)},
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request, ref=None):
        incident = self.get_object()
        _require_agent(request, "escalate incidents")
        data = _body(request, EscalateSerializer)
        incident = lifecycle.incident_escalate(
            incident=incident,
            actor=request.user,
            reason=data["reason"],
            expected_version=expected_version(request, incident),
        )
        return incident_response(request, incident)

    # --- conversation ------------------------------------------------------------------------------------------

    def _notes(self, request, *, public: bool):
        incident = self.get_object()
        if not public:
            _require_agent(request, "read or write work notes")
        if request.method == "GET":
            kind = EntryKind.COMMENT if public else EntryKind.WORK_NOTE
            return _timeline_page(self, request, incident.timeline.filter(kind=kind))

        def add() -> Response:
            data = _body(request, NoteCreateSerializer)
            entry = lifecycle.incident_comment(
                incident=incident,
                actor=request.user,
                body=data["body"],
                public=public,
                expected_version=expected_version(request, incident),
            )
            return _note_response(request, entry)

        return idempotent(request, add)

    @extend_schema(
        methods=["GET"],
        summary="Public comments",
        responses={200: TimelineEntrySerializer(many=True), **errors(400, 404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a public comment (the caller sees it)",
        request=NoteCreateSerializer,
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
        responses={201: TimelineEntrySerializer, **errors(400, 404, 409, 412, 422)},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=TimelinePagination, filter_backends=[])
    def comments(self, request, ref=None):
        return self._notes(request, public=True)

    @extend_schema(
        methods=["GET"],
        summary="Work notes (agents)",
        responses={200: TimelineEntrySerializer(many=True), **errors(400, 404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a work note (agents; callers never see it)",
        request=NoteCreateSerializer,
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
        responses={201: TimelineEntrySerializer, **errors(400, 404, 409, 412, 422)},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="work-notes",
        pagination_class=TimelinePagination,
        filter_backends=[],
    )
    def work_notes(self, request, ref=None):
        return self._notes(request, public=False)

    @extend_schema(
        summary="The timeline (requesters see public entries only)",
        responses={200: TimelineEntrySerializer(many=True), **errors(400, 404)},
    )
    @action(detail=True, methods=["get"], pagination_class=TimelinePagination, filter_backends=[])
    def timeline(self, request, ref=None):
        incident = self.get_object()
        entries = incident.timeline.all()
        if not is_agent(request.user):
            entries = entries.filter(is_public=True)
        return _timeline_page(self, request, entries)

    # --- attachments ---------------------------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"], summary="Attachments", responses={200: AttachmentSerializer(many=True), **errors(404)}
    )
    @extend_schema(
        methods=["POST"],
        summary="Upload an attachment (multipart/form-data)",
        request={"multipart/form-data": AttachmentUploadSerializer},
        parameters=[IF_MATCH],
        responses={201: AttachmentSerializer, **errors(400, 404, 409, 412, 413, 415)},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
        filter_backends=[],
    )
    def attachments(self, request, ref=None):
        incident = self.get_object()
        if request.method == "GET":
            files = incident.attachments.select_related("uploaded_by", "incident")
            if not is_agent(request.user):
                files = files.filter(is_public=True)
            return Response(AttachmentSerializer(files, many=True, context={"request": request}).data)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.ATTACHMENT_MAX_BYTES + UPLOAD_OVERHEAD:
            raise PayloadTooLarge(f"Files may be at most {settings.ATTACHMENT_MAX_BYTES // 1024} KB.")
        data = _body(request, AttachmentUploadSerializer)
        with transaction.atomic():
            _check_if_match(request, incident)
            attachment = lifecycle.incident_attach(
                incident=incident, actor=request.user, uploaded_file=data["file"], public=data["is_public"]
            )
        attachment = Attachment.objects.select_related("uploaded_by", "incident").get(pk=attachment.pk)
        incident.refresh_from_db(fields=["version"])
        return Response(
            AttachmentSerializer(attachment, context={"request": request}).data,
            status=201,
            headers={"ETag": etag(incident)},
        )

    @extend_schema(
        summary="Download an attachment",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **errors(404)},
    )
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>\d{1,18})", pagination_class=None)
    def attachment_download(self, request, ref=None, attachment_id=None):
        incident = self.get_object()
        files = incident.attachments.all()
        if not is_agent(request.user):
            files = files.filter(is_public=True)
        attachment = files.filter(pk=int(attachment_id)).first()
        if attachment is None:
            raise NotFound("No such attachment on this incident.")
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, OSError):
            raise NotFound("The file of this attachment is missing from storage.") from None
        return FileResponse(
            handle, as_attachment=True, filename=attachment.filename, content_type=attachment.content_type
        )

    # --- watchers and children -----------------------------------------------------------------------------------

    @extend_schema(methods=["GET"], summary="Watchers", responses={200: UserRefSerializer(many=True), **errors(404)})
    @extend_schema(
        methods=["POST"],
        summary="Add a watcher (requesters: only themselves)",
        request=WatcherSerializer,
        responses={200: UserRefSerializer(many=True), **errors(400, 404, 409, 412)},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def watchers(self, request, ref=None):
        incident = self.get_object()
        if request.method == "POST":
            user = _body(request, WatcherSerializer)["user"]
            self._watch(request, incident, user, watch=True)
        return self._watcher_list(request, incident)

    @extend_schema(
        summary="Remove a watcher (requesters: only themselves)",
        parameters=[IF_MATCH],
        responses={200: UserRefSerializer(many=True), **errors(404, 409, 412)},
    )
    @action(detail=True, methods=["delete"], url_path=r"watchers/(?P<user_id>\d{1,18})", pagination_class=None)
    def watcher_remove(self, request, ref=None, user_id=None):
        incident = self.get_object()
        user = incident.watchers.filter(pk=int(user_id)).first()
        if user is None:
            raise NotFound("That person is not watching this incident.")
        self._watch(request, incident, user, watch=False)
        return self._watcher_list(request, incident)

    def _watch(self, request, incident: Incident, user, *, watch: bool) -> None:
        if not is_agent(request.user) and user.pk != request.user.pk:
            raise PermissionDenied("You can only add or remove yourself as a watcher.")
        with transaction.atomic():
            _check_if_match(request, incident)
            lifecycle.incident_watch(incident=incident, actor=request.user, user=user, watch=watch)

    def _watcher_list(self, request, incident: Incident) -> Response:
        incident.refresh_from_db(fields=["version"])
        users = incident.watchers.order_by("username")
        return Response(UserRefSerializer(users, many=True).data, headers={"ETag": etag(incident)})

    @extend_schema(
        methods=["GET"], summary="Child incidents", responses={200: IncidentSerializer(many=True), **errors(404)}
    )
    @extend_schema(
        methods=["POST"],
        summary="Link a child incident (agents)",
        request=ChildLinkSerializer,
        parameters=[IF_MATCH],
        responses={201: IncidentSerializer, **errors(400, 404, 409, 412)},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def children(self, request, ref=None):
        incident = self.get_object()
        if request.method == "GET":
            children = visible_incidents(request.user, incident_queryset().filter(parent=incident)).order_by(
                "-created_at", "-id"
            )[:500]
            return Response(IncidentSerializer(children, many=True, context={"request": request}).data)
        _require_agent(request, "link incidents")
        child = _body(request, ChildLinkSerializer)["child"]
        child = lifecycle.incident_link_child(
            parent=incident, child=child, actor=request.user, expected_version=expected_version(request, incident)
        )
        incident.refresh_from_db(fields=["version"])
        child = incident_queryset().get(pk=child.pk)
        return Response(
            IncidentSerializer(child, context={"request": request}).data, status=201, headers={"ETag": etag(incident)}
        )

    @extend_schema(
        summary="Unlink a child incident (agents)",
        parameters=[IF_MATCH],
        responses={200: IncidentSerializer, **errors(404, 409, 412)},
    )
    @action(detail=True, methods=["delete"], url_path=r"children/(?P<child_ref>[^/]+)", pagination_class=None)
    def child_unlink(self, request, ref=None, child_ref=None):
        incident = self.get_object()
        _require_agent(request, "unlink incidents")
        child = find_incident(request.user, child_ref, queryset=incident.children.all())
        with transaction.atomic():
            _check_if_match(request, incident)
            child = lifecycle.incident_unlink_child(parent=incident, child=child, actor=request.user)
        incident.refresh_from_db(fields=["version"])
        child = incident_queryset().get(pk=child.pk)
        return Response(IncidentSerializer(child, context={"request": request}).data, headers={"ETag": etag(incident)})
