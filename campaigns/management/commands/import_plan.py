"""Import a campaign plan document (.docx or text), as /staff/plan/import/ does.

    python manage.py import_plan PATH [--campaign ID | --new-campaign NAME] [--dry-run] [--format json]
        [--year YYYY] [--map NAME=OFFICE ...] [--user USERNAME]

With --dry-run it prints what it read (with --format json, one JSON object) and stores nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.models import User
from campaigns.planning.importer import offices_for, plan_import, plan_preview, preview_json, read_document


class Command(BaseCommand):
    help = "Read a campaign plan document into phases, sections and tasks; store it unless --dry-run."

    def add_arguments(self, parser):
        parser.add_argument("path")
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--campaign", type=int, help="add the plan's phases to this campaign (id)")
        target.add_argument("--new-campaign", default="", help="create a new draft campaign with this name")
        parser.add_argument("--dry-run", action="store_true", help="print what was read; store nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--year", type=int, help="the year the plan's months fall in (default: this year)")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="NAME=OFFICE",
            help="the office (name or id) a plan's name means",
        )
        parser.add_argument("--user", help="import as this campaign office user (its area's offices)")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).select_related("office").first()
            if actor is None:
                raise CommandError(f"No user {options['user']!r}.")
        try:
            with path.open("rb") as handle:
                text = read_document(File(handle, name=path.name))
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        offices = offices_for(actor)
        mapping = {}
        for item in options["map"]:
            name, sep, target = item.partition("=")
            if not sep:
                raise CommandError(f"--map takes NAME=OFFICE, not {item!r}.")
            office = offices.filter(pk=int(target)).first() if target.isdigit() else offices.filter(name=target).first()
            if office is None:
                raise CommandError(f"No office {target!r} to map {name!r} to.")
            mapping[name] = office.pk
        year = options["year"] or timezone.localdate().year
        preview = plan_preview(text, year=year, offices=offices, mapping=mapping)

        if options["dry_run"]:
            if options["format"] == "json":
                self.stdout.write(json.dumps(preview_json(preview), ensure_ascii=False, indent=2))
            else:
                self._print(preview)
            return
        try:
            campaign = plan_import(
                preview=preview,
                actor=actor,
                campaign_id=options["campaign"],
                new_campaign_name=options["new_campaign"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        result = {"campaign": campaign.pk, "name": campaign.name, "tasks": preview.task_count()}
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(f"Imported {result['tasks']} tasks into campaign {campaign.pk} “{campaign.name}”.")

    def _print(self, preview):
        for phase in preview_json(preview)["phases"]:
            self.stdout.write(f"{phase['name']}  {phase['start'] or '?'} – {phase['end'] or '?'}")
            for task in phase["tasks"]:
                offices = "、".join(filter(None, [task["lead"], *task["co_offices"]]))
                if task["all_offices"]:
                    offices = (offices + " + " if offices else "") + "ALL"
                self.stdout.write(
                    f"  {task['number']:>3}. {task['title'][:50]}  [{offices or '-'}] {task['deadline'] or ''}"
                )
        for name in preview.unmatched:
            self.stdout.write(f"UNMATCHED {name}")
        for warning in preview.plan.warnings:
            self.stdout.write(f"WARNING {warning}")
