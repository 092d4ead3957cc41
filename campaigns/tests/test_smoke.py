from django.urls import reverse


def test_home_shows_the_current_phase(client, phase):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert phase.name in response.content.decode()
