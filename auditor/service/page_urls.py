"""The pages' paths (see :mod:`auditor.service.views`); others' tests use these exact paths."""

from django.urls import path

from auditor.service import views

urlpatterns = [
    path("login", views.login_page, name="login"),
    path("logout", views.logout_page, name="logout"),
    path("", views.home, name="home"),
    path("upload", views.upload, name="upload"),
    path("template.xlsx", views.template_file, name="template"),
    path("guide", views.guide, name="guide"),
    path("audits", views.audit_list, name="audits"),
    path("audits/<str:audit_id>", views.audit_page, name="audit"),
    path("audits/<str:audit_id>/status", views.audit_status, name="audit-status"),
    path("audits/<str:audit_id>/download/<str:kind>", views.download, name="download"),
    path("audits/<str:audit_id>/issue", views.issue, name="issue"),
    path("agency", views.agency, name="agency"),
    path("rules", views.rules, name="rules"),
]
