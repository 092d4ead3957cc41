import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from benchmarks.scale import Options, Refused, generate


class Command(BaseCommand):
    @property
    def help(self):
        # argparse wants plain strings, so translated when the parser is built (not lazily).
        return _(
            "Fill an empty database with realistic generated data for benchmarks: offices in a four-level "
            "tree, staff, campaigns, complaints, rectification commitments and appraisal ballots. Refuses to "
            "run on a database that holds real data."
        )

    def add_arguments(self, parser):
        defaults = Options()
        parser.add_argument("--offices", type=int, default=defaults.offices, help=_("Number of offices."))
        parser.add_argument(
            "--staff-per-office",
            type=int,
            default=defaults.staff_per_office,
            help=_("Staff accounts per office (10 with 3,000 offices: a province's 30,000 staff)."),
        )
        parser.add_argument("--complaints", type=int, default=defaults.complaints, help=_("Number of complaints."))
        parser.add_argument(
            "--commitments", type=int, default=defaults.commitments, help=_("Number of rectification commitments.")
        )
        parser.add_argument(
            "--ballots",
            type=int,
            default=defaults.ballots,
            help=_("Number of ballots in the published appraisal survey."),
        )
        parser.add_argument(
            "--offices-per-ballot",
            type=int,
            default=defaults.offices_per_ballot,
            help=_("How many offices each ballot rates."),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=defaults.seed,
            help=_("Random seed; the same seed gives the same data on the same day."),
        )
        parser.add_argument("--password", default=defaults.password, help=_("The password of every generated user."))
        parser.add_argument(
            "--replace", action="store_true", help=_("Wipe previously generated data and generate anew.")
        )
        parser.add_argument("--manifest", type=Path, help=_("Write the run's manifest (JSON) to this file."))
        parser.add_argument("--no-progress", action="store_true", help=_("Do not show progress bars."))

    def handle(self, *args, **options):
        for name in ("offices", "complaints", "commitments", "ballots"):
            if options[name] < 0:
                raise CommandError(_("--%(name)s cannot be negative.") % {"name": name})
        if options["offices_per_ballot"] < 1:
            raise CommandError(_("--offices-per-ballot must be at least 1."))
        if options["staff_per_office"] < 1:
            raise CommandError(_("--staff-per-office must be at least 1."))
        run_options = Options(
            offices=options["offices"],
            complaints=options["complaints"],
            commitments=options["commitments"],
            ballots=options["ballots"],
            seed=options["seed"],
            password=options["password"],
            replace=options["replace"],
            progress=not options["no_progress"],
            offices_per_ballot=options["offices_per_ballot"],
            staff_per_office=options["staff_per_office"],
        )
        try:
            run = generate(run_options)
        except (Refused, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if options["manifest"]:
            Path(options["manifest"]).write_text(
                json.dumps(run.manifest, ensure_ascii=False, indent=2), encoding="utf-8"
            )
        total = sum(run.manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                _("Generated %(rows)d rows in %(seconds).1f s (seed %(seed)d).")
                % {"rows": total, "seconds": run.duration_seconds, "seed": run.seed}
            )
        )
        timings = run.manifest["timings_seconds"]
        self.stdout.write(", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()))
