from django.urls import path

from dangjian.dues import views

app_name = "dues"

ORG = "manage/dues/organizations/<int:organization>"
MONTH = f"{ORG}/<int:year>-<int:month>"

urlpatterns = [
    path("me/dues/", views.my_dues, name="my_dues"),
    path("me/dues/pay/", views.my_pay, name="my_pay"),
    path("me/dues/orders/<str:order>/cancel/", views.my_order_cancel, name="my_order_cancel"),
    path("dues/receipts/<int:pk>/", views.receipt, name="receipt"),
    path("dues/pay/demo/<str:order>/", views.demo_pay, name="demo_pay"),
    path("dues/callback/<str:provider>/", views.callback, name="callback"),
    path("manage/dues/", views.home, name="home"),
    path("manage/dues/reports/", views.report, name="report"),
    path("manage/dues/reports/export/", views.report_export, name="report_export"),
    path("manage/dues/rules/", views.rule_list, name="rule_list"),
    path(f"{MONTH}/", views.sheet, name="sheet"),
    path(f"{MONTH}/generate/", views.sheet_generate, name="sheet_generate"),
    path(f"{MONTH}/close/", views.sheet_close, name="sheet_close"),
    path(f"{ORG}/arrears/", views.arrears, name="arrears"),
    path(f"{ORG}/payments/", views.payment_list, name="payment_list"),
    path(f"{ORG}/payments/new/", views.payment_create, name="payment_create"),
    path(f"{ORG}/declarations/", views.declaration_list, name="declaration_list"),
    path(f"{ORG}/declarations/new/", views.declaration_create, name="declaration_create"),
    path(f"{ORG}/reliefs/", views.relief_list, name="relief_list"),
    path(f"{ORG}/reliefs/new/", views.relief_create, name="relief_create"),
    path(f"{ORG}/settings/", views.setting_edit, name="setting_edit"),
]
