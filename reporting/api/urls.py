"""Routes under /api/v1/reports/."""

from django.urls import path

from reporting.api import reviews
from reporting.api.views import VIEWS

urlpatterns = [path(f"{name}/", view.as_view(), name=f"reports-api-{name}") for name, view in VIEWS.items()]
urlpatterns += [
    path("reviews/", reviews.ReviewList.as_view(), name="reports-api-reviews"),
    path("reviews/<int:pk>/", reviews.ReviewDetail.as_view(), name="reports-api-review"),
]
