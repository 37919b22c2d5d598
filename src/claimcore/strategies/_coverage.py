"""Strategies (filled in by the module's owner)."""

from __future__ import annotations

__all__: list[str] = []


def _register() -> None:
    """Register this module's strategies for ``st.from_type``."""
