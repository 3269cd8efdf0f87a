from django.urls import path

from dangjian.disclosures import views

app_name = "disclosures"

urlpatterns = [
    path("organizations/<int:pk>/disclosures/", views.organization_index, name="organization_index"),
    path("disclosures/<int:pk>/", views.disclosure_detail, name="detail"),
    *views.DISCLOSURES.urls(),
    path("manage/disclosures/<int:pk>/", views.manage_detail, name="manage_detail"),
    *(
        path(f"manage/disclosures/<int:pk>/{action}/", view, name=action)
        for action, view in views.TRANSITION_VIEWS.items()
    ),
]
