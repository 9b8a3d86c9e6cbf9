from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "incidents.workspace"
    label = "workspace"
    verbose_name = "Agent workspace"
