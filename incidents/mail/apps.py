from django.apps import AppConfig


class MailConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "incidents.mail"
    label = "mail"
    verbose_name = "Email channel"
