from django.urls import path

from dangjian.forum import views

app_name = "forum"

MANAGE = "manage/forum"

urlpatterns = [
    path("forum/", views.home, name="home"),
    path("forum/questions/", views.questions, name="questions"),
    path("forum/boards/<int:pk>/", views.board, name="board"),
    path("forum/boards/<int:pk>/new/", views.topic_new, name="topic_new"),
    path("forum/topics/<int:pk>/", views.topic, name="topic"),
    path("forum/topics/<int:pk>/reply/", views.reply, name="reply"),
    path("forum/topics/<int:pk>/like/", views.topic_like, name="topic_like"),
    path("forum/topics/<int:pk>/report/", views.topic_report, name="topic_report"),
    path("forum/replies/<int:pk>/like/", views.reply_like, name="reply_like"),
    path("forum/replies/<int:pk>/report/", views.reply_report, name="reply_report"),
    path("forum/replies/<int:pk>/answer/", views.mark_answer, name="mark_answer"),
    path(f"{MANAGE}/", views.queue, name="queue"),
    path(f"{MANAGE}/topics/<int:pk>/<slug:action>/", views.topic_moderate, name="topic_moderate"),
    path(f"{MANAGE}/replies/<int:pk>/<slug:action>/", views.reply_moderate, name="reply_moderate"),
    path(f"{MANAGE}/reports/<int:pk>/dismiss/", views.report_dismiss, name="report_dismiss"),
]
