"""Scale data for benchmarks (``manage.py generate_scale_data``), one module per area."""

from .generate import Options, Refused, check_database, generate

__all__ = ["Options", "Refused", "check_database", "generate"]
