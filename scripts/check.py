"""Run every check claimcore's CI runs: tests with branch coverage, mypy --strict, ruff,
and the docs site built with ``--strict`` (a broken link or reference fails).

Usage: ``python scripts/check.py`` from the project root, in an environment with
``pip install -e '.[test,docs]'``. Exits non-zero on the first failing step.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile

STEPS: tuple[tuple[str, list[str]], ...] = (
    ("tests (pytest + Hypothesis, doctests) under branch coverage",
     [sys.executable, "-m", "coverage", "run", "-m", "pytest", "-q"]),
    ("coverage floor of src/claimcore (fail_under in pyproject.toml)",
     [sys.executable, "-m", "coverage", "report"]),
    ("mypy --strict on src, tests, examples and benchmarks", [sys.executable, "-m", "mypy"]),
    ("ruff", [sys.executable, "-m", "ruff", "check", "."]),
    ("docs site (mkdocs --strict, API reference from the docstrings)",
     [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
      "--site-dir", f"{tempfile.gettempdir()}/claimcore-site"]),
)


def main() -> int:
    for title, command in STEPS:
        print(f"\n== {title}\n$ {' '.join(command[1:])}", flush=True)
        code = subprocess.call(command)
        if code != 0:
            print(f"\nFAILED: {title} (exit {code})", flush=True)
            return code
    print("\nAll checks passed.", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
