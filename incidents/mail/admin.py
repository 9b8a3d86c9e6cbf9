"""Admin views of inbound mail: everything received, and the rejected mail kept whole with its reason."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html

from incidents.mail import intake
from incidents.mail.models import InboundMessage, RejectedMail


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(InboundMessage)
class InboundMessageAdmin(_ReadOnlyAdmin):
    list_display = ("received_at", "sender", "subject", "outcome", "incident", "source")
    list_filter = ("outcome", "source")
    search_fields = ("message_id", "sender", "subject")
    date_hierarchy = "received_at"
    list_select_related = ("incident",)
    readonly_fields = [f.name for f in InboundMessage._meta.fields]


@admin.register(RejectedMail)
class RejectedMailAdmin(_ReadOnlyAdmin):
    list_display = ("created_at", "sender", "subject", "reason", "replied")
    list_filter = ("reason", "replied")
    search_fields = ("sender", "subject", "detail", "inbound__message_id")
    date_hierarchy = "created_at"
    readonly_fields = (
        "inbound",
        "reason",
        "detail",
        "sender",
        "subject",
        "replied",
        "created_at",
        "download",
        "message",
    )
    exclude = ("raw",)
    actions = ["process_again"]

    def get_urls(self):
        urls = super().get_urls()
        extra = [
            path(
                "<int:pk>/raw/",
                self.admin_site.admin_view(self.raw_view),
                name="mail_rejectedmail_raw",
            )
        ]
        return extra + urls

    def raw_view(self, request, pk: int):
        rejected = self.get_object(request, str(pk))
        if rejected is None or not self.has_view_permission(request, rejected):
            return HttpResponse(status=404)
        response = HttpResponse(bytes(rejected.raw), content_type="message/rfc822")
        response["Content-Disposition"] = f'attachment; filename="rejected-{rejected.pk}.eml"'
        return response

    @admin.display(description="Raw message")
    def download(self, obj: RejectedMail):
        url = reverse("admin:mail_rejectedmail_raw", args=[obj.pk])
        return format_html('<a href="{}">Download .eml ({} bytes)</a>', url, len(obj.raw or b""))

    @admin.display(description="Message as received")
    def message(self, obj: RejectedMail):
        text = bytes(obj.raw or b"")[:200_000].decode("utf-8", errors="replace")
        return format_html('<pre style="white-space: pre-wrap; max-height: 40rem; overflow: auto">{}</pre>', text)

    @admin.action(description="Process again (after fixing the cause, e.g. adding the sender's account)")
    def process_again(self, request, queryset):
        for rejected in queryset.select_related("inbound"):
            try:
                result = intake.reprocess(rejected)
            except ValueError as exc:
                self.message_user(request, f"{rejected}: {exc}", level=messages.ERROR)
                continue
            self.message_user(request, f"{rejected.subject or rejected.sender}: {result}")
