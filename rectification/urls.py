from django.urls import path

from . import public_views as views

app_name = "rectification"

urlpatterns = [
    path("", views.board, name="board"),
    path("results/", views.results, name="results"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/rate/", views.rate, name="rate"),
    path("<int:pk>/comment/", views.comment, name="comment"),
]
