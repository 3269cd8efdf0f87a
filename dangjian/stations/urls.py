from django.urls import path

from dangjian.stations import views

app_name = "stations"

urlpatterns = [
    path("", views.manage_home, name="manage_home"),
    path("stations/", views.StationList.as_view(), name="station_list"),
    path("stations/new/", views.StationCreate.as_view(), name="station_create"),
    path("stations/<int:pk>/edit/", views.StationUpdate.as_view(), name="station_edit"),
    path("buildings/", views.BuildingList.as_view(), name="building_list"),
    path("buildings/new/", views.BuildingCreate.as_view(), name="building_create"),
    path("buildings/<int:pk>/edit/", views.BuildingUpdate.as_view(), name="building_edit"),
    path("units/", views.UnitList.as_view(), name="unit_list"),
    path("units/new/", views.UnitCreate.as_view(), name="unit_create"),
    path("units/<int:pk>/edit/", views.UnitUpdate.as_view(), name="unit_edit"),
    path("units/building-options/", views.unit_building_options, name="unit_building_options"),
    path("grids/", views.GridList.as_view(), name="grid_list"),
    path("grids/new/", views.GridCreate.as_view(), name="grid_create"),
    path("grids/<int:pk>/edit/", views.GridUpdate.as_view(), name="grid_edit"),
    path("places/", views.PlaceList.as_view(), name="place_list"),
    path("places/new/", views.PlaceCreate.as_view(), name="place_create"),
    path("places/<int:pk>/edit/", views.PlaceUpdate.as_view(), name="place_edit"),
]
