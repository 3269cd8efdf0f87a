from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from dangjian.api.api import api
from dangjian.core import views as core_views


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", include("dangjian.portal.urls")),
    path("", include("dangjian.accounts.urls")),
    path("", include("dangjian.organizations.urls")),
    path("", include("dangjian.core.urls")),
    path("", include("dangjian.news.urls")),
    path("", include("dangjian.disclosures.urls")),
    path("", include("dangjian.members.urls")),
    path("", include("dangjian.dues.urls")),
    path("manage/", include("dangjian.stations.urls")),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
]

if settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", core_views.serve_media, name="media")
    )

handler400 = "dangjian.core.views.bad_request"
handler403 = "dangjian.core.views.page_forbidden"
handler404 = "dangjian.core.views.page_not_found"
handler500 = "dangjian.core.views.server_error"
