from django.urls import path

from dangjian.funding import views

app_name = "funding"

urlpatterns = [
    path("manage/funding/", views.ledger, name="ledger"),
    path("manage/funding/export/", views.ledger_export, name="ledger_export"),
    path("manage/funding/income/new/", views.income_create, name="income_create"),
    path("manage/funding/expense/new/", views.expense_create, name="expense_create"),
    path("manage/funding/entries/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("manage/funding/entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("manage/funding/entries/<int:pk>/vouchers/", views.voucher_add, name="voucher_add"),
    path("manage/funding/vouchers/<int:pk>/", views.voucher, name="voucher"),
    path("manage/funding/stations/", views.station_overview, name="stations"),
    path("manage/funding/stations/<int:pk>/budgets/", views.budgets, name="budgets"),
    path("manage/funding/stations/<int:pk>/report/", views.report, name="report"),
    path("manage/funding/stations/<int:pk>/report/export/", views.report_export, name="report_export"),
]
