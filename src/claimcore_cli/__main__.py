"""``python -m claimcore_cli``: the same as the ``claimcore`` command."""

from __future__ import annotations

from claimcore_cli._main import main

raise SystemExit(main())
