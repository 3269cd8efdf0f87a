from django.urls import path

from dangjian.evaluation import views

app_name = "evaluation"

MANAGE = "manage/evaluation"

urlpatterns = [
    # personal and public
    path("evaluation/surveys/", views.pending, name="pending"),
    path("evaluation/surveys/<int:pk>/", views.answer, name="answer"),
    path("evaluation/votes/", views.questionnaires, name="questionnaires"),
    path("evaluation/votes/<int:pk>/", views.questionnaire, name="questionnaire"),
    path("evaluation/station/<slug:code>/accountability/", views.accountability, name="accountability"),
    path("evaluation/measures/", views.measures, name="measures"),
    path("evaluation/measures/<int:pk>/", views.measure, name="measure"),
    path("evaluation/measures/<int:pk>/evidence/", views.measure_evidence, name="measure_evidence"),
    path("evaluation/measures/<int:pk>/progress/", views.measure_progress, name="measure_progress"),
    path("evaluation/measures/<int:pk>/move/", views.measure_move, name="measure_move"),
    # staff
    path(f"{MANAGE}/items/", views.items, name="items"),
    path(f"{MANAGE}/items/new/", views.item_create, name="item_create"),
    path(f"{MANAGE}/items/<int:pk>/", views.item, name="item"),
    path(f"{MANAGE}/occurrences/<int:pk>/deliver/", views.deliver, name="deliver"),
    path(f"{MANAGE}/exceptions/", views.exceptions, name="exceptions"),
    path(f"{MANAGE}/indicators/", views.indicators, name="indicators"),
    path(f"{MANAGE}/indicators/compare/", views.comparison, name="comparison"),
    path(f"{MANAGE}/votes/", views.questionnaire_list, name="questionnaire_list"),
    path(f"{MANAGE}/votes/new/", views.questionnaire_create, name="questionnaire_create"),
    path(f"{MANAGE}/measures/new/", views.measure_create, name="measure_create"),
]
