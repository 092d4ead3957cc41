from django.urls import path

from . import public_views as views

app_name = "complaints"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.complaint_new, name="new"),
    path("new/receipt/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("track/<str:number>/", views.track_detail, name="track-detail"),
    path("track/<str:number>/add-info/", views.track_add_info, name="track-add-info"),
    path("track/<str:number>/rate/", views.track_rate, name="track-rate"),
    path("track/<str:number>/review/", views.track_review, name="track-review"),
    path("track/<str:number>/forget/", views.track_forget, name="track-forget"),
    path("stats/", views.stats, name="stats"),
    path("cases/", views.cases, name="cases"),
]
