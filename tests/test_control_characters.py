"""Control characters nobody types (copy and paste from Word or a PDF brings them):
cleaned where text enters the portal (kernel/text.py: every posted form, Open311,
the complaint service for every channel), and every export stays whole for rows
stored before, with a complainant named "张\\v三" (the centre's identity ledger
was a 500)."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaigns.models import AuditEvent, Task
from campaigns.tests.factories import TaskFactory
from complaints import services
from complaints.models import ComplainantIdentity, Complaint, ProblemType
from complaints.open311.keys import key_create
from complaints.tests.factories import submit
from kernel.text import clean_post, clean_text, single_line
from oversight.ledgers import all_ledgers

pytestmark = pytest.mark.django_db
CONTROLS = "".join(chr(c) for c in [*range(1, 9), *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)])


def test_line_breaks_by_another_name_become_newlines_and_other_controls_go():
    assert clean_text("第一行\v第二行\f第三行\u2028第四行\x85第五行") == "第一行\n第二行\n第三行\n第四行\n第五行"
    assert clean_text(f"张{CONTROLS}三\t(tab)\r\n") == "张\n\n\n\n三\t(tab)\r\n"  # \x1c-\x1e, NEL
    assert single_line("  张\v三\x07 ") == "张 三"
    assert clean_text("\x00") == "\x00"  # NUL: refused by the forms and Open311, not silently dropped
    data = clean_post(__import__("django.http", fromlist=["QueryDict"]).QueryDict("a=x%0By&a=%07z"))
    assert data.getlist("a") == ["x\ny", "z"] and not data._mutable


def test_the_public_form_stores_a_pasted_name_and_text_without_controls(client, phase):
    form = {
        "office": "",
        "problem_type": ProblemType.objects.get(code="attitude").pk,
        "description": "窗口工作人员\v态度恶劣，\x07多次推诿\x1b不予办理。",
        "is_anonymous": "real",
        "name": "张\v三",
        "phone": "13800138000",
        "email": "",
        "location": "市政务\x08服务中心",
        "website": "",
    }
    assert client.post(reverse("complaints:new"), form).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.description == "窗口工作人员\n态度恶劣，多次推诿不予办理。"
    assert complaint.location == "市政务服务中心"
    assert ComplainantIdentity.objects.get().name == "张 三"


def test_a_nul_character_is_refused_next_to_the_field(client, phase):
    form = {
        "problem_type": ProblemType.objects.get(code="attitude").pk,
        "description": "窗口工作人员态度恶劣，多次推诿不予办理。\x00",
        "is_anonymous": "anonymous",
        "website": "",
    }
    response = client.post(reverse("complaints:new"), form)
    assert response.status_code == 400 and "description" in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_open311_and_the_service_clean_every_channel(client, office_a, phase):
    _key, raw = key_create(name="12345 热线")
    data = {
        "api_key": raw,
        "service_code": "attitude",
        "attribute[office]": str(office_a.pk),
        "attribute[real_name]": "true",
        "first_name": "三\v",
        "last_name": "张",
        "phone": "13800138000",
        "description": "办证窗口\x0b工作人员态度恶劣，\x1f多次推诿不予办理。",
        "address_string": "市政务服务中心二楼",
    }
    assert client.post(reverse("open311:requests", kwargs={"fmt": "json"}), data).status_code == 200
    assert Complaint.objects.get().description == "办证窗口\n工作人员态度恶劣，多次推诿不予办理。"
    complaint, _code = submit(office=office_a, name="李\x0c四", description="电话里\x07记下的投诉，内容足够长。")
    assert complaint.description == "电话里记下的投诉，内容足够长。" and complaint.identity.name == "李 四"


def test_a_staff_form_stores_no_control_characters(client, coordinator, phase, office_a):
    task = TaskFactory(phase=phase, lead=office_a)
    Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE, progress=100, completed_at=timezone.now())
    client.force_login(coordinator)
    assert (
        client.post(reverse("staff:task-reopen", args=[task.pk]), {"reason": "纪要\v未上传\x07。"}).status_code == 302
    )
    assert AuditEvent.objects.get(verb="task.reopen").data["reason"] == "纪要\n未上传。"


def test_a_commitment_rating_comment_stores_no_control_characters(client, staff_a, coordinator, phase):
    from rectification.models import PublicComment
    from rectification.tests.factories import published

    commitment = published(staff_a, coordinator)
    response = client.post(
        reverse("rectification:rate", args=[commitment.pk]), {"value": "basically", "comment": "有改进\v还需\x07加强。"}
    )
    assert response.status_code == 302
    assert PublicComment.objects.get().text == "有改进\n还需加强。"


# --- Exports of rows stored before the cleaning ----------------------------------------------
def _cells(response, every_sheet=False) -> list:
    assert response.status_code == 200, response
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheets = load_workbook(io.BytesIO(content)).worksheets
    return [cell for sheet in (sheets if every_sheet else sheets[:1]) for row in sheet.values for cell in row]


@pytest.fixture
def legacy(office_a, office_b, centre_staff, staff_b, phase):
    """A complaint and a task stored with control characters, as intake let them in before."""
    from complaints.tests.factories import walk_to

    complaint, _code = submit(office=office_a)
    walk_to("replied", complaint, centre=centre_staff, handler=staff_b, handling_office=office_b)
    Complaint.objects.filter(pk=complaint.pk).update(description="窗口\v工作人员\x07态度恶劣。", location="二楼\x1b")
    ComplainantIdentity.objects.filter(complaint=complaint).update(name="张\v三")
    services.complaints_sweep(today=complaint.complete_due.replace(year=complaint.complete_due.year + 1))
    TaskFactory(phase=phase, lead=office_a, title="召开\v动员\x07大会")
    return complaint


def test_the_centres_identity_ledger_and_queue_exports_hold_a_name_with_a_vertical_tab(client, centre_staff, legacy):
    client.force_login(centre_staff)
    ledger = _cells(client.get(reverse("oversight-staff:ledger-export", args=["complaints"])))
    assert "张\n三" in ledger and not any(isinstance(c, str) and "\v" in c for c in ledger)
    queue = _cells(client.get(reverse("complaints-staff:export")))
    assert legacy.tracking_number in queue and not any(isinstance(c, str) and "\v" in c for c in queue)
    assert _cells(client.get(reverse("complaints-staff:cases-export")))


def test_every_ledger_and_the_summary_export_rows_with_control_characters(client, coordinator, legacy):
    client.force_login(coordinator)
    for key in all_ledgers():
        cells = _cells(client.get(reverse("oversight-staff:ledger-export", args=[key])))
        assert not any(isinstance(c, str) and any(ch in c for ch in CONTROLS + "\v\f") for c in cells), key
    pdf = client.get(reverse("oversight-staff:summary-pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_an_uploaded_file_keeps_its_name_without_control_characters():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from complaints.attachments import clean_complaint_upload
    from rectification.demo import PDF

    upload = SimpleUploadedFile("整改\v证据\x07.pdf", PDF, content_type="application/pdf")
    assert clean_complaint_upload(upload).original_name == "整改 证据.pdf"


# --- Appraisal: ballot comments and the appraisal exports ------------------------------------
@pytest.fixture
def appraisal(campaign, office_a, office_b):
    from evaluations.models import Question
    from evaluations.tests.factories import make_survey

    return make_survey(campaign, [office_a, office_b], extra_questions=(Question.Kind.SINGLE, Question.Kind.TEXT))


def _text_question(survey):
    from evaluations.models import Question

    return survey.questions.get(kind=Question.Kind.TEXT)


def test_a_ballot_comment_stores_no_control_characters_by_any_channel(client, appraisal):
    from evaluations.models import Answer
    from evaluations.tests.factories import full_answers, group, invite, vote

    text = _text_question(appraisal)
    # The service, as bulk entry of paper ballots and the open link call it.
    vote(invite(group(appraisal))[0], full_answers(appraisal, overrides={text.pk: "办事\v效率\x07高\u2028"}))
    assert Answer.objects.get(question=text).text == "办事\n效率高"

    # The public ballot form.
    (invitation,) = invite(group(appraisal))
    data = {}
    for question, answer in full_answers(appraisal, overrides={text.pk: "张\v三：\x1b服务好"}).items():
        if isinstance(answer, dict):
            data.update({f"q{question}_o{office}": rating for office, rating in answer.items()})
        else:
            data[f"q{question}"] = answer
    response = client.post(reverse("evaluations:ballot", args=[invitation.token]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = sorted(Answer.objects.filter(question=text).values_list("text", flat=True))
    assert stored == ["办事\n效率高", "张\n三：服务好"]


def test_the_appraisal_exports_hold_names_and_comments_stored_with_control_characters(
    client, coordinator, appraisal, office_a
):
    from campaigns.models import Office
    from evaluations.models import Invitation, Option, Question, RespondentGroup, Survey
    from evaluations.tests.factories import full_answers, group, invite, vote

    text = _text_question(appraisal)
    first = group(appraisal)
    invitations = invite(first, 3, note="张\v三，某企业\x07")
    vote(invitations[0], full_answers(appraisal, overrides={text.pk: "服务好"}))
    # Rows stored before intake cleaned them.
    Office.objects.filter(pk=office_a.pk).update(name="党委\v办公室\x07")
    Survey.objects.filter(pk=appraisal.pk).update(title="民主\v评议\x1b测评")
    RespondentGroup.objects.filter(pk=first.pk).update(name="服务\f对象")
    Question.objects.filter(survey=appraisal).update(text="总体\v评价\x08")
    Option.objects.filter(question__survey=appraisal).update(text="窗口\v服务")
    Invitation.objects.filter(batch=invitations[0].batch).update(note="张\v三，某企业\x07")
    client.force_login(coordinator)

    results = _cells(client.get(reverse("evaluations-staff:results-export", args=[appraisal.pk])), every_sheet=True)
    assert "党委\n办公室" in results and "服务\n对象" in results
    assert not any(isinstance(c, str) and any(ch in c for ch in CONTROLS + "\v\f") for c in results)

    batch = invitations[0].batch
    sheet = _cells(client.get(reverse("evaluations-staff:batch-xlsx", args=[appraisal.pk, batch.pk])))
    assert "张\n三，某企业" in sheet
    assert not any(isinstance(c, str) and any(ch in c for ch in CONTROLS + "\v\f") for c in sheet)

    answers = client.get(reverse("evaluations-staff:answers", args=[appraisal.pk]))
    assert answers.status_code == 200
