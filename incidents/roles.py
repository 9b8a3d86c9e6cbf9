"""The four roles as Django groups, and the model permissions each is granted."""

from __future__ import annotations

from django.apps import apps as global_apps

from incidents.choices import Role

# Managers configure everything in these apps through the admin; incidents themselves change only via the lifecycle.
MANAGER_CONFIG_MODELS = {
    "incidents": ["organization", "team", "service", "configurationitem", "category", "priorityrule", "user"],
}
MANAGER_FULL_APPS = ["sla", "knowledge", "reporting"]
VIEW_ONLY_MODELS = {"incidents": ["incident", "timelineentry", "notification", "notificationattempt", "attachment"]}


def sync_role_permissions(apps=global_apps) -> None:
    """Creates the role groups if needed and grants managers and admins their permissions (idempotent)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    groups = {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}

    manager_perms = []
    for app_label, models in MANAGER_CONFIG_MODELS.items():
        manager_perms += list(
            Permission.objects.filter(content_type__app_label=app_label, content_type__model__in=models)
        )
    manager_perms += list(Permission.objects.filter(content_type__app_label__in=MANAGER_FULL_APPS))
    for app_label, models in VIEW_ONLY_MODELS.items():
        manager_perms += list(
            Permission.objects.filter(
                content_type__app_label=app_label, content_type__model__in=models, codename__startswith="view_"
            )
        )
    groups[Role.MANAGER].permissions.set(manager_perms)
    groups[Role.ADMIN].permissions.set(Permission.objects.all())


def sync_role_permissions_handler(sender, **kwargs) -> None:
    # Sent once per app; our apps' permissions may appear in any of their rounds, so each round re-syncs.
    if getattr(sender, "label", "") in {"incidents", *MANAGER_FULL_APPS}:
        sync_role_permissions()
