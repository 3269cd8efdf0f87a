from django.urls import path

from dangjian.stations import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("stations/<slug:code>/", views.station_detail, name="station"),
    path("buildings/<int:pk>/", views.building_detail, name="building"),
    path("switch-station/", views.switch_station, name="switch_station"),
]
