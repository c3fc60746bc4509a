"""The pages (placeholder until the page set lands)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

login_page = auth_views.LoginView.as_view(template_name="service/login.html")
logout_page = auth_views.LogoutView.as_view()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("auditor")
