"""The ``claimcore`` command: look at X12 files without writing a program.

This package is the only place beside the library that reads files, prints or exits;
``claimcore`` itself stays pure. Commands:

* ``claimcore read FILE...``: detect each file's transaction (835, 837P/I, 271, 277CA,
  277, 999, TA1) and print a summary table; ``--json`` / ``--csv`` print the rows of
  :mod:`claimcore.tabular` instead, ``--parquet DIR`` writes them as Parquet files.
* ``claimcore check FILE...``: list warnings, salvaged (unread) claims and refusals with
  their segment positions; the exit status is 1 when any file is refused.

Bad input (a missing file, an unreadable encoding, a file that is not X12, X12 that
claimcore refuses) is one clear line on standard error, never a traceback.
"""

from __future__ import annotations

from claimcore_cli._main import main

__all__ = ["main"]
