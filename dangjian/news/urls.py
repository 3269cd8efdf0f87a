from django.urls import path

from dangjian.news import views

app_name = "news"

urlpatterns = [
    path("news/", views.article_list, name="list"),
    path("news/<int:pk>/", views.article_detail, name="detail"),
    path("news/<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("stations/<slug:code>/news/", views.station_article_list, name="station_list"),
    path("screen/<slug:code>/", views.screen, name="screen"),
    path("screen/<slug:code>/items/", views.screen_items, name="screen_items"),
    path("manage/articles/", views.ArticleManageList.as_view(), name="manage_list"),
    path("manage/articles/new/", views.article_create, name="manage_create"),
    path("manage/articles/images/", views.body_image_upload, name="body_image"),
    path("manage/articles/<int:pk>/", views.article_manage_detail, name="manage_detail"),
    path("manage/articles/<int:pk>/edit/", views.article_edit, name="manage_edit"),
    path("manage/articles/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "manage/articles/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("manage/articles/<int:pk>/<slug:action>/", views.article_action, name="manage_action"),
    path("manage/synced/", views.synced_articles, name="synced"),
    *views.COLUMNS.urls(),
]
