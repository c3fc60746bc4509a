"""The pages' paths (see :mod:`auditor.service.views`)."""

from django.urls import path

from auditor.service import views

urlpatterns = [
    path("login", views.login_page, name="login"),
    path("logout", views.logout_page, name="logout"),
    path("", views.home, name="home"),
]
