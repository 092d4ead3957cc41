from .ballot import BallotForm, CodeForm
from .staff import (
    BatchForm,
    FrozenGroupFormSet,
    GroupFormSet,
    HearingForm,
    HearingQuestionForm,
    NoteForm,
    PanelistForm,
    PollForm,
    QuestionForm,
    ReasonForm,
    SurveyForm,
    group_initial,
)

__all__ = [
    "BallotForm",
    "BatchForm",
    "FrozenGroupFormSet",
    "CodeForm",
    "GroupFormSet",
    "HearingForm",
    "HearingQuestionForm",
    "NoteForm",
    "PanelistForm",
    "PollForm",
    "QuestionForm",
    "ReasonForm",
    "SurveyForm",
    "group_initial",
]
