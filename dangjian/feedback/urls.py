from django.urls import path

from dangjian.feedback import views

app_name = "feedback"

MANAGE = "manage/feedback"

urlpatterns = [
    # public and personal
    path("feedback/", views.submit, name="submit"),
    path("feedback/track/", views.lookup, name="lookup"),
    path("feedback/track/<str:code>/", views.track, name="track"),
    path("feedback/track/<str:code>/rate/", views.track_rate, name="track_rate"),
    path("feedback/track/<str:code>/confirm/", views.track_confirm, name="track_confirm"),
    path("feedback/track/<str:code>/reopen/", views.track_reopen, name="track_reopen"),
    path("feedback/mine/", views.mine, name="mine"),
    path("feedback/mine/<int:pk>/", views.mine_detail, name="mine_detail"),
    # staff
    path(f"{MANAGE}/", views.manage_list, name="manage_list"),
    path(f"{MANAGE}/paper/", views.paper, name="paper"),
    path(f"{MANAGE}/<int:pk>/", views.manage_detail, name="manage_detail"),
    path(f"{MANAGE}/<int:pk>/assign/", views.assign, name="assign"),
    path(f"{MANAGE}/<int:pk>/start/", views.start, name="start"),
    path(f"{MANAGE}/<int:pk>/reply/", views.reply, name="reply"),
    path(f"{MANAGE}/<int:pk>/decide/", views.decide, name="decide"),
    path(f"{MANAGE}/<int:pk>/close/", views.close, name="close"),
]
