"""Static files as production serves them: collectstatic with whitenoise's
compressed manifest storage (what the Dockerfile and compose run) succeeds."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_collectstatic_with_the_production_storage_succeeds(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DEBUG="0",
        SECRET_KEY="collectstatic-test-" + "k" * 40,
        # As the Dockerfile runs it at build time: no Redis, no mail server there.
        ALLOW_LOCAL_CACHE="1",
        ALLOW_CONSOLE_EMAIL="1",
        STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SETTINGS_MODULE="campaign_portal.settings",
        VAR_DIR=str(tmp_path / "var"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/chartjs/chart.umd.min.js" in manifest and "js/oversight_charts.js" in manifest
    assert list((tmp_path / "static" / "vendor" / "chartjs").glob("chart.umd.min.*.js.gz")), "compressed copies"
