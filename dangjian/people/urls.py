from django.urls import path

from dangjian.people import views

app_name = "people"

urlpatterns = [
    path("manage/roles/", views.RoleList.as_view(), name="role_list"),
    path("manage/roles/new/", views.role_create, name="role_create"),
    path("manage/roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("manage/audit/", views.audit_log, name="audit"),
    path("accounts/register/", views.register, name="register"),
    *views.PEOPLE.urls(),
    path("manage/people/<int:pk>/reset-password/", views.person_reset_password, name="person_reset_password"),
    path(
        "accounts/people/<int:pk>/temporary-password/",
        views.member_temporary_password,
        name="member_temporary_password",
    ),
]
