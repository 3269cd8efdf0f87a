from django.urls import path

from dangjian.activities import views

app_name = "activities"

MANAGE = "manage/activities"

urlpatterns = [
    # public and personal
    path("activities/", views.activity_list, name="list"),
    path("activities/mine/", views.my_activities, name="my"),
    path("activities/<int:pk>/", views.activity_detail, name="detail"),
    path("activities/<int:pk>/register/", views.register, name="register"),
    path("activities/<int:pk>/leave/", views.leave_request, name="leave"),
    path("activities/invitations/", views.my_invitations, name="invitations"),
    path("activities/invitations/<int:pk>/answer/", views.invitation_answer, name="invitation_answer"),
    path("activities/registrations/<int:pk>/", views.registration_detail, name="registration"),
    path("activities/registrations/<int:pk>/accept/", views.offer_accept, name="offer_accept"),
    path("activities/registrations/<int:pk>/decline/", views.offer_decline, name="offer_decline"),
    path("activities/registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    # staff
    path(f"{MANAGE}/", views.manage_list, name="manage_list"),
    path(f"{MANAGE}/new/", views.activity_create, name="create"),
    path(f"{MANAGE}/<int:pk>/", views.manage_detail, name="manage_detail"),
    path(f"{MANAGE}/<int:pk>/edit/", views.activity_edit, name="edit"),
    path(f"{MANAGE}/<int:pk>/publish/", views.publish, name="publish"),
    path(f"{MANAGE}/<int:pk>/cancel/", views.cancel, name="cancel"),
    path(f"{MANAGE}/<int:pk>/registrations/", views.registrations, name="registrations"),
    path(f"{MANAGE}/<int:pk>/record/", views.record, name="record"),
    path(
        f"{MANAGE}/registrations/<int:pk>/cancel/",
        views.staff_registration_cancel,
        name="staff_registration_cancel",
    ),
    path(f"{MANAGE}/<int:pk>/invitations/", views.invitation_list, name="activity_invitations"),
    path(f"{MANAGE}/<int:pk>/checkin/", views.checkin_page, name="checkin"),
    path(f"{MANAGE}/<int:pk>/sheet/", views.signin_sheet, name="signin_sheet"),
    path(f"{MANAGE}/checkin/", views.checkin_today, name="checkin_list"),
    path(f"{MANAGE}/leave/", views.leave_requests, name="leave_requests"),
    path(f"{MANAGE}/leave/<int:pk>/decide/", views.leave_decide, name="leave_decide"),
    path(f"{MANAGE}/life/", views.life, name="life"),
    path(f"{MANAGE}/life/<int:pk>/", views.life_org, name="life_org"),
    path(f"{MANAGE}/life/<int:pk>/theme/", views.theme_set, name="theme_set"),
    path(f"{MANAGE}/life/<int:pk>/plan/", views.plan_submit, name="plan_submit"),
    path(f"{MANAGE}/compliance/", views.compliance, name="compliance"),
    path(f"{MANAGE}/compliance/<int:pk>/", views.compliance_org, name="compliance_org"),
]
