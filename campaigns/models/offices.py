"""Offices (the units of government) and their staff, the portal's users."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kernel.models import TimeStampedModel

#: The offices inside a level of government: departments and their sections.
INSIDE_LEVELS = ("department", "section")


#: The same in SQL: the offices that are levels of government.
GOVERNMENT_LEVELS = ~Q(level__in=INSIDE_LEVELS)


def is_government_level(level: str) -> bool:
    """Province, city, district and township are levels of government: the nodes a
    campaign office or complaint centre is responsible for (``Office.level_path``)."""
    return level not in INSIDE_LEVELS


def misplaced_level(level: str, parent_level: str | None) -> str | None:
    """The tree's rule on levels, for an office of ``level`` under a parent of
    ``parent_level`` (None: at the top): "section" when a section (处/科室) is not
    inside a department or section, "government" when a level of government sits
    inside one; None when the place is right. ``Office.clean`` and the directory
    import (campaigns/officeimport.py) each say it in their own words."""
    if level == "section" and parent_level not in INSIDE_LEVELS:
        return "section"
    if is_government_level(level) and parent_level in INSIDE_LEVELS:
        return "government"
    return None


class Office(TimeStampedModel):
    """A unit of government: city, district or township, or a department under one."""

    class Level(models.TextChoices):
        """Levels of government (province … township), then the offices inside one:
        a department (局/委/办) and its sections (处/科室, seeds 003 and 004)."""

        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        DISTRICT = "district", _("District / county")
        TOWNSHIP = "township", _("Township / street")
        DEPARTMENT = "department", _("Department")
        SECTION = "section", _("Section (处/科室)")

    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level, default=Level.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_complaint_centre = models.BooleanField(
        _("complaint centre"),
        default=False,
        help_text=_(
            "This office is the complaint centre (效能投诉中心) of its level: it handles the complaints about the "
            "offices of its city, district or township, except its own office's and its parent's."
        ),
    )
    # Who answers for the office in a campaign ("落实到人"): its head (负责人) and the
    # liaison (联络员) the campaign office writes to; each a member of the office.
    # The office directory's import (campaigns/officeimport.py) names the head.
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head of office"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The member of this office the campaign office contacts about its tasks."),
    )
    # The office tree as a materialised path, kept by ``save`` (and by
    # ``rebuild_paths`` after bulk writes): ``path`` is the primary keys from the
    # top down, each followed by a dot ("1.5.12."), so an office's subtree is every
    # row whose path starts with its own — one indexed prefix query, on SQLite and
    # PostgreSQL alike. ``level_path`` is the path of the nearest level of
    # government at or above the office (a city, district or township: the node a
    # campaign office or complaint centre working there is responsible for), empty
    # when there is none. campaigns/scope.py reads them.
    path = models.CharField(_("tree path"), max_length=255, default="", editable=False)
    level_path = models.CharField(_("level path"), max_length=255, default="", editable=False)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]
        indexes = [
            # LIKE 'prefix%' on PostgreSQL needs the pattern operator class (other databases ignore it).
            models.Index(fields=["path"], name="office_path_idx", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="office_name_unique_under_parent"),
            models.UniqueConstraint(fields=["name"], condition=Q(parent__isnull=True), name="office_top_name_unique"),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="office_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_level(self) -> bool:
        """A level of government (province, city, district, township), not a
        department or a section inside one."""
        return is_government_level(self.level)

    @property
    def depth(self) -> int:
        return max(self.path.count(".") - 1, 0)

    @property
    def ancestor_ids(self) -> list[int]:
        """The offices above this one, from the top down (read from the path)."""
        return [int(pk) for pk in self.path.split(".")[:-2] if pk]

    def save(self, *args, **kwargs):
        # The paths are the tree's, never the instance's: an update leaves them to
        # ``_place_in_tree`` (a stale instance must not write back an old path).
        tree_fields = {"path", "level_path"}
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and update_fields is None:
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in tree_fields
            ]
        elif update_fields is not None:
            kwargs["update_fields"] = [f for f in update_fields if f not in tree_fields]
        with transaction.atomic():
            super().save(*args, **kwargs)
            if update_fields is None or {"parent", "parent_id", "level"} & set(update_fields):
                self._place_in_tree()

    def _place_in_tree(self) -> None:
        """Write this office's paths, and its sub-offices' when it moved or changed level."""
        if self.parent_id:
            parent_path, parent_level_path = (
                Office.objects.filter(pk=self.parent_id).values_list("path", "level_path").get()
            )
        else:
            parent_path, parent_level_path = "", ""
        path = f"{parent_path}{self.pk}."
        level_path = path if self.is_level else parent_level_path
        stored = Office.objects.filter(pk=self.pk).values_list("path", "level_path").get()
        if stored == (path, level_path):
            return
        old_path = stored[0]
        Office.objects.filter(pk=self.pk).update(path=path, level_path=level_path)
        self.path, self.level_path = path, level_path
        if old_path:
            rebuild_paths(Office.objects.filter(path__startswith=old_path).exclude(pk=self.pk))

    def clean(self):
        errors = {}
        for name in ("head", "liaison"):
            person = getattr(self, name)
            if person is not None and (self.pk is None or person.office_id != self.pk):
                errors[name] = _("%(person)s is not a member of this office.") % {"person": person}
        misplaced = misplaced_level(self.level, self.parent.level if self.parent else None)
        if misplaced == "section":
            errors["level"] = _("A section (处/科室) sits inside a department: choose the department as its parent.")
        elif misplaced == "government":
            errors["level"] = _("A level of government cannot sit inside a department or a section.")
        if errors:
            raise ValidationError(errors)
        # Walk up the tree: an office may not become its own ancestor.
        seen = {self.pk} if self.pk else set()
        node = self.parent
        while node is not None:
            if node.pk in seen:
                raise ValidationError({"parent": _("An office cannot be placed under itself or its own sub-office.")})
            seen.add(node.pk)
            node = node.parent


def rebuild_paths(offices=None) -> int:
    """Recompute ``path`` and ``level_path`` for ``offices`` (default: all) from the
    parent links, top down; for bulk loads (the office import, the benchmark data,
    the migration) and for the sub-offices of an office that moved. Returns the
    number of offices written."""
    rows = {
        pk: (parent_id, level)
        for pk, parent_id, level in (offices if offices is not None else Office.objects.all()).values_list(
            "pk", "parent_id", "level"
        )
    }
    if not rows:
        return 0
    outside = {p for p, _level in rows.values() if p and p not in rows}
    known = {
        pk: (path, lp) for pk, path, lp in Office.objects.filter(pk__in=outside).values_list("pk", "path", "level_path")
    }
    done: dict[int, tuple[str, str]] = {}

    def place(pk: int, seen: frozenset = frozenset()) -> tuple[str, str]:
        if pk in done:
            return done[pk]
        if pk in known:
            return known[pk]
        if pk in seen:
            raise ValidationError(_("An office cannot be placed under itself or its own sub-office."))
        parent_id, level = rows[pk]
        parent_path, parent_level_path = place(parent_id, seen | {pk}) if parent_id else ("", "")
        path = f"{parent_path}{pk}."
        done[pk] = (path, path if is_government_level(level) else parent_level_path)
        return done[pk]

    for pk in rows:
        place(pk)
    changed = [Office(pk=pk, path=path, level_path=lp) for pk, (path, lp) in done.items()]
    Office.objects.bulk_update(changed, ["path", "level_path"], batch_size=500)
    return len(changed)


class User(AbstractUser):
    """A staff member. Citizens never have accounts."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("The office this staff member works in."),
    )
    title = models.CharField(_("job title"), max_length=80, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    notify_by_email = models.BooleanField(_("notify me by e-mail"), default=True)
    notify_by_sms = models.BooleanField(_("notify me by SMS"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        full = self.get_full_name()
        return full or self.username

    @property
    def is_coordinator(self) -> bool:
        return self.has_perm("campaigns.coordinate_campaign")

    @property
    def can_read_all(self) -> bool:
        return self.has_perm("campaigns.view_all_tasks")
