"""Printable PDFs; included by intake/urls.py under the "intake" namespace."""

from django.urls import path

from safetynet.intake import views_documents as views

urlpatterns = [
    path("print/application-form.pdf", views.blank_pdf, name="pdf_blank"),
    path("<int:pk>/print/application.pdf", views.application_pdf, name="pdf_application"),
    path("<int:pk>/print/visit.pdf", views.visit_pdf, name="pdf_visit"),
    path("<int:pk>/print/approval.pdf", views.approval_pdf, name="pdf_approval"),
    path("<int:pk>/print/decision.pdf", views.decision_pdf, name="pdf_decision"),
    path("print/notice/<slug:area_code>.pdf", views.notice_pdf, name="pdf_notice"),
]
