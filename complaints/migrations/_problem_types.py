"""The seven problem types of seed 001 (三.2) plus "other", with the default
time limits (3 working days to accept, 15 to complete). Used by the data
migration and after every migrate (a flushed test database gets them back)."""

TYPES = [
    # code, 简体, 繁體, English, description (简体), corruption
    ("inaction", "行政不作为", "行政不作為", "Administrative inaction",
     "不履行或不正确履行职责，对群众和企业反映的热点、难点问题不采取有效措施及时予以解决。", False),
    ("arbitrary", "行政乱作为", "行政亂作為", "Arbitrary administrative action",
     "行政行为不规范、执法不严、办事不公、乱检查、乱摊派、乱收费、乱罚款。", False),
    ("attitude", "服务态度差", "服務態度差", "Poor service attitude",
     "“门难进、脸难看、话难听、事难办”，对群众、对企业进行刁难甚至辱骂。", False),
    ("inefficiency", "办事效率低下", "辦事效率低下", "Low efficiency",
     "推诿、扯皮、作风拖拉疲沓、不兑现承诺、不落实整改措施。", False),
    ("corruption", "为政不廉", "為政不廉", "Abuse of office",
     "以权谋私、弄权勒索、“吃、拿、卡、要”和与民争利。", True),
    ("irresponsibility", "责任心不强", "責任心不強", "Lack of responsibility",
     "不想干事、干不好事、得过且过、不思进取、贪图安逸享乐。", False),
    ("policy", "政令不畅", "政令不暢", "Policy not carried out",
     "“上有政策、下有对策”、阳奉阴违，另搞一套或大打折扣。", False),
    ("other", "其他", "其他", "Other", "", False),
]


def create_defaults(apps) -> None:
    ProblemType = apps.get_model("complaints", "ProblemType")
    for order, (code, name, hant, en, description, corruption) in enumerate(TYPES, start=1):
        ProblemType.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "name_zh_hant": hant, "name_en": en, "description": description,
                "is_corruption": corruption, "order": order,
            },
        )
