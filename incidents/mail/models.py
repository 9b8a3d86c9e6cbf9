"""Inbound mail: one record per message ever seen (deduplicated by Message-ID), and the mail we could not use."""

from __future__ import annotations

from django.db import models

from incidents.mail.choices import Outcome, RejectReason, Source


class InboundMessage(models.Model):
    """A message taken from the mailbox or the mail server; its Message-ID is processed at most once."""

    message_id = models.CharField(max_length=998, unique=True, help_text="Synthesised from a hash when missing.")
    source = models.CharField(max_length=10, choices=Source.choices)
    sender = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    size = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(db_index=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.CharField(max_length=500, blank=True, help_text="Why it was ignored or rejected.")
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_messages"
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["sender", "-received_at"], name="inbound_sender_idx")]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.get_outcome_display()})"


class RejectedMail(models.Model):
    """A message that could not be turned into an incident or comment, kept whole with the reason."""

    inbound = models.OneToOneField(InboundMessage, on_delete=models.CASCADE, related_name="rejection")
    reason = models.CharField(max_length=20, choices=RejectReason.choices)
    detail = models.TextField(blank=True)
    sender = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    raw = models.BinaryField(help_text="The message exactly as received.")
    replied = models.BooleanField(default=False, help_text="A polite reply was queued to the sender.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "rejected mail"
        verbose_name_plural = "rejected mail"

    def __str__(self) -> str:
        return f"{self.sender or 'unknown'}: {self.subject or '(no subject)'} ({self.get_reason_display()})"
