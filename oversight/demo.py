"""Demo oversight data for the demo campaign: the deliverables of each phase with
some handed in, accepted and returned, two published bulletins and a draft, and
a published disclosure snapshot of the campaign's progress and complaints.

Everything goes through the services. Runs once: if the current campaign has any
deliverable, it does nothing."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from campaigns.current import get_current_campaign
from campaigns.demo import ZONE
from campaigns.models import Campaign, Office

from .models import Bulletin, Deliverable, Submission
from .services import bulletins as bulletin_services
from .services import deliverables as deliverable_services
from .services import disclosure as disclosure_services

# (phase order, kind, title, description, days after the phase start it is due; None: 5 days before its end)
DELIVERABLES = [
    (1, Deliverable.Kind.OTHER, "动员部署工作情况报告", "召开动员大会、组织学习的情况，附会议记录和签到表。", 20),
    (
        2,
        Deliverable.Kind.SELF_INSPECTION,
        "自查报告",
        "对照依法行政、服务态度、机关作风、队伍建设四个方面查找突出问题，剖析根源。",
        14,
    ),
    (2, Deliverable.Kind.PROBLEM_LIST, "问题清单", "逐条列出查摆出的问题、表现和根源。", 21),
    (
        2,
        Deliverable.Kind.RECTIFICATION_LEDGER,
        "整改台账",
        "问题、整改措施、责任单位、责任人、整改时限、完成情况、验收情况。",
        None,
    ),
    (
        3,
        Deliverable.Kind.SUMMARY_REPORT,
        "总结报告",
        "本单位开展机关行政效能建设活动的总结，含经验做法和长效机制。",
        None,
    ),
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

BULLETINS = [
    (
        Bulletin.Kind.PROGRESS,
        Bulletin.Audience.PUBLIC,
        "关于机关行政效能建设活动整改提高阶段工作进展情况的通报",
        "各部门：\n\n整改提高阶段开展以来，各部门认真查找问题、剖析原因，按时报送自查报告和问题清单。"
        "截至目前，大部分部门已完成自查，整改方案正在制定中。\n\n"
        "请尚未报送材料的部门抓紧完成，并按时限推进整改。",
        True,
    ),
    (
        Bulletin.Kind.COMMENDATION,
        Bulletin.Audience.INTERNAL,
        "关于表扬效能建设先进单位的通报",
        "党委办公室在动员部署阶段组织有力，材料报送及时、质量较高，特予通报表扬。",
        True,
    ),
    (
        Bulletin.Kind.CRITICISM,
        Bulletin.Audience.INTERNAL,
        "关于材料报送滞后情况的通报（草稿）",
        "个别部门自查报告报送滞后，请于三日内补报。",
        False,
    ),
]


def _due(phase, days_after):
    if days_after is None:
        return max(phase.start_date, phase.end_date - dt.timedelta(days=5))
    return min(phase.start_date + dt.timedelta(days=days_after), phase.end_date)


def _backdate(submission: Submission, day: dt.date, *, reviewed: bool = False):
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    fields = {"submitted_at": at}
    if reviewed:
        fields["reviewed_at"] = at + dt.timedelta(days=1)
    Submission.objects.filter(pk=submission.pk).update(**fields)


@transaction.atomic
def _level_report(users: dict) -> int:
    """惠阳区 reports its figures in its own campaign to the city (报送, seed 002), which
    finds the report in its inbox; once."""
    from campaigns.demo import DISTRICT_CAMPAIGN_NAME

    from .models import LevelReport
    from .services.reports import level_report_send

    district = users.get("district")
    campaign = Campaign.objects.filter(name=DISTRICT_CAMPAIGN_NAME, status=Campaign.Status.RUNNING).first()
    if district is None or campaign is None or LevelReport.objects.filter(campaign=campaign).exists():
        return 0
    level_report_send(
        actor=district,
        campaign_id=campaign.pk,
        title="惠阳区优化营商环境效能提升专项行动进展情况",
        note="淡水、秋长两个街道已完成动员部署，窗口服务明察暗访正在进行；滞后事项已督促限期完成。",
    )
    return 1


def load_demo(*, users: dict, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    reported = _level_report(users)
    campaign = get_current_campaign()
    if campaign is None or Deliverable.objects.filter(phase__campaign=campaign).exists():
        return reported
    coordinator = users["coordinator"]
    staff = {
        u.office_id: u
        for u in users.values()
        if u.office_id and not u.is_superuser and u.groups.filter(name="office_staff").exists()
    }
    # The zone's campaign: its own departments, not the second district's townships.
    departments = list(Office.objects.filter(pk__in=staff, parent__name=ZONE).order_by("name"))
    phases = {p.order: p for p in campaign.phases.all()}
    created = 0
    for index, (order, kind, title, description, days) in enumerate(DELIVERABLES):
        phase = phases.get(order)
        if phase is None:
            continue
        deliverable = Deliverable(
            phase=phase, kind=kind, title=title, description=description, due_date=_due(phase, days), order=index
        )
        deliverable.full_clean()
        deliverable.save()
        deliverable.offices.set(departments)
        created += 1
        if phase.start_date > today:
            continue  # a phase still ahead: nothing handed in
        # Not due within a week: only the quick offices have handed theirs in, early, and
        # it waits for review, so the current phase always has work for the campaign office.
        early = deliverable.due_date > today + dt.timedelta(days=7)
        for n, office in enumerate(departments):
            outcome = (n + index) % 4  # 0 accepted, 1 awaiting review, 2 returned, 3 nothing yet
            if outcome == 3 or (early and outcome != 1):
                continue
            handed_on = min(today, deliverable.due_date - dt.timedelta(days=2 - n % 3))
            handed_on = max(handed_on, phase.start_date)
            submission = deliverable_services.deliverable_submit(
                deliverable_id=deliverable.pk,
                actor=staff[office.pk],
                file=SimpleUploadedFile(f"{title}-{office.short_name or office.name}.pdf", PDF),
                note="请审核。",
            )
            created += 1
            if outcome == 0:
                deliverable_services.submission_accept(
                    submission_id=submission.pk, actor=coordinator, comment="材料齐全，予以通过。"
                )
            elif outcome == 2:
                deliverable_services.submission_return(
                    submission_id=submission.pk,
                    actor=coordinator,
                    comment="问题剖析不够深入，请补充整改措施和时限后重新报送。",
                )
            _backdate(submission, handed_on, reviewed=outcome != 1)
    for bulletin_kind, audience, title, body, publish in BULLETINS:
        bulletin = bulletin_services.bulletin_create(
            campaign_id=campaign.pk,
            actor=coordinator,
            kind=bulletin_kind,
            audience=audience,
            title=title,
            body=body,
            offices=departments[:1] if bulletin_kind == Bulletin.Kind.COMMENDATION else [],
        )
        if publish:
            bulletin_services.bulletin_publish(bulletin_id=bulletin.pk, actor=coordinator)
        created += 1
    from django.core.exceptions import ValidationError

    from .snapshots import available_kinds

    for disclosure_kind in available_kinds():
        try:
            item = disclosure_services.disclosure_prepare(
                campaign_id=campaign.pk, actor=coordinator, kind=disclosure_kind, today=today
            )
        except ValidationError:
            continue  # e.g. the rectification results or the appraisal ranking are not published yet
        disclosure_services.disclosure_publish(item_id=item.pk, actor=coordinator)
        created += 1
    return created + reported
