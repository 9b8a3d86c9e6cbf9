"""Pages of the integrations app, and JSON 404s for unknown URLs under /api/."""

from django.urls import path, re_path

from incidents.api.errors import api_not_found
from incidents.integrations import views

urlpatterns = [
    path("account/tokens/", views.tokens, name="account-tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke_view, name="account-token-revoke"),
    path("integrations/webhooks/", views.webhook_list, name="integrations-webhooks"),
    path("integrations/webhooks/<int:sub_id>/", views.webhook_detail, name="integrations-webhook"),
    path("integrations/webhooks/<int:sub_id>/test/", views.webhook_test, name="integrations-webhook-test"),
    path("integrations/webhooks/<int:sub_id>/rotate/", views.webhook_rotate, name="integrations-webhook-rotate"),
    path("integrations/webhooks/<int:sub_id>/delete/", views.webhook_delete, name="integrations-webhook-delete"),
    # Last: anything else under /api/ answers in the API's JSON error shape rather than an HTML page.
    re_path(r"^api/(?P<path>.*)$", api_not_found),
]
