"""A mail server that accepts connections and never answers must not lose a
citizen's access code: the public request (the form and Open311) never talks
to it, the acknowledgement waits in the notice ledger with the code sealed, the
worker's attempt gives up after EMAIL_TIMEOUT and the next one sends it. The
server is a real socket of the test's own; the broker is Celery's in-memory
transport, so tasks are queued as in production and not run in the request."""

import socket
import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from complaints import services
from complaints.models import Complaint, ProblemType
from complaints.open311.keys import key_create
from kernel.logs import error_mailer
from kernel.sealing import unseal
from notifications.models import Notification
from notifications.services import deliver
from tests.brokers import queued_to

pytestmark = pytest.mark.django_db(transaction=True)
EMAIL = "citizen@example.com"


@pytest.fixture
def hung_smtp(settings):
    """An SMTP server that accepts every connection and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.getsockname()
    settings.EMAIL_TIMEOUT = 4
    yield held
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


@pytest.fixture
def queued():
    with queued_to("memory://"):
        yield


def _form():
    return {
        "office": "",
        "problem_type": ProblemType.objects.get(code="attitude").pk,
        "description": "窗口工作人员态度恶劣，多次推诿不予办理。",
        "is_anonymous": "real",
        "name": "张三",
        "phone": "13800138000",
        "email": EMAIL,
        "website": "",
    }


def _timed(call):
    started = time.monotonic()
    return call(), time.monotonic() - started


def _sealed_acknowledgement(complaint, code) -> Notification:
    notice = Notification.objects.get(kind=services.ACKNOWLEDGEMENT_KIND, target_id=complaint.pk)
    assert notice.email == EMAIL and notice.state == Notification.State.PENDING
    assert code not in notice.body and code not in notice.sealed_body  # never in the clear
    assert complaint.tracking_number in notice.body and "•••••-•••••" in notice.body
    assert code in unseal(notice.sealed_body)
    return notice


def test_the_form_answers_at_once_with_the_code_and_the_worker_sends_it_when_mail_is_back(
    client, hung_smtp, queued, phase, settings
):
    response, seconds = _timed(lambda: client.post(reverse("complaints:new"), _form()))
    assert response.status_code == 302 and seconds < settings.EMAIL_TIMEOUT - 1
    receipt = client.get(response["Location"])
    complaint = Complaint.objects.get()
    code = receipt.context["access_code"]
    assert complaint.tracking_number in receipt.content.decode() and code in receipt.content.decode()
    assert services.access_code_matches(complaint, code)
    notice = _sealed_acknowledgement(complaint, code)

    # The worker's attempt meets the hung server: it gives up after EMAIL_TIMEOUT, keeps the code sealed.
    sent, seconds = _timed(lambda: deliver(notice.pk))
    assert sent is False and seconds < settings.EMAIL_TIMEOUT + 2
    notice.refresh_from_db()
    assert notice.state == Notification.State.FAILED and "timed out" in notice.last_error
    assert code in unseal(notice.sealed_body)

    # Mail is back: the retry sends the code, and the sealed copy is dropped.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=notice.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert deliver(notice.pk) is True
    (message,) = mail.outbox
    assert message.to == [EMAIL] and code in message.body and complaint.tracking_number in message.body
    notice.refresh_from_db()
    assert notice.state == Notification.State.SENT and notice.sealed_body == "" and code not in notice.body


def test_open311_answers_at_once_with_the_mail_server_hung(client, hung_smtp, queued, office_a, phase, settings):
    _key, raw = key_create(name="12345 热线")
    data = {
        "api_key": raw,
        "service_code": "attitude",
        "attribute[office]": str(office_a.pk),
        "attribute[real_name]": "true",
        "first_name": "三",
        "last_name": "张",
        "phone": "13800138000",
        "email": EMAIL,
        "description": "办证窗口工作人员态度恶劣，多次推诿不予办理。",
        "address_string": "市政务服务中心二楼",
    }
    response, seconds = _timed(lambda: client.post(reverse("open311:requests", kwargs={"fmt": "json"}), data))
    assert response.status_code == 200 and seconds < settings.EMAIL_TIMEOUT - 1, response.content
    (answer,) = response.json()
    complaint = Complaint.objects.get(tracking_number=answer["service_request_id"])
    notice = Notification.objects.get(kind=services.ACKNOWLEDGEMENT_KIND, target_id=complaint.pk)
    assert notice.state == Notification.State.PENDING and notice.sealed_body


def test_the_production_settings_bound_every_smtp_wait():
    from django.conf import settings

    assert settings.EMAIL_TIMEOUT == 20


# --- The error mail to ADMINS (Django's AdminEmailHandler) ----------------------------------------
def broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", csrf_exempt(broken))]
ADMINS = [("值班", "ops@example.gov.cn")]


@pytest.fixture
def error_mail(settings):
    settings.ADMINS = ADMINS
    settings.DEBUG = False
    yield error_mailer
    assert error_mailer.wait(30), "an error mail is still being sent"


@pytest.mark.urls(__name__)
def test_a_server_error_answers_at_once_with_the_mail_server_hung_and_the_mail_is_tried_apart(
    client, hung_smtp, error_mail, settings
):
    settings.EMAIL_TIMEOUT = 6
    client.raise_request_exception = False
    response, seconds = _timed(lambda: client.get("/broken/"))
    assert response.status_code == 500 and seconds < settings.EMAIL_TIMEOUT / 2, seconds
    deadline = time.monotonic() + 5
    while not hung_smtp:  # the error mail's own thread connects to the hung server
        assert time.monotonic() < deadline, "no error mail was tried"
        time.sleep(0.02)
    # It gives up after EMAIL_TIMEOUT, never holding anyone's request.
    assert error_mail.wait(settings.EMAIL_TIMEOUT + 5)


@pytest.mark.urls(__name__)
def test_the_error_mail_reaches_the_admins_without_what_the_complainant_posted(client, error_mail, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.raise_request_exception = False
    response = client.post("/broken/", {"name": "张三", "phone": "13800138000"})
    assert response.status_code == 500
    assert error_mail.wait(10)
    (message,) = mail.outbox
    assert message.to == ["ops@example.gov.cn"] and "/broken/" in message.subject
    assert "RuntimeError" in message.body and "boom" in message.body
    assert "phone" in message.body  # the fields are named
    assert "张三" not in message.body and "13800138000" not in message.body


@pytest.mark.urls(__name__)
def test_without_admins_no_error_mail_is_written(client, settings):
    settings.ADMINS = []
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.raise_request_exception = False
    assert client.get("/broken/").status_code == 500
    assert error_mailer.wait(5) and mail.outbox == []


def test_healthz_answering_503_mails_nobody(client, error_mail, settings):
    from django.test import override_settings

    from kernel.cache import production_cache

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with override_settings(CACHES={"default": production_cache("redis://127.0.0.1:1/0")}):  # nothing listens
        assert client.get(reverse("healthz")).status_code == 503
    assert error_mail.wait(10) and mail.outbox == []  # monitoring polls it, and says so itself
