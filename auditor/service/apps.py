"""The Django application of the service."""

from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "auditor.service"
    label = "service"
    verbose_name = "auditor service"
    default_auto_field = "django.db.models.BigAutoField"
