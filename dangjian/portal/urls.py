from django.urls import path

from dangjian.portal import views, workpage
from dangjian.stations import views as station_views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("stations/", views.station_directory, name="stations"),
    path("stations/<slug:code>/", views.station_detail, name="station"),
    path("buildings/<int:pk>/", station_views.building_detail, name="building"),
    path("switch-station/", station_views.switch_station, name="switch_station"),
    path("manage/", workpage.manage_home, name="manage_home"),
    path("work/", workpage.workpage, name="workpage"),
]
