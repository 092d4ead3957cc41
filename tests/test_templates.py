"""Template habits that are easy to get wrong and only fail at render time."""

import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((REPO_ROOT / "templates").rglob("*.html")) + sorted((REPO_ROOT / "templates").rglob("*.txt"))
# ``|last`` indexes with -1, which a QuerySet refuses (a 500 on the page); the
# view hands the template the item it needs instead.
LAST_FILTER = re.compile(r"\|\s*last\b")


def test_the_template_scan_finds_templates():
    assert len(TEMPLATES) > 100
    assert LAST_FILTER.search("{% with lb=c.lookbacks.all|last %}")
    assert not LAST_FILTER.search("{% if not forloop.last %}")


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_no_template_takes_the_last_item_of_a_list_it_did_not_build(template):
    assert not LAST_FILTER.search(template.read_text(encoding="utf-8")), "pass the last item from the view"


# A colon typed after a translated label stays ASCII in Chinese ("当前活动:" instead of
# "当前活动："): the separator is translated too ({% translate ": " context "after a label" %}).
LABEL_COLON = re.compile(r"(%\}|\}\}):(?=\s|<|$)")


def test_the_colon_scan_finds_a_typed_colon():
    assert LABEL_COLON.search('{% translate "Status" %}: {{ s }}')
    assert LABEL_COLON.search('<b>{% translate "Question" %}:</b>')
    assert not LABEL_COLON.search('{% translate ": " context "after a label" %}{{ s }}')


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_no_ascii_colon_follows_a_translated_label(template):
    lines = template.read_text(encoding="utf-8").splitlines()
    typed = [line for line in lines if "blocktranslate" not in line and LABEL_COLON.search(line)]
    assert not typed, 'translate the separator: {% translate ": " context "after a label" %}'
