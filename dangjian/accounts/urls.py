from django.urls import path

from dangjian.accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/password/", views.password_change, name="password_change"),
    path("accounts/tokens/", views.tokens, name="tokens"),
    path("accounts/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("manage/roles/", views.RoleList.as_view(), name="role_list"),
    path("manage/roles/new/", views.role_create, name="role_create"),
    path("manage/roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("manage/audit/", views.audit_log, name="audit"),
    path("accounts/register/", views.register, name="register"),
    *views.PEOPLE.urls(),
    path("manage/people/<int:pk>/reset-password/", views.person_reset_password, name="person_reset_password"),
]
