from django.urls import path

from dangjian.development import views

app_name = "development"

urlpatterns = [
    path("manage/development/", views.candidate_list, name="list"),
    path("manage/development/new/", views.candidate_create, name="create"),
    path("manage/development/<int:pk>/", views.candidate_detail, name="detail"),
    path("manage/development/<int:pk>/steps/<slug:step>/", views.step_complete, name="step"),
    path("manage/development/<int:pk>/people/", views.person_assign, name="people"),
    path("manage/development/<int:pk>/advance/", views.stage_advance, name="advance"),
    path("manage/development/<int:pk>/close/", views.candidate_close, name="close"),
    path("development/contacts/", views.contacts, name="contacts"),
    path("development/contacts/<int:pk>/report/", views.report_file, name="report"),
    path("me/development/", views.mine, name="mine"),
    # documents (档案) — added below
    # overview — added below
]
