"""The hook Hypothesis calls through claimcore's ``hypothesis`` entry point.

It lives apart from :mod:`claimcore.strategies` because Hypothesis runs entry points while
it is itself being imported: when a test imports ``claimcore.strategies`` first, that
module is only half built at that moment, and registers its strategies itself once it is
complete.
"""

from __future__ import annotations

import importlib
import sys


def _hypothesis_setup_hook() -> None:
    """Make ``st.from_type`` know every public claimcore type."""
    if "claimcore.strategies" not in sys.modules:
        importlib.import_module("claimcore.strategies")  # registers on import
