from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms import page_routes
from config.api import api as api_v1
from communities.asyncapi import asyncapi_json
from config.api import api_path_not_found

urlpatterns = [
    # The home page, the most visited, first: each pattern tried before costs it a match. The
    # same view as Wagtail's pattern at the end.
    re_path(r"^$", page_routes.serve, {"path": ""}),
    path("django-admin/", admin.site.urls),
    # The Wagtail admin signs in through the same rate-limited allauth login as the site.
    path("cms/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("cms/", include(wagtailadmin_urls)),
    path("documenten/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("taal/", set_language, name="set_language"),
    path("api/v1/asyncapi.json", asyncapi_json, name="asyncapi"),
    path("api/v1/", api_v1.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", api_path_not_found),
    path("sitemap.xml", sitemap),
    path("", include("communities.notifications.urls")),
    path("", include("webhooks.urls")),
    path("", include("communities.urls")),
    path("", include("casework.urls")),
    path("", include("partners.urls")),
    path("", include("cms.urls")),
]

if settings.BENCH_VIEWS:
    from django.http import HttpResponse

    urlpatterns.insert(0, path("bench/leeg/", lambda request: HttpResponse("ok", content_type="text/plain")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's pages last, served through cms.page_routes, which keeps their routes in the cache.
urlpatterns += [
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, page_routes.serve, name="wagtail_serve"),
]
