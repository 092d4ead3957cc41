"""Demo rectification: plans and commitments for five offices in every status,
with progress updates and evidence, a revision with a deadline extension, the
public's ratings and comments (some held for moderation, one with a link), a
supervisor's flag, a look-back that reopened a commitment and another waiting
in the look-back queue. Everything goes through the real services, each step
on its own (simulated) day, so the pages look as they would after six weeks.

Runs once: if the current campaign has any plan it does nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns.current import get_current_campaign
from campaigns.demo import ADMIN_OFFICE, DISCIPLINE, PARTY, PUBLICITY, TECH, ZONE
from campaigns.models import Office

from . import services
from .models import Commitment, Plan, Problem, RectificationSettings

H = Commitment.Handling
S = Commitment.Scope
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _evidence(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@contextlib.contextmanager
def _on(day: dt.date, hour: int = 10):
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


# (problem text, source, severity)
PROBLEMS = {
    PARTY: [
        (
            "机关作风方面：部分干部宗旨意识不强，对基层来访接待不热情。",
            Problem.Source.HEARING,
            Problem.Severity.SIGNIFICANT,
        ),
        (
            "公文办理流转环节多、周期长，文件积压现象时有发生。",
            Problem.Source.SELF_INSPECTION,
            Problem.Severity.SIGNIFICANT,
        ),
        ("部分制度多年未修订，与当前工作要求不相适应。", Problem.Source.SELF_INSPECTION, Problem.Severity.MINOR),
    ],
    ADMIN_OFFICE: [
        (
            "服务大厅窗口“门难进、脸难看、话难听”，群众评议满意率偏低。",
            Problem.Source.APPRAISAL,
            Problem.Severity.SERIOUS,
        ),
        ("办事指南与窗口实际要求不一致，群众多次往返。", Problem.Source.SUPERVISOR, Problem.Severity.SIGNIFICANT),
        ("审批环节多、时限长，企业反映强烈。", Problem.Source.HEARING, Problem.Severity.SERIOUS),
    ],
    TECH: [
        ("科技项目资金拨付慢，企业申报材料重复提交。", Problem.Source.SELF_INSPECTION, Problem.Severity.SIGNIFICANT)
    ],
    PUBLICITY: [("政务信息公开不及时，网站栏目长期未更新。", Problem.Source.SUPERVISOR, Problem.Severity.SIGNIFICANT)],
    DISCIPLINE: [("效能投诉办理结果反馈不及时。", Problem.Source.SELF_INSPECTION, Problem.Severity.MINOR)],
}


def load_demo(*, users: dict, today: dt.date | None = None) -> int:
    campaign = get_current_campaign()
    if campaign is None or Plan.objects.filter(campaign=campaign).exists():
        return 0
    today = today or timezone.localdate()
    offices = {
        o.name: o for o in Office.objects.filter(name__in=[PARTY, ADMIN_OFFICE, TECH, PUBLICITY, DISCIPLINE, ZONE])
    }
    if len(offices) < 6:
        return 0
    coordinator, supervisor = users["coordinator"], users["supervisor"]
    staff = {
        PARTY: users["party"],
        ADMIN_OFFICE: users["office"],
        TECH: users["tech"],
        PUBLICITY: users["publicity"],
        DISCIPLINE: users["discipline"],
    }
    d0 = today - dt.timedelta(days=40)

    def day(n: int) -> dt.date:
        return d0 + dt.timedelta(days=n)

    def due(n: int) -> dt.date:
        return today + dt.timedelta(days=n)

    created = 0
    cfg, _ = RectificationSettings.objects.get_or_create(campaign=campaign)
    cfg.rectification_phase = campaign.phases.order_by("order").filter(order=2).first() or campaign.phases.first()
    cfg.save()
    cfg.key_offices.set([offices[ADMIN_OFFICE]])

    # --- Problems found ------------------------------------------------------------
    problems: dict[str, list[Problem]] = {}
    with _on(day(0), 9):
        for name, rows in PROBLEMS.items():
            user = staff[name]
            problems[name] = []
            for text, source, severity in rows:
                problems[name].append(
                    services.problem_create(
                        actor=user,
                        office=offices[name],
                        description=text,
                        source=source,
                        severity=severity,
                        appraisal_reference="2026年群众评议机关问卷第3项" if source == Problem.Source.APPRAISAL else "",
                    )
                )
                created += 1
            # One click: a substantiated complaint about the office becomes a problem.
            complaint = services.complaints_to_record(user).order_by("pk").first()
            if complaint is not None:
                problems[name].append(services.problem_from_complaint(actor=user, complaint_id=complaint.pk))
                created += 1

    def commit(name, problem_index, **fields):
        plan = plans[name]
        data = {
            "problems": [problems[name][problem_index]],
            "responsible_office": offices[name],
            "responsible_person": fields.pop("person", "张明"),
            "responsible_title": fields.pop("title", "办公室主任"),
            "handling": H.BY_DEADLINE,
            "explanation": "",
            "higher_office": None,
            "scope": S.MEDIA if name == ADMIN_OFFICE else S.PUBLIC,
            **fields,
        }
        return services.commitment_create(actor=staff[name], plan_id=plan.pk, **data)

    # --- Plans and their commitments ---------------------------------------------------
    plans = {}
    summaries = {
        PARTY: "围绕机关作风和办文效率两方面突出问题，制定整改措施三项，建立长效机制。",
        ADMIN_OFFICE: "针对服务大厅窗口服务和审批效率问题，推行一次性告知、限时办结，整改结果通过媒体公布。",
        TECH: "针对科技项目资金拨付慢的问题，简化申报流程，压缩办理时限。",
        PUBLICITY: "针对政务信息公开不及时的问题，建立栏目更新责任制。",
        DISCIPLINE: "针对投诉办理反馈不及时的问题，完善办理流程。",
    }
    with _on(day(1), 10):
        for name, user in staff.items():
            plans[name] = services.plan_save(
                actor=user, summary=summaries[name], approved_collectively_on=day(1) if name != DISCIPLINE else None
            )
            created += 1
        party = [
            commit(
                PARTY,
                0,
                content="改进来访接待，杜绝冷硬横推。",
                measures="实行来访登记和首问负责制，每月通报接待情况。",
                goal="来访群众满意率达到95%。",
                deadline=due(-10),
            ),
            commit(
                PARTY,
                1,
                content="压缩公文流转环节。",
                measures="精简审核环节，推行电子公文流转，建立催办台账。",
                goal="一般公文3个工作日内办结。",
                deadline=due(20),
                person="李华",
                title="秘书科科长",
            ),
            commit(
                PARTY,
                1,
                content="清理积压文件。",
                measures="专人负责清理积压文件，逐件登记销号。",
                goal="积压文件全部办结。",
                deadline=due(-5),
            ),
            commit(
                PARTY,
                2,
                content="修订机关内部管理制度。",
                measures="梳理现行制度，废止过时制度，修订完善12项制度。",
                goal="形成制度汇编并印发。",
                deadline=due(10),
            ),
            commit(
                PARTY,
                0,
                content="各岗位整改承诺在本单位内部公布。",
                measures="各岗位对照职责制定个人整改承诺，在机关内部公示。",
                goal="全体干部完成个人整改。",
                deadline=due(30),
                scope=S.INTERNAL,
                handling=H.IMMEDIATE,
            ),
        ]
        admin = [
            commit(
                ADMIN_OFFICE,
                0,
                content="规范窗口服务用语和服务行为。",
                measures="开展窗口人员服务规范培训，推行服务评价器，实行末位约谈。",
                goal="窗口服务群众满意率达到90%以上。",
                deadline=due(-12),
            ),
            commit(
                ADMIN_OFFICE,
                1,
                content="统一办事指南。",
                measures="逐项核对办事指南与窗口要求，统一在网站和大厅公布。",
                goal="办事指南与窗口要求完全一致，一次性告知到位。",
                deadline=due(-15),
            ),
            commit(
                ADMIN_OFFICE,
                2,
                content="压缩企业开办审批时限。",
                measures="推行并联审批，取消重复提交材料。",
                goal="企业开办3个工作日内办结。",
                deadline=due(5),
            ),
            commit(
                ADMIN_OFFICE,
                2,
                content="建设网上预约和叫号系统。",
                measures="开发网上预约平台，大厅叫号系统联网。",
                goal="群众排队时间缩短一半。",
                deadline=due(-2),
            ),
            commit(
                ADMIN_OFFICE,
                2,
                content="审批权限下放和流程再造。",
                measures="分批梳理审批事项，报请上级同意后下放。",
                goal="年底前完成第一批事项下放。",
                deadline=due(60),
                handling=H.GRADUAL,
                explanation="部分审批权限由上级设定，需报上级批准后方能调整，因此分三批逐步推进，每批完成后向社会公布。",
            ),
        ]
        tech = [
            commit(
                TECH,
                0,
                content="简化科技项目申报材料。",
                measures="实行材料清单管理，已提交材料不再重复提交。",
                goal="申报材料减少三分之一。",
                deadline=due(20),
            ),
            commit(
                TECH,
                0,
                content="加快项目资金拨付。",
                measures="建立资金拨付限时制度。",
                goal="资金在批复后15个工作日内拨付。",
                deadline=due(40),
            ),
        ]
        publicity = [
            commit(
                PUBLICITY,
                0,
                content="理顺网站栏目管理职责。",
                measures="栏目涉及多个部门，报请管委会协调明确责任单位。",
                goal="每个栏目都有责任单位和更新时限。",
                deadline=due(25),
                handling=H.UPWARD,
                higher_office=offices[ZONE],
            ),
        ]
        created += len(party) + len(admin) + len(tech) + len(publicity)

    with _on(day(2), 15):
        for name in (PARTY, ADMIN_OFFICE, TECH, PUBLICITY):
            services.plan_submit(actor=staff[name], plan_id=plans[name].pk)
    with _on(day(3), 11):
        services.plan_approve(actor=coordinator, plan_id=plans[PARTY].pk, comments="同意备案。")
        services.plan_approve(actor=coordinator, plan_id=plans[ADMIN_OFFICE].pk)
        services.plan_return(
            actor=coordinator,
            plan_id=plans[PUBLICITY].pk,
            comments="整改措施过于笼统，请补充具体时间节点，并说明与上级协调的进展。",
        )

    def progress(user, commitment, n, percent, text, files=()):
        nonlocal created
        with _on(day(n), 16):
            services.progress_report(
                actor=user,
                commitment_id=commitment.pk,
                percent=percent,
                text=text,
                evidence=[_evidence(f) for f in files],
            )
        created += 1

    def complete(user, commitment, n, text):
        nonlocal created
        with _on(day(n), 17):
            services.commitment_claim_completion(
                actor=user, commitment_id=commitment.pk, text=text, evidence=[_evidence("整改完成情况报告.pdf")]
            )
        created += 1

    p, a = staff[PARTY], staff[ADMIN_OFFICE]
    # 党委办公室: verified, in progress, overdue, awaiting verification, internal.
    progress(p, party[0], 8, 50, "已建立来访登记台账，首问负责制上墙公示。", ["来访登记制度.pdf"])
    complete(p, party[0], 22, "来访接待制度全面落实，本月回访满意率96%。")
    with _on(day(24), 10):
        services.commitment_verify(actor=coordinator, commitment_id=party[0].pk)
    progress(p, party[1], 10, 30, "电子公文系统已完成招标。")
    progress(p, party[1], 25, 60, "电子公文系统上线试运行，审核环节由5个减为3个。", ["公文流转流程图.pdf"])
    progress(p, party[2], 12, 40, "已登记积压文件86件，办结35件。")
    progress(p, party[3], 15, 70, "已梳理制度46项，拟废止8项。")
    complete(p, party[3], 37, "12项制度修订完成，制度汇编已印发。")
    progress(p, party[4], 9, 20, "各岗位个人整改承诺已收齐。")
    # 管委会办公室: verified (look-back candidate), reopened, sent back, extended, step by step.
    progress(a, admin[0], 7, 50, "完成两期窗口人员服务规范培训。", ["培训签到表.pdf"])
    complete(a, admin[0], 20, "服务评价器全部启用，月度满意率91%。")
    with _on(day(21), 10):
        services.commitment_verify(actor=coordinator, commitment_id=admin[0].pk)
    complete(a, admin[1], 18, "办事指南已逐项核对并统一公布。")
    with _on(day(19), 10):
        services.commitment_verify(actor=coordinator, commitment_id=admin[1].pk)
    progress(a, admin[2], 14, 60, "并联审批方案已印发。")
    complete(a, admin[2], 30, "企业开办已实现3个工作日办结。")
    with _on(day(32), 10):
        services.commitment_send_back(
            actor=coordinator,
            commitment_id=admin[2].pk,
            reason="未附企业开办实际办理时长的统计数据，请补充后重新报送。",
        )
    progress(a, admin[3], 12, 30, "预约平台完成需求调研。")
    with _on(day(15), 11):
        services.commitment_update(
            actor=a,
            commitment_id=admin[3].pk,
            reason="叫号系统需与市级平台对接，市级接口年底才开放，完成时间相应顺延。",
            **_fields(admin[3], deadline=due(25), measures="开发网上预约平台，大厅叫号系统与市级政务服务平台联网。"),
        )

    # The public: ratings and comments.
    rated = 0
    votes = [
        (party[0], ["satisfied"] * 6 + ["basically"] * 3 + ["dissatisfied"]),
        (admin[0], ["satisfied"] * 4 + ["basically"] * 3 + ["dissatisfied"] * 5),  # 42% dissatisfied: look-back queue
        (admin[1], ["dissatisfied"] * 7 + ["basically"] * 4),
        (party[1], ["satisfied", "basically", "basically"]),
        (admin[3], ["dissatisfied", "dissatisfied", "basically"]),
    ]
    for commitment, values in votes:
        for i, value in enumerate(values):
            with _on(day(26 + i % 6), 12 + i % 8):
                services.rating_submit(
                    commitment_id=commitment.pk,
                    value=value,
                    browser_token=f"demo-{commitment.pk}-{i}",
                    ip=f"198.51.100.{i + 1}",
                )
            rated += 1
    created += rated
    comments = [
        (party[0], "接待态度明显好转，上次去办事工作人员主动引导。", True),
        (admin[1], "指南是统一了，但窗口还是要求额外材料，希望回头看。", True),
        (admin[0], "评价器形同虚设，工作人员会提示按满意。", False),
        (party[1], "详情见 www.example.com 上的帖子", False),
    ]
    for i, (commitment, text, publish) in enumerate(comments):
        with _on(day(33), 9 + i):
            held = services.comment_submit(
                commitment_id=commitment.pk, text=text, browser_token=f"demo-c{i}", ip=f"203.0.113.{i + 1}"
            )
        created += 1
        if publish:
            with _on(day(34), 10):
                services.comment_moderate(actor=coordinator, comment_id=held.pk, publish=True)

    # A look-back that reopened 统一办事指南, and a supervisor's flag.
    with _on(day(35), 15):
        services.lookback_decide(
            actor=coordinator,
            commitment_id=admin[1].pk,
            outcome="reopened",
            reason="群众评议中超过六成不满意，反映窗口仍要求指南以外的材料，请重新整改并逐项核查。",
        )
    with _on(day(36), 11):
        services.commitment_flag(
            actor=supervisor,
            commitment_id=party[1].pk,
            reason="听证质询中有代表反映电子公文系统试运行期间纸质文件仍需重复报送。",
        )
    return created


def _fields(commitment: Commitment, **changes) -> dict:
    commitment = Commitment.objects.get(pk=commitment.pk)
    data = {
        "problems": list(commitment.problems.all()),
        **{
            f: getattr(commitment, f)
            for f in (
                "content",
                "measures",
                "goal",
                "deadline",
                "responsible_office",
                "responsible_person",
                "responsible_title",
                "handling",
                "explanation",
                "higher_office",
                "scope",
            )
        },
    }
    data.update(changes)
    return data
