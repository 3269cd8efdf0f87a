from django.urls import path

from dangjian.members import views

app_name = "members"

urlpatterns = [
    path("manage/members/", views.roster, name="roster"),
    path("manage/members/new/", views.CREATE_VIEW, name="create"),
    path("manage/members/stats/", views.stats, name="stats"),
    path("manage/members/export.xlsx", views.export, name="export"),
    path("manage/members/import/", views.import_view, name="import"),
    path("manage/members/import/template.xlsx", views.import_template, name="import_template"),
    path("manage/members/corrections/", views.corrections, name="corrections"),
    path("manage/members/corrections/<int:pk>/accept/", views.correction_accept, name="correction_accept"),
    path("manage/members/corrections/<int:pk>/reject/", views.correction_reject, name="correction_reject"),
    path("manage/members/<int:pk>/", views.detail, name="detail"),
    path("manage/members/<int:pk>/edit/", views.EDIT_VIEW, name="edit"),
    path("manage/members/<int:pk>/reveal/", views.reveal, name="reveal"),
    path("me/member/", views.me, name="me"),
    path("me/member/reveal/", views.me_reveal, name="me_reveal"),
]
