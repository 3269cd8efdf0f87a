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
    path(
        "manage/development/<int:pk>/steps/<slug:step>/documents/<int:index>.<slug:fmt>",
        views.step_document,
        name="step_document",
    ),
    path("manage/development/<int:pk>/dossier/", views.dossier_page, name="dossier"),
    path("manage/development/<int:pk>/dossier.<slug:fmt>", views.dossier_download, name="dossier_download"),
    path("manage/development/<int:pk>/dossier/upload/", views.signed_upload, name="signed_upload"),
    path("manage/development/<int:pk>/dossier/files/<int:document>/", views.signed_file, name="signed_file"),
    path("manage/development/overview/", views.overview, name="overview"),
]
