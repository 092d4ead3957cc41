from django.urls import path

from . import feeds
from .views import public as views

app_name = "oversight"

urlpatterns = [
    path("", views.index, name="index"),
    path("catalogue/", views.catalogue_view, name="catalogue"),
    path("items/<int:pk>/", views.item, name="item"),
    path("bulletins/", views.bulletins, name="bulletins"),
    path("bulletins/<int:pk>/", views.bulletin, name="bulletin"),
    path("bulletins/feed/rss/", feeds.BulletinFeed(), name="bulletins-rss"),
    path("bulletins/feed/atom/", feeds.BulletinAtomFeed(), name="bulletins-atom"),
]
