"""Every path of the service: the pages, and the API under ``/api/v1/``."""

from django.urls import include, path

from auditor.service.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("auditor.service.page_urls")),
]
