"""Routes of this part of the product."""

urlpatterns: list = []
