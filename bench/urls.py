"""The portal's URLs, and the two baselines under /_banc/ (bench.settings only)."""

from django.urls import include, path

urlpatterns = [
    path("_banc/", include("bench.baseline.urls")),
    path("", include("citizen_portal.urls")),
]
