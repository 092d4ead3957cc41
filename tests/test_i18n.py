"""All three languages are complete: every string in the source is in every
catalogue, translated, and the traditional-script one really is traditional."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ["zh_Hans", "zh_Hant", "en"]


def _catalog(locale):
    with (ROOT / "locale" / locale / "LC_MESSAGES" / "django.po").open("rb") as fh:
        return read_po(fh)


def _ids(catalog):
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_complete_and_has_no_fuzzy_entries(locale):
    catalog = _catalog(locale)
    missing, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
        if not all(strings):
            missing.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not missing, f"{locale}: untranslated: {missing[:20]}"
    assert not fuzzy, f"{locale}: fuzzy: {fuzzy[:20]}"


PLACEHOLDER = re.compile(r"%\((\w+)\)[sdf]|%[sd]")


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_every_placeholder(locale):
    """A translation that drops or renames %(name)s crashes the page that uses it."""
    wrong = []
    for message in _catalog(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else [message.id]
        strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            if text and set(PLACEHOLDER.findall(text)) != expected:
                wrong.append((ids[0], text))
    assert not wrong, wrong[:10]


def test_all_catalogues_hold_the_same_messages():
    ids = {locale: _ids(_catalog(locale)) for locale in LOCALES}
    assert ids["zh_Hans"] == ids["zh_Hant"] == ids["en"]


def test_traditional_catalogue_uses_traditional_characters():
    """No character of the zh-hant catalogue is a simplified-only one: converted
    on its own to traditional script (OpenCC s2tw, characters only, no change of
    vocabulary), every character stays as it is."""
    opencc = pytest.importorskip("opencc")
    to_traditional = opencc.OpenCC("s2tw")
    # Characters that are simplified forms of one word but proper traditional
    # characters of another (批准 "approve" keeps 准; 只能 keeps 只; 若干 keeps 干).
    also_traditional = set("准只干")
    offenders = set()
    for message in _catalog("zh_Hant"):
        strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
        for text in strings:
            for char in text or "":
                if char not in also_traditional and to_traditional.convert(char) != char:
                    offenders.add((char, to_traditional.convert(char), text))
    assert not offenders, sorted(offenders)[:10]


def test_catalogues_cover_every_string_in_the_source(tmp_path):
    """Re-extract the messages from a copy of the source and compare."""
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext (xgettext) is not installed")
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in files:
        src = ROOT / name
        if src.is_file():
            dest = tmp_path / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
    env = {
        **os.environ,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "campaign_portal.settings",
        "VAR_DIR": str(tmp_path / "var"),
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "en", "--no-obsolete", "--ignore", "var/*"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    with (tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po").open("rb") as fh:
        extracted = _ids(read_po(fh))
    committed = _ids(_catalog("en"))
    assert not extracted - committed, (
        f"not in the catalogues yet (run `make makemessages`): {sorted(extracted - committed)[:20]}"
    )
    assert not committed - extracted, f"obsolete entries: {sorted(committed - extracted)[:20]}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, expected",
    [("zh-hans", "当前阶段"), ("zh-hant", "當前階段"), ("en", "Current phase")],
)
def test_home_page_speaks_each_language(client, phase, language, expected):
    client.cookies["django_language"] = language
    html = client.get("/").content.decode()
    assert f'<html lang="{language}">' in html
    assert expected in html


@pytest.mark.parametrize(
    ("language", "change", "attempts"),
    [("zh-hans", "修改", "登录尝试"), ("zh-hant", "修改", "登入嘗試"), ("en", "Change", "access attempts")],
)
def test_the_admin_speaks_django_s_words_and_axes_in_each_language(client, admin_user, language, change, attempts):
    """The language switcher's "Change" (切换) has its own context, so Django's "Change"
    links in the admin are 修改 again; the axes models are translated."""
    client.force_login(admin_user)
    client.cookies["django_language"] = language
    index = client.get("/admin/").content.decode()
    assert f">{change}<" in index and ">切换<" not in index.replace('type="submit">切换<', "")
    assert attempts in index.lower() or attempts.capitalize() in index
