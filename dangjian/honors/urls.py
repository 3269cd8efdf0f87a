from django.urls import path

from dangjian.honors import views

app_name = "honors"

urlpatterns = [
    path("honors/", views.honour_roll, name="roll"),
    path("manage/honors/", views.nomination_list, name="list"),
    path("manage/honors/new/", views.nomination_create, name="create"),
    path("manage/honors/<int:pk>/", views.nomination_detail, name="detail"),
    path("manage/honors/<int:pk>/edit/", views.nomination_edit, name="edit"),
    path("manage/honors/<int:pk>/attachment/", views.nomination_attachment, name="attachment"),
    path("manage/honors/<int:pk>/<slug:action>/", views.nomination_act, name="act"),
    path("manage/publicity/", views.publicity_list, name="publicity_list"),
    path("manage/publicity/new/", views.publicity_create, name="publicity_create"),
    path("manage/publicity/check/", views.publicity_check, name="publicity_check"),
    path("manage/publicity/<int:pk>/clipping/", views.publicity_clipping, name="publicity_clipping"),
    path("manage/demonstrations/", views.event_list, name="event_list"),
    path("manage/demonstrations/new/", views.event_create, name="event_create"),
]
