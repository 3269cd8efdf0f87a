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
    # 忘记密码: an e-mailed link (Django's views) or a text-message code
    path("accounts/password-reset/", views.PasswordResetStart.as_view(), name="password_reset"),
    path("accounts/password-reset/sent/", views.PasswordResetSent.as_view(), name="password_reset_done"),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/done/", views.PasswordResetComplete.as_view(), name="password_reset_complete"
    ),
    path("accounts/password-reset/sms/", views.sms_reset, name="sms_reset"),
    path("accounts/login/sms/", views.sms_login, name="sms_login"),
]
