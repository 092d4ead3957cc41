"""The kernel's own models: the time-stamped base every app's models share, and
the work calendar (holidays and make-up working days) that time limits count on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class CalendarDay(TimeStampedModel):
    """An exception to the Monday–Friday working week: a public holiday on a
    weekday, or a weekend day made a working day (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (no work)")
        WORKDAY = "workday", _("Make-up working day (调休)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    name = models.CharField(_("name"), max_length=80, blank=True, help_text=_("e.g. National Day"))

    class Meta:
        verbose_name = _("work calendar day")
        verbose_name_plural = _("work calendar")
        ordering = ["date"]
        # The table it was created with when it lived in the campaigns app.
        db_table = "campaigns_calendarday"

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()
