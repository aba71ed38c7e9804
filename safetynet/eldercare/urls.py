from django.urls import path

from safetynet.eldercare import views
from safetynet.eldercare import views_programmes as programmes
from safetynet.eldercare import views_setup as setup

app_name = "eldercare"
urlpatterns = [
    path("", views.home, name="home"),
    path("visits/", views.visits, name="visits"),
    path("orders/new/", views.new_orders, name="new_orders"),
    path("orders/<int:pk>/", views.order, name="order"),
    path("visit/<int:pk>/void/", views.void, name="void"),
    path("visit/<int:pk>/photo/", views.visit_photo, name="visit_photo"),
    path("compliance/", views.compliance_view, name="compliance"),
    path("statements/", views.statements, name="statements"),
    path("statements/<int:pk>/", views.statement, name="statement"),
    path("providers/", views.providers, name="providers"),
    path("providers/new/", setup.provider_new, name="provider_new"),
    path("contracts/new/", setup.contract_new, name="contract_new"),
    path("providers/staff/add/", setup.staff_add, name="staff_add"),
    path("persons/<int:person>/assessments/", views.assessments, name="assessments"),
    path("persons/<int:person>/assess/", views.assess, name="assess"),
    path("assessments/due/", views.assessments_due, name="due"),
    path("institutions/", programmes.institution_list, name="institutions"),
    path("institutions/new/", setup.institution_new, name="institution_new"),
    path("institutions/<int:pk>/", programmes.institution, name="institution"),
    path("stays/<int:pk>/discharge/", programmes.discharge, name="discharge"),
    path("modifications/", programmes.modification_list, name="modifications"),
    path("modifications/new/<int:household>/", programmes.new_plan, name="new_plan"),
    path("modifications/<int:pk>/", programmes.plan, name="plan"),
    path("modifications/<int:pk>/photo/<slug:which>/", programmes.plan_photo,
         name="plan_photo"),
    path("insurance/", programmes.policies, name="policies"),
    path("insurance/new/", setup.policy_new, name="policy_new"),
    path("insurance/<int:pk>/", programmes.policy, name="policy"),
    path("covers/<int:pk>/end/", programmes.remove_cover, name="remove_cover"),
]
