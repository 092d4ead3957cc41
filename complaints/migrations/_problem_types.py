"""The seven problem types of seed 001 (三.2) plus "other", with the default
time limits (3 working days to accept, 15 to complete). Used by the data
migration and after every migrate (a flushed test database gets them back)."""

TYPES = [
    # code, 简体, 繁體, English, corruption
    ("inaction", "行政不作为", "行政不作為", "Administrative inaction", False),
    ("arbitrary", "行政乱作为", "行政亂作為", "Arbitrary administrative action", False),
    ("attitude", "服务态度差", "服務態度差", "Poor service attitude", False),
    ("inefficiency", "办事效率低下", "辦事效率低下", "Low efficiency", False),
    ("corruption", "为政不廉", "為政不廉", "Abuse of office", True),
    ("irresponsibility", "责任心不强", "責任心不強", "Lack of responsibility", False),
    ("policy", "政令不畅", "政令不暢", "Policy not carried out", False),
    ("other", "其他", "其他", "Other", False),
]

# code: (简体, 繁體, English). The public complaint form shows the one in the reader's language.
DESCRIPTIONS = {
    "inaction": (
        "不履行或不正确履行职责，对群众和企业反映的热点、难点问题不采取有效措施及时予以解决。",
        "不履行或不正確履行職責，對群眾和企業反映的熱點、難點問題不採取有效措施及時予以解決。",
        "Not doing one's duty, or doing it wrongly; taking no effective and timely action on the pressing and "
        "difficult problems citizens and enterprises raise.",
    ),
    "arbitrary": (
        "行政行为不规范、执法不严、办事不公、乱检查、乱摊派、乱收费、乱罚款。",
        "行政行為不規範、執法不嚴、辦事不公、亂檢查、亂攤派、亂收費、亂罰款。",
        "Irregular administrative acts, lax law enforcement, unfair treatment; arbitrary inspections, levies, "
        "charges and fines.",
    ),
    "attitude": (
        "“门难进、脸难看、话难听、事难办”，对群众、对企业进行刁难甚至辱骂。",
        "“門難進、臉難看、話難聽、事難辦”，對群眾、對企業進行刁難甚至辱罵。",
        "“Hard to get in, cold faces, harsh words, nothing gets done”: making things difficult for citizens "
        "and enterprises, or even insulting them.",
    ),
    "inefficiency": (
        "推诿、扯皮、作风拖拉疲沓、不兑现承诺、不落实整改措施。",
        "推諉、扯皮、作風拖拉疲沓、不兌現承諾、不落實整改措施。",
        "Passing the buck, wrangling, slow and slack work, promises not kept, corrective measures not carried out.",
    ),
    "corruption": (
        "以权谋私、弄权勒索、“吃、拿、卡、要”和与民争利。",
        "以權謀私、弄權勒索、“吃、拿、卡、要”和與民爭利。",
        "Using one's office for private gain or to extort; “eating, taking, obstructing and demanding” "
        "(吃拿卡要); profiting at the public's expense.",
    ),
    "irresponsibility": (
        "不想干事、干不好事、得过且过、不思进取、贪图安逸享乐。",
        "不想幹事、幹不好事、得過且過、不思進取、貪圖安逸享樂。",
        "Not wanting to work or not doing it well, muddling along, no drive, seeking ease and comfort.",
    ),
    "policy": (
        "“上有政策、下有对策”、阳奉阴违，另搞一套或大打折扣。",
        "“上有政策、下有對策”、陽奉陰違，另搞一套或大打折扣。",
        "“Policies from above, countermeasures from below”: complying in appearance only, doing things one's "
        "own way or carrying policies out by halves.",
    ),
}


def create_defaults(apps) -> None:
    ProblemType = apps.get_model("complaints", "ProblemType")
    # Migration 0002 runs before the translated descriptions exist (0005 adds them).
    translated = any(f.name == "description_en" for f in ProblemType._meta.get_fields())
    for order, (code, name, hant, en, corruption) in enumerate(TYPES, start=1):
        description = DESCRIPTIONS.get(code, ("", "", ""))
        defaults = {
            "name": name,
            "name_zh_hant": hant,
            "name_en": en,
            "description": description[0],
            "is_corruption": corruption,
            "order": order,
        }
        if translated:
            defaults |= {"description_zh_hant": description[1], "description_en": description[2]}
        ProblemType.objects.get_or_create(code=code, defaults=defaults)


def translate_descriptions(apps) -> None:
    """Give the default types their traditional Chinese and English descriptions, where
    the simplified one is still the default and no translation was entered."""
    ProblemType = apps.get_model("complaints", "ProblemType")
    for code, (simplified, hant, en) in DESCRIPTIONS.items():
        ProblemType.objects.filter(code=code, description=simplified, description_zh_hant="").update(
            description_zh_hant=hant
        )
        ProblemType.objects.filter(code=code, description=simplified, description_en="").update(description_en=en)
