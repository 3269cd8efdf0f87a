from django.urls import path

from dangjian.elections import views

app_name = "elections"

urlpatterns = [
    path("manage/elections/", views.election_list, name="list"),
    path("manage/elections/overdue/", views.overdue_list, name="overdue"),
    path("manage/elections/new/", views.election_create, name="create"),
    path("manage/elections/<int:pk>/", views.election_detail, name="detail"),
    path("manage/elections/<int:pk>/decide/", views.election_decide, name="decide"),
    path("manage/elections/<int:pk>/candidates/", views.candidates, name="candidates"),
    path("manage/elections/<int:pk>/meeting/", views.meeting, name="meeting"),
    path("manage/elections/<int:pk>/result/", views.result, name="result"),
    path("manage/elections/<int:pk>/result/decide/", views.result_decide, name="result_decide"),
    path("manage/elections/organizations/<int:pk>/terms/", views.terms, name="terms"),
]
