"""The run: refuse on real data, wipe on ``--replace``, write the marker first, fill
each area in its own transaction, then sequences, the survey's publication, ANALYZE
and the manifest."""

from __future__ import annotations

import contextlib
import random
import time
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from benchmarks.models import ScaleDataRun
from complaints.codes import hash_code as hash_access_code  # as the complaint form stores it
from complaints.services import ACCESS_CODE_ALPHABET

from . import guard
from .appraisal import OFFICES_PER_BALLOT, generate_appraisal
from .complaints import generate_complaints
from .org import MIN_OFFICES, generate_campaigns, generate_offices_and_users
from .rectification import generate_rectification
from .world import World
from .writer import BATCH_ROWS, Writers, reset_sequences, uses_copy


class Refused(Exception):
    """The database holds real data, or generated data and no ``--replace``."""


@dataclass
class Options:
    offices: int = 300
    complaints: int = 1_000_000
    commitments: int = 20_000
    ballots: int = 500_000
    seed: int = 2026
    password: str = "bench-password-2026"
    replace: bool = False
    progress: bool = True
    offices_per_ballot: int = OFFICES_PER_BALLOT
    batch_rows: int = BATCH_ROWS
    #: Staff accounts per office (a province-sized run: 3,000 offices × 10 = 30,000 staff).
    staff_per_office: int = 1


class _NoBar:
    def update(self, n=1):
        pass

    def close(self):
        pass


def _bar(options: Options, total: int, desc: str, unit: str):
    if not options.progress:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, unit_scale=True, dynamic_ncols=True)


def check_database(*, replace: bool) -> bool:
    """Raise ``Refused`` unless generating is safe; True if generated data must be wiped first."""
    marker = ScaleDataRun.objects.exists()
    filled = guard.tables_with_rows()
    if not marker and filled:
        raise Refused(
            _(
                "This database holds real data (rows in %(tables)s) and no record of generated data. "
                "Scale data is only generated into an empty, freshly migrated database."
            )
            % {"tables": ", ".join(filled[:6]) + ("…" if len(filled) > 6 else "")}
        )
    if marker and not replace:
        raise Refused(
            _(
                "This database already holds generated scale data. Run again with --replace to wipe it and "
                "generate anew."
            )
        )
    return marker


def _skip_row_triggers() -> None:
    """On PostgreSQL, for this transaction only, skip the per-row foreign-key triggers
    (``session_replication_role = replica``, allowed to superusers): checked one row at
    a time they cost more than the COPY itself, and the generator writes every key
    from the ids it allocated (the SQLite tests, which do check them, keep that honest).
    Without the right the checks simply run."""
    if not uses_copy():
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


def generate(options: Options) -> ScaleDataRun:
    if options.offices < MIN_OFFICES:
        raise ValueError(_("At least %(n)d offices are needed for a three-level tree.") % {"n": MIN_OFFICES})
    wipe = check_database(replace=options.replace)
    started = time.monotonic()
    timings: dict[str, float] = {}

    @contextlib.contextmanager
    def timed(name):
        t0 = time.monotonic()
        yield
        timings[name] = round(time.monotonic() - t0, 2)

    if wipe:
        with timed("wipe"):
            guard.wipe_content()
            ScaleDataRun.objects.all().delete()
    now = timezone.now().replace(microsecond=0)
    parameters = {
        k: getattr(options, k) for k in ("offices", "complaints", "commitments", "ballots", "offices_per_ballot")
    }
    # The marker comes first: a run that fails half-way leaves rows --replace may wipe.
    run = ScaleDataRun.objects.create(started_at=now, seed=options.seed, parameters=parameters)

    world = World(seed=options.seed, now=now)
    code_rng = random.Random(f"{options.seed}:access-code")
    raw = "".join(code_rng.choice(ACCESS_CODE_ALPHABET) for _ in range(10))
    access_code = f"{raw[:5]}-{raw[5:]}"
    with timed("hashing"):
        password_hash = make_password(options.password)  # once: Argon2 is slow on purpose
        access_code_hash = hash_access_code(access_code)

    def area(name, fill, total=None, unit="rows"):
        bar = _bar(options, total, name, unit) if total is not None else _NoBar()
        writers = Writers(now, world.counts, options.batch_rows)
        with timed(name), transaction.atomic():
            _skip_row_triggers()
            fill(writers, bar)
            writers.close()
        bar.close()

    def organisation(writers, bar):
        generate_offices_and_users(
            world,
            writers,
            offices=options.offices,
            password_hash=password_hash,
            staff_per_office=options.staff_per_office,
        )
        generate_campaigns(world, writers)

    area("offices", organisation)
    area(
        "complaints",
        lambda w, bar: generate_complaints(
            world, w, total=options.complaints, access_code_hash=access_code_hash, progress=bar
        ),
        options.complaints,
        "complaint",
    )
    area(
        "commitments",
        lambda w, bar: generate_rectification(world, w, total=options.commitments, progress=bar),
        options.commitments,
        "commitment",
    )
    area(
        "ballots",
        lambda w, bar: generate_appraisal(
            world, w, ballots=options.ballots, progress=bar, offices_per_ballot=options.offices_per_ballot
        ),
        options.ballots,
        "ballot",
    )

    with timed("sequences"), transaction.atomic():
        reset_sequences([apps.get_model(label) for label in world.counts])

    from campaigns.models import User
    from evaluations.services import survey_publish

    with timed("survey_publish"):
        survey_publish(
            survey_id=world.manifest["published_survey_id"], actor=User.objects.get(pk=world.users["bench-coordinator"])
        )
    if uses_copy():
        with timed("analyze"), connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    duration = round(time.monotonic() - started, 1)
    sample = world.manifest.get("complaint_sample")
    run.manifest = {
        "seed": options.seed,
        "parameters": parameters,
        "password": options.password,
        "users": {
            "centre": "bench-centre",
            "coordinator": "bench-coordinator",
            "supervisor": "bench-supervisor",
            "office": "bench-office",
            "office_head": "bench-head",
            "admin": "bench-admin",
            "office_staff_pattern": "bench-staff-NNNN",
        },
        "bench_office_id": world.busy_office_id,
        "centre_office_id": world.centre_office_id,
        "campaign_office_id": world.campaign_office_id,
        "campaign_id": world.campaign_id,
        "tracking": {"tracking_number": sample[1], "access_code": access_code} if sample else None,
        "complaint_visible_to_office_and_centre": sample[0] if sample else None,
        "published_survey_id": world.manifest["published_survey_id"],
        "open_survey_id": world.manifest.get("open_survey_id"),
        "counts": dict(sorted(world.counts.items())),
        "timings_seconds": timings,
        "duration_seconds": duration,
        "database": connection.vendor,
    }
    run.finished_at = timezone.now()
    run.duration_seconds = duration
    run.save(update_fields=["manifest", "finished_at", "duration_seconds"])
    return run
