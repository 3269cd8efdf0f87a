from django.urls import path

from dangjian.courseware import views

app_name = "courseware"

urlpatterns = [
    path("courseware/", views.library, name="library"),
    path("courseware/<int:pk>/", views.detail, name="detail"),
    path("courseware/<int:pk>/preview/", views.preview, name="preview"),
    path("courseware/<int:pk>/download/", views.download, name="download"),
    path("courseware/<int:pk>/read/", views.reader, name="reader"),
    path("manage/courseware/", views.manage_list, name="manage_list"),
    path("manage/courseware/new/", views.upload, name="upload"),
    path("manage/courseware/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("manage/courseware/<int:pk>/edit/", views.edit, name="edit"),
    path("manage/courseware/<int:pk>/versions/", views.version_add, name="version_add"),
    path(
        "manage/courseware/<int:pk>/versions/<int:version_pk>/file/", views.version_file, name="version_file"
    ),
    path("manage/courseware/<int:pk>/delete/", views.delete, name="delete"),
    path("manage/courseware/<int:pk>/<slug:action>/", views.transition, name="transition"),
]
