from django.apps import AppConfig


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "incidents.portal"
    label = "portal"
    verbose_name = "Self-service portal"

    def ready(self) -> None:
        from incidents import notify
        from incidents.portal import preferences

        # Requesters choose which emails they get; every notification asks this filter first.
        notify.add_recipient_filter(preferences.recipient_filter)
