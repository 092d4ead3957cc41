"""The benchmark tooling (scale data generator, reference views) never ships in production."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands(settings_module: str) -> str:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": settings_module,
        "SECRET_KEY": "x" * 50,
        "DEBUG": "0",
        "VAR_DIR": str(ROOT / "var"),
        "CACHE_URL": "rediscache://127.0.0.1:6379/0",
        # Production refuses mail that only goes to the log; listing commands sends none.
        "ALLOW_CONSOLE_EMAIL": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "help", "--commands"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_production_settings_do_not_install_the_benchmark_app():
    assert "generate_scale_data" not in _commands("campaign_portal.settings").split()


def test_the_benchmark_settings_install_it():
    assert "generate_scale_data" in _commands("campaign_portal.settings_bench").split()
