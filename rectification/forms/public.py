"""The public's rating and comment forms (no account)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Rating
from ..models.feedback import COMMENT_MAX
from .base import CrispyForm, textarea


# --- The public's feedback ---------------------------------------------------------------------
class RatingForm(CrispyForm):
    value = forms.ChoiceField(
        label=_("Are you satisfied with this rectification?"),
        choices=Rating.Value.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the ratings."), "invalid_choice": _("Choose one of the ratings.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        widget=textarea(
            4, maxlength=COMMENT_MAX, **{"data-counter": "", "data-counter-text": _("{count} of {max} characters")}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix_ids="rate", **kwargs)
        self.fields["comment"].help_text = gettext(
            "Comments are read by the campaign office before they are published. No links, please; "
            "at most %(max)d characters."
        ) % {"max": COMMENT_MAX}

    def clean_comment(self):
        text = (self.cleaned_data.get("comment") or "").strip()
        if len(text) > COMMENT_MAX:
            raise forms.ValidationError(
                _("Please keep the comment under %(max)d characters (it has %(n)d)."),
                params={"max": COMMENT_MAX, "n": len(text)},
            )
        return text


class CommentForm(CrispyForm):
    comment = forms.CharField(
        label=_("Your comment"),
        widget=textarea(
            4, maxlength=COMMENT_MAX, **{"data-counter": "", "data-counter-text": _("{count} of {max} characters")}
        ),
        error_messages={"required": _("Write your comment.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix_ids="comment", **kwargs)
        self.fields["comment"].help_text = gettext(
            "Read by the campaign office before it is published. No links, please; at most %(max)d characters."
        ) % {"max": COMMENT_MAX}

    clean_comment = RatingForm.clean_comment
