from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "incidents.integrations"
    label = "integrations"
    verbose_name = "API and integrations"

    def ready(self) -> None:
        from incidents.integrations import webhooks

        # Webhooks follow incident changes inside their transaction and deliver through the outbox.
        webhooks.connect()
