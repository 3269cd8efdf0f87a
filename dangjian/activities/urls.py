from django.urls import path

from dangjian.activities import joint_views, records_views, views

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
    path("activities/<int:pk>/scan/", views.self_scan, name="self_scan"),
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
    path(f"{MANAGE}/<int:pk>/scan/", views.scan_page, name="scan"),
    path(f"{MANAGE}/<int:pk>/door-code/", views.door_code, name="door_code"),
    path(f"{MANAGE}/checkin/", views.checkin_today, name="checkin_list"),
    path(f"{MANAGE}/leave/", views.leave_requests, name="leave_requests"),
    path(f"{MANAGE}/leave/<int:pk>/decide/", views.leave_decide, name="leave_decide"),
    path(f"{MANAGE}/life/", views.life, name="life"),
    path(f"{MANAGE}/life/<int:pk>/", views.life_org, name="life_org"),
    path(f"{MANAGE}/life/<int:pk>/theme/", views.theme_set, name="theme_set"),
    path(f"{MANAGE}/life/<int:pk>/plan/", views.plan_submit, name="plan_submit"),
    path(f"{MANAGE}/compliance/", views.compliance, name="compliance"),
    path(f"{MANAGE}/compliance/<int:pk>/", views.compliance_org, name="compliance_org"),
    # records (台账) of an organisation's year: print and Excel
    path(f"{MANAGE}/compliance/<int:pk>/records/", records_views.records_print, name="records_print"),
    path(
        f"{MANAGE}/compliance/<int:pk>/records/export/",
        records_views.records_export,
        name="records_export",
    ),
]

# joint meetings (联席会议, §7.4) convened by the supervising unit, and their decisions
JOINT = f"{MANAGE}/joint"
urlpatterns += [
    path(f"{JOINT}/", joint_views.joint_list, name="joint_list"),
    path(f"{JOINT}/new/", joint_views.joint_create, name="joint_create"),
    path(f"{JOINT}/<int:pk>/", joint_views.joint_meeting, name="joint_meeting"),
    path(f"{JOINT}/<int:pk>/edit/", joint_views.joint_edit, name="joint_edit"),
    path(f"{JOINT}/<int:pk>/record/", joint_views.joint_record, name="joint_record"),
    path(f"{JOINT}/<int:pk>/cancel/", joint_views.joint_cancel, name="joint_cancel"),
    path(f"{JOINT}/<int:pk>/decisions/", joint_views.joint_decision_add, name="joint_decision_add"),
    path(f"{JOINT}/decisions/", joint_views.joint_decisions, name="joint_decisions"),
    path(f"{JOINT}/decisions/<int:pk>/", joint_views.joint_decision, name="joint_decision"),
    path(f"{JOINT}/decisions/<int:pk>/edit/", joint_views.joint_decision_edit, name="joint_decision_edit"),
]
