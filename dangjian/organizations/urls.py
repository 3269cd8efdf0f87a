from django.urls import path

from dangjian.organizations import views

app_name = "orgs"

urlpatterns = [
    path("organizations/<int:pk>/", views.organization_detail, name="detail"),
    path("manage/organizations/", views.OrganizationList.as_view(), name="organization_list"),
    path("manage/organizations/new/", views.OrganizationCreate.as_view(), name="organization_create"),
    path("manage/organizations/<int:pk>/edit/", views.OrganizationUpdate.as_view(), name="organization_edit"),
    path("manage/organizations/<int:pk>/committee/", views.committee, name="committee"),
    path(
        "manage/organizations/<int:pk>/committee/<int:member_pk>/remove/",
        views.committee_remove,
        name="committee_remove",
    ),
    path("manage/alliances/", views.AllianceList.as_view(), name="alliance_list"),
    path("manage/alliances/new/", views.AllianceCreate.as_view(), name="alliance_create"),
    path("manage/alliances/<int:pk>/edit/", views.AllianceUpdate.as_view(), name="alliance_edit"),
    path("manage/agreements/", views.AgreementList.as_view(), name="agreement_list"),
    path("manage/agreements/new/", views.AgreementCreate.as_view(), name="agreement_create"),
    path("manage/agreements/<int:pk>/edit/", views.AgreementUpdate.as_view(), name="agreement_edit"),
]
