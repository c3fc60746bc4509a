"""The pages' paths (see :mod:`auditor.service.views`); others' tests use these exact paths."""

from django.urls import path

from auditor.service import verification, views, views_issue, views_language

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
    path("audits/<str:audit_id>/remove", views.remove_upload, name="remove-upload"),
    path("audits/<str:audit_id>/issue", views_issue.issue, name="issue"),
    path("audits/<str:audit_id>/withdraw", views_issue.withdraw, name="withdraw"),
    path("audits/<str:audit_id>/review/set-aside", views_issue.set_aside, name="set-aside"),
    path("audits/<str:audit_id>/review/add", views_issue.add_finding, name="add-finding"),
    path("audits/<str:audit_id>/review/remove", views_issue.remove_item, name="remove-item"),
    path("verify", verification.verify, name="verify"),
    path("verify/<str:code>", verification.verify_code, name="verify-code"),
    path("agency", views.agency, name="agency"),
    path("rules", views.rules, name="rules"),
    path("language", views_language.language, name="language"),
]
