from django.urls import path

from dangjian.dashboards import screen_views, views

app_name = "dashboards"

COCKPIT = "manage/cockpit"

urlpatterns = [
    path(f"{COCKPIT}/", views.cockpit, name="cockpit"),
    path(f"{COCKPIT}/refresh/", views.refresh, name="refresh"),
    path(f"{COCKPIT}/conformance/", views.platform_conformance, name="conformance"),
    path(f"{COCKPIT}/annual/", views.platform_annual, name="annual"),
    path(f"{COCKPIT}/stations/<slug:code>/annual/", views.station_annual, name="station_annual"),
    path(f"{COCKPIT}/stations/<slug:code>/", views.station, name="station"),
    path(
        f"{COCKPIT}/stations/<slug:code>/conformance/", views.station_conformance, name="station_conformance"
    ),
    path(f"{COCKPIT}/organizations/<int:pk>/", views.organization, name="organization"),
    path(f"{COCKPIT}/goals/", views.goals, name="goals"),
    path(f"{COCKPIT}/screens/", screen_views.screen_list, name="screens"),
    path(f"{COCKPIT}/screens/new/", screen_views.screen_create, name="screen_create"),
    path(f"{COCKPIT}/screens/<int:pk>/", screen_views.screen_edit, name="screen_edit"),
    path(f"{COCKPIT}/screens/<int:pk>/delete/", screen_views.screen_delete, name="screen_delete"),
    path("big-screen/<slug:code>/", screen_views.big_screen, name="big_screen"),
    path("big-screen/<slug:code>/data/", screen_views.big_screen_data, name="big_screen_data"),
]
