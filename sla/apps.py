from django.apps import AppConfig


class SlaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sla"
    verbose_name = "SLA and escalation"

    def ready(self) -> None:
        from incidents import hooks
        from sla.summary import sla_summary
        from sla.timers import on_incident_change

        # Timers move inside the lifecycle's own transaction; incidents never imports sla.
        hooks.subscribe(on_incident_change)
        hooks.provide("sla_summary", sla_summary)

        # Webhook subscribers hear about warnings and breaches; sla depends on incidents, never the reverse.
        from django.apps import apps

        if apps.is_installed("incidents.integrations"):
            from incidents.integrations.webhooks import on_sla_events
            from sla import events as sla_events

            sla_events.subscribe_batch(on_sla_events)
