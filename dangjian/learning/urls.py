from django.urls import path

from dangjian.learning import views

app_name = "learning"

MANAGE = "manage/learning"

urlpatterns = [
    path("learning/", views.catalogue, name="catalogue"),
    path("learning/mine/", views.my_learning, name="my_courses"),
    path("learning/leaderboard/", views.leaderboard, name="leaderboard"),
    path("learning/courses/<int:pk>/", views.course_detail, name="course"),
    path("learning/lessons/<int:pk>/", views.lesson_player, name="lesson"),
    path("learning/lessons/<int:pk>/media/", views.lesson_media, name="lesson_media"),
    path("learning/lessons/<int:pk>/heartbeat/", views.heartbeat, name="heartbeat"),
    path("learning/quizzes/<int:pk>/", views.quiz_page, name="quiz"),
    path("learning/attempts/<int:pk>/", views.attempt_page, name="attempt"),
]

urlpatterns += [
    path(f"{MANAGE}/", views.manage, name="manage"),
    path(f"{MANAGE}/new/", views.course_create, name="course_create"),
    path(f"{MANAGE}/assignments/", views.assignment_list, name="assignments"),
    path(f"{MANAGE}/assignments/new/", views.assign, name="assign"),
    path(f"{MANAGE}/assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path(f"{MANAGE}/training/", views.training, name="training"),
    path(f"{MANAGE}/<int:pk>/", views.manage_course, name="manage_course"),
    path(f"{MANAGE}/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path(f"{MANAGE}/<int:pk>/lessons/new/", views.lesson_add, name="lesson_add"),
    path(f"{MANAGE}/<int:pk>/questions/new/", views.question_add, name="question_add"),
    path(f"{MANAGE}/<int:pk>/quizzes/new/", views.quiz_add, name="quiz_add"),
    path(f"{MANAGE}/<int:pk>/<slug:action>/", views.course_action, name="course_action"),
]
