"""Test settings: Hypothesis profiles chosen by an environment variable.

``CLAIMCORE_HYPOTHESIS_PROFILE`` picks one of ``dev`` (the default), ``ci`` (derandomized,
chosen automatically when ``CI=true``) and ``deep`` (ten times the examples, for long
local runs).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Whole-cycle strategies are costly; 30 examples per law keeps the full suite within
# minutes on two cores. `deep` multiplies by ten for long local runs.
_DEV_EXAMPLES = 30

settings.register_profile(
    "dev", max_examples=_DEV_EXAMPLES, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci", max_examples=_DEV_EXAMPLES, deadline=None, derandomize=True,
    print_blob=True, suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "deep", max_examples=10 * _DEV_EXAMPLES, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

_default = "ci" if os.environ.get("CI", "").lower() == "true" else "dev"
settings.load_profile(os.environ.get("CLAIMCORE_HYPOTHESIS_PROFILE", _default))
