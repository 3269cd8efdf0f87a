"""The Django admin is not installed on this platform (every write goes through the services and the
management pages); should a deployment install it, these registrations give read access to the tables."""

from django.apps import apps

if apps.is_installed("django.contrib.admin"):
    from django.contrib import admin

    from dangjian.venues.models import (
        ClosedDay,
        Equipment,
        FaultReport,
        Reservation,
        SixHaveItem,
        Tour,
        Venue,
    )

    for model in (Venue, ClosedDay, Reservation, Equipment, FaultReport, SixHaveItem, Tour):
        admin.site.register(model)
