from django.urls import path

from dangjian.stations import views

app_name = "stations"

urlpatterns = [
    *views.STATIONS.urls(),
    *views.BUILDINGS.urls(),
    *views.UNITS.urls(),
    path("units/building-options/", views.unit_building_options, name="unit_building_options"),
    *views.GRIDS.urls(),
    *views.PLACES.urls(),
]
