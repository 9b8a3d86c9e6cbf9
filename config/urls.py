"""Top-level routes; each app owns its own url modules."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from incidents.views.health import healthz
from incidents.views.home import home

admin.site.site_header = "Service Desk administration"
admin.site.site_title = "Service Desk admin"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/v1/", include("config.api_urls")),
    path("portal/", include("incidents.portal_urls")),
    path("knowledge/", include("knowledge.urls")),
    path("reports/", include("reporting.urls")),
    path("sla/", include("sla.urls")),
    path("", include("incidents.urls")),
    path("", include("incidents.integrations.urls")),
]
