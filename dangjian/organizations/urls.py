from django.urls import path

from dangjian.organizations import views

app_name = "orgs"

urlpatterns = [
    path("organizations/<int:pk>/", views.organization_detail, name="detail"),
    *views.ORGANIZATIONS.urls(),
    path("manage/organizations/<int:pk>/committee/", views.committee, name="committee"),
    path(
        "manage/organizations/<int:pk>/committee/<int:member_pk>/remove/",
        views.committee_remove,
        name="committee_remove",
    ),
    *views.ALLIANCES.urls(),
    *views.AGREEMENTS.urls(),
]
