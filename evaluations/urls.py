"""Public appraisal pages at /appraisal/. The invitation token comes last and only
matches 20–40 letters, digits and dashes, so "results", "open", "hearings" and the
other words are never taken for a token."""

from django.urls import path, register_converter

from .views import public as views


class TokenConverter:
    regex = r"[0-9A-Za-z][0-9A-Za-z\-]{19,39}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TokenConverter, "token")

app_name = "evaluations"

urlpatterns = [
    path("", views.index, name="index"),
    path("code/", views.code_entry, name="code"),
    path("thanks/", views.thanks, name="thanks"),
    path("open/<int:survey>/<int:group>/", views.ballot_open, name="open"),
    path("results/", views.results_list, name="results-list"),
    path("results/<int:survey>/", views.results, name="results"),
    path("hearings/", views.hearings, name="hearings"),
    path("hearings/<int:pk>/", views.hearing, name="hearing"),
    path("<token:token>/", views.ballot, name="ballot"),
]
