"""The portal's URLs plus the benchmark's reference views (settings_bench only)."""

from django.urls import path

from campaign_portal.urls import urlpatterns as portal_urlpatterns

from . import views

urlpatterns = [
    path("__bench__/bare/", views.bare, name="bench-bare"),
    path("__bench__/one-row/", views.one_row, name="bench-one-row"),
    *portal_urlpatterns,
]
