from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from dangjian.api.api import api
from dangjian.core import views as core_views
from dangjian.core.health import readiness


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: 200 when every check of dangjian.core.health passes, else 503 naming the failures."""
    checks = readiness()
    ready = all(result == "ok" for result in checks.values())
    response = JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers and tools ask for /favicon.ico whatever the page links; send them to the static icon."""
    return HttpResponseRedirect(static("favicon.ico"))


urlpatterns = [
    path("", include("dangjian.portal.urls")),
    path("", include("dangjian.accounts.urls")),
    path("", include("dangjian.people.urls")),
    path("", include("dangjian.organizations.urls")),
    path("", include("dangjian.core.urls")),
    path("", include("dangjian.news.urls")),
    path("", include("dangjian.disclosures.urls")),
    path("", include("dangjian.members.urls")),
    path("", include("dangjian.dues.urls")),
    path("", include("dangjian.venues.urls")),
    path("", include("dangjian.activities.urls")),
    path("", include("dangjian.courseware.urls")),
    path("", include("dangjian.learning.urls")),
    path("", include("dangjian.forum.urls")),
    path("", include("dangjian.feedback.urls")),
    path("", include("dangjian.evaluation.urls")),
    path("", include("dangjian.development.urls")),
    path("", include("dangjian.elections.urls")),
    path("", include("dangjian.funding.urls")),
    path("", include("dangjian.honors.urls")),
    path("", include("dangjian.dashboards.urls")),
    path("manage/", include("dangjian.stations.urls")),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("favicon.ico", favicon, name="favicon"),
]

if settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", core_views.serve_media, name="media")
    )

handler400 = "dangjian.core.views.bad_request"
handler403 = "dangjian.core.views.page_forbidden"
handler404 = "dangjian.core.views.page_not_found"
handler500 = "dangjian.core.views.server_error"
