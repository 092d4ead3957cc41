"""A notice's words are kept untranslated and translated each time they are read."""

import datetime as dt

from django.utils import translation

from notifications.models import first_line
from notifications.texts import Localized, Text, ngettext_noop

ONE, MANY = ngettext_noop("Due in %(days)s day: %(title)s", "Due in %(days)s days: %(title)s")
TITLE = Text("Task %(code)s “%(title)s”", {"code": "2.3", "title": "召开动员大会"})


def in_each_language(text: Text) -> dict[str, str]:
    shown = {}
    for language in ("zh-hans", "zh-hant", "en"):
        with translation.override(language):
            shown[language] = str(text)
    return shown


def test_a_text_is_translated_in_the_language_active_when_it_is_read():
    text = Text(ONE, {"days": 3, "title": TITLE}, plural=MANY, count="days")
    assert in_each_language(text) == {
        "zh-hans": "3 天后到期：工作任务 2.3“召开动员大会”",
        "zh-hant": "3 天後到期：工作任務 2.3“召开动员大会”",
        "en": "Due in 3 days: Task 2.3 “召开动员大会”",
    }


def test_a_text_survives_its_trip_through_json_with_dates_and_names_in_each_language():
    text = Text(
        "%(title)s is due on %(date)s.",
        {
            "title": Localized({"zh-hans": "服务态度差", "zh-hant": "服務態度差", "en": "Bad attitude"}),
            "date": dt.date(2026, 11, 30),
        },
    )
    again = Text.from_json(text.to_json())
    assert again == text
    shown = in_each_language(again)
    assert shown["en"].startswith("Bad attitude is due on ") and "2026" in shown["en"]
    assert shown["zh-hant"].startswith("服務態度差將於")
    assert shown["zh-hans"].startswith("服务态度差将于")


def test_a_name_missing_in_the_readers_language_falls_back_to_the_portals_own():
    with translation.override("en"):
        assert str(Localized({"zh-hans": "服务态度差"})) == "服务态度差"


def test_a_translation_that_does_not_fit_its_parameters_shows_the_english_words_instead_of_failing():
    text = Text("Due today: %(title)s", {"name": "x"})
    with translation.override("zh-hans"):
        assert str(text) == "Due today: %(title)s"


def test_an_older_notice_shows_the_first_line_of_its_mail_after_the_greeting():
    mail = "Dear 王明,\n\nTask 1.2 is due on 5 December.\n\nOpen it: http://x/"
    assert first_line(mail) == "Task 1.2 is due on 5 December."
    assert first_line("王明，您好：\n任务即将到期。") == "任务即将到期。"
    assert first_line("The export is ready.") == "The export is ready."


def test_a_lazily_translated_label_is_kept_untranslated_and_translated_when_read():
    from django.utils.translation import gettext_lazy, pgettext_lazy

    params = {"status": pgettext_lazy("complaint", "Closed"), "title": gettext_lazy("Inbox")}
    text = Text.from_json(Text("%(status)s: %(title)s", params).to_json())
    assert text.to_json()["params"]["status"] == {"text": {"msgid": "Closed", "context": "complaint"}}
    with translation.override("zh-hans"):
        assert str(text.params["title"]) == "收件箱"
