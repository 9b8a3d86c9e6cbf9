from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IncidentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "incidents"
    verbose_name = "Incidents"

    def ready(self) -> None:
        from incidents import roles

        # Permissions exist only after every app migrated, so the role grants are synced then.
        post_migrate.connect(roles.sync_role_permissions_handler, dispatch_uid="incidents.sync_roles")
