from django.urls import path

from dangjian.venues import views

app_name = "venues"

MANAGE = "manage/venues"

urlpatterns = [
    # public and personal
    path("venues/", views.venue_list, name="list"),
    path("venues/mine/", views.my_bookings, name="mine"),
    path("venues/mine/ics/", views.my_ics, name="mine_ics"),
    path("venues/tours/new/", views.tour_request, name="tour_request"),
    path("venues/tours/<int:pk>/cancel/", views.tour_cancel, name="tour_cancel"),
    path("venues/checkin/<str:token>/", views.checkin, name="checkin"),
    path("venues/station/<slug:code>/calendar/", views.station_calendar, name="station_calendar"),
    path("venues/reservations/<int:pk>/", views.reservation_detail, name="reservation"),
    path("venues/reservations/<int:pk>/ics/", views.reservation_ics, name="reservation_ics"),
    path("venues/reservations/<int:pk>/cancel/", views.reservation_cancel, name="cancel"),
    path("venues/<int:pk>/", views.venue_detail, name="detail"),
    path("venues/<int:pk>/calendar/", views.venue_calendar, name="calendar"),
    path("venues/<int:pk>/ics/", views.venue_ics, name="venue_ics"),
    path("venues/<int:pk>/report-fault/", views.fault_report, name="fault_report"),
    # staff
    path(f"{MANAGE}/", views.manage_home, name="manage"),
    *views.VENUES.urls(),
    path(f"{MANAGE}/spaces/<int:pk>/hours/", views.venue_hours, name="hours"),
    path(f"{MANAGE}/closed-days/<int:pk>/remove/", views.closed_day_remove, name="closed_day_remove"),
    path(f"{MANAGE}/spaces/<int:pk>/equipment/", views.equipment, name="equipment"),
    path(f"{MANAGE}/equipment/<int:pk>/edit/", views.equipment_edit, name="equipment_edit"),
    path(f"{MANAGE}/spaces/<int:pk>/poster/", views.poster, name="poster"),
    path(f"{MANAGE}/review/", views.review_queue, name="review_queue"),
    path(f"{MANAGE}/reservations/<int:pk>/", views.review, name="review"),
    path(f"{MANAGE}/reservations/<int:pk>/approve/", views.approve, name="approve"),
    path(f"{MANAGE}/reservations/<int:pk>/reject/", views.reject, name="reject"),
    path(f"{MANAGE}/reservations/<int:pk>/check-in/", views.check_in, name="check_in"),
    path(f"{MANAGE}/reservations/<int:pk>/no-show/", views.no_show, name="no_show"),
    path(f"{MANAGE}/today/", views.today, name="today"),
    path(f"{MANAGE}/tours/", views.tours, name="tours"),
    path(f"{MANAGE}/tours/<int:pk>/", views.tour_detail, name="tour"),
    path(f"{MANAGE}/tours/<int:pk>/assign/", views.tour_assign, name="tour_assign"),
    path(f"{MANAGE}/tours/<int:pk>/confirm/", views.tour_confirm, name="tour_confirm"),
    path(f"{MANAGE}/tours/<int:pk>/decline/", views.tour_decline, name="tour_decline"),
    path(f"{MANAGE}/tours/<int:pk>/record/", views.tour_record, name="tour_record"),
    path(f"{MANAGE}/faults/", views.faults, name="faults"),
    path(f"{MANAGE}/faults/<int:pk>/", views.fault_detail, name="fault"),
    path(f"{MANAGE}/faults/<int:pk>/assign/", views.fault_assign, name="fault_assign"),
    path(f"{MANAGE}/faults/<int:pk>/repair/", views.fault_repair, name="fault_repair"),
    path(f"{MANAGE}/six-have/", views.six_have, name="six_have"),
    path(f"{MANAGE}/six-have/overview/", views.six_have_overview, name="six_have_overview"),
]
