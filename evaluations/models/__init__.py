"""Democratic appraisal (民主评议): surveys of offices, weighted respondent groups,
one ballot per invitation, and hearings (听证质询). One module per part."""

from .ballots import Answer, Ballot, Invitation, InvitationBatch, Participation
from .hearings import Hearing, HearingQuestion, Panelist
from .surveys import Option, Question, Rating, RespondentGroup, Survey

__all__ = [
    "Answer",
    "Ballot",
    "Hearing",
    "HearingQuestion",
    "Invitation",
    "InvitationBatch",
    "Option",
    "Panelist",
    "Participation",
    "Question",
    "Rating",
    "RespondentGroup",
    "Survey",
]
