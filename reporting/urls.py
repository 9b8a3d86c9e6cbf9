"""Report pages under /reports/."""

from django.urls import path

from reporting.views import dashboards, reviews, subscriptions

app_name = "reporting"

urlpatterns = [
    path("", dashboards.index, name="index"),
    path("operations/", dashboards.operations, name="operations"),
    path("operations/business-times/", dashboards.business_times, name="business-times"),
    path("sla/", dashboards.sla, name="sla"),
    path("sla/at-risk/", dashboards.at_risk, name="at-risk"),
    path("export/<slug:table>.csv", dashboards.export, name="export"),
    path("reviews/", reviews.review_list, name="reviews"),
    path("reviews/new/", reviews.review_create, name="review-create"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review"),
    path("reviews/<int:pk>/edit/", reviews.review_edit, name="review-edit"),
    path("reviews/<int:pk>/state/", reviews.review_state, name="review-state"),
    path("reviews/<int:pk>/highlight/", reviews.review_highlight, name="review-highlight"),
    path("reviews/<int:pk>/notes/", reviews.review_note, name="review-note"),
    path("reviews/<int:pk>/actions/", reviews.review_action, name="review-action"),
    path("reviews/<int:pk>/actions/<int:action_id>/done/", reviews.review_action_done, name="review-action-done"),
    path("reviews/<int:pk>/review.md", reviews.review_markdown, name="review-markdown"),
    path("subscriptions/", subscriptions.subscription_list, name="subscriptions"),
    path("subscriptions/<int:pk>/delete/", subscriptions.subscription_delete, name="subscription-delete"),
]
