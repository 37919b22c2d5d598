"""Mutation testing of claimcore's money core (cosmic-ray): do the tests fail on wrong code?

Usage, from the project root, in an environment with ``pip install -e '.[dev]'``::

    python scripts/mutation.py                          # all four targets, 60 mutants each
    python scripts/mutation.py --module money --sample 0   # every mutant of money.py
    python scripts/mutation.py --module ledger --module posting --sample 40 --seed 7

Targets: ``money`` (src/claimcore/money.py), ``remittance`` (src/claimcore/remittance.py),
``ledger`` (the src/claimcore/ledger package) and ``posting`` (the src/claimcore/posting
package). Each target runs only the test files that exercise it (``TARGETS`` below), not
the whole suite, so a sampled run of the four fits a few tens of minutes on two cores.

cosmic-ray mutates source files in place, so every target works on its own copy of the
project in a temporary directory (removed at the end unless ``--keep``); the working tree
is never touched and nothing mutated can be left in src/. The cosmic-ray configuration is
written into that copy, never into the project.

The script prints, per target, the killed share (killed / (killed + survived); a mutant
the tests time out on counts as killed, one that cannot even be imported is left out) and
every survivor with its file, line, operator and diff. It exits 1 when a target's killed
share is below ``--fail-under`` (default 0: report only). It is not part of CI
(scripts/check.py does not call it): a full sampled run costs minutes, not seconds.
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    """What to mutate and which tests judge it (paths or glob patterns relative to the
    project root).

    ``slow`` tests (whole-cycle Hypothesis properties) join only with ``--thorough``: they
    cost more per mutant than all the examples together.
    """

    sources: tuple[str, ...]
    tests: tuple[str, ...]
    slow: tuple[str, ...] = ()


TARGETS: dict[str, Target] = {
    "money": Target(
        sources=("src/claimcore/money.py",),
        tests=("tests/unit/test_money*.py", "tests/properties/test_money.py",
               "docs/money.md", "src/claimcore/money.py"),
    ),
    "remittance": Target(
        sources=("src/claimcore/remittance.py",),
        tests=("tests/unit/test_remittance*.py", "tests/properties/test_remittance.py",
               "docs/remittance.md", "src/claimcore/remittance.py"),
    ),
    "ledger": Target(
        sources=("src/claimcore/ledger",),
        # The metrics tests read the ledger's grouped aging reports (ledger/_reports.py).
        tests=("tests/unit/test_ledger*.py", "tests/properties/test_ledger.py",
               "tests/unit/test_metrics.py", "docs/ledger.md", "docs/metrics.md",
               "src/claimcore/ledger"),
    ),
    "posting": Target(
        sources=("src/claimcore/posting",),
        tests=("tests/unit/test_posting*.py", "tests/unit/test_cob.py", "docs/posting.md",
               "src/claimcore/posting"),
        slow=("tests/properties/test_posting.py",),
    ),
}

# What the copy needs for the tests to run: code, tests, doctested pages, pytest settings.
_COPIED = ("src", "tests", "docs", "examples", "pyproject.toml", "README.md")


@dataclass(frozen=True)
class Survivor:
    """A mutant no test noticed."""

    path: str
    line: int
    operator: str
    diff: str


@dataclass(frozen=True)
class Outcome:
    """The result of one target's run."""

    name: str
    total: int
    sampled: int
    killed: int
    survived: int
    incompetent: int
    errors: int
    survivors: tuple[Survivor, ...]

    @property
    def share(self) -> float:
        judged = self.killed + self.survived
        return self.killed / judged if judged else 1.0


def _copy_project(workdir: Path) -> Path:
    copy = workdir / "main"
    copy.mkdir()
    for name in _COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "mutants"))
        elif source.is_file():
            shutil.copy2(source, copy / name)
    # Tests read the public fixtures at ../shared/fixtures relative to the project root.
    shared = ROOT.parent / "shared"
    if shared.exists():
        (workdir / "shared").symlink_to(shared)
    return copy


def _config(target: Target, timeout: float, thorough: bool) -> str:
    chosen = target.tests + target.slow if thorough else target.tests
    # A pattern takes every matching test file (new posting test files join by name).
    tests = [str(found.relative_to(ROOT)) for pattern in chosen
             for found in sorted(ROOT.glob(pattern))]
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    sources = ", ".join(f'"{path}"' for path in target.sources)
    return (
        "[cosmic-ray]\n"
        f"module-path = [{sources}]\n"
        f"timeout = {timeout}\n"
        "excluded-modules = []\n"
        f"test-command = \"{' '.join(command)}\"\n\n"
        "[cosmic-ray.distributor]\n"
        'name = "local"\n'
    )


def _environment(copy: Path) -> dict[str, str]:
    env = dict(os.environ)
    # The copy's src must shadow the editable install of the real tree; no stale bytecode
    # may outlive a mutation; Hypothesis runs derandomized so two runs judge alike.
    env["PYTHONPATH"] = str(copy / "src")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["CI"] = "true"
    env.pop("CLAIMCORE_HYPOTHESIS_PROFILE", None)
    return env


def _cosmic_ray(args: Sequence[str], copy: Path, env: dict[str, str]) -> None:
    executable = Path(sys.executable).with_name("cosmic-ray")
    command = [str(executable) if executable.exists() else "cosmic-ray", *args]
    subprocess.run(command, cwd=copy, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


Span = tuple[tuple[int, int], tuple[int, int]]


def _annotation_spans(path: Path) -> list[Span]:
    """Where the type annotations of a module are (line, column from 1 and 0, like parso)."""
    spans: list[Span] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        found: list[ast.expr | None] = []
        if isinstance(node, ast.arg | ast.AnnAssign):
            found.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.append(node.returns)
        spans.extend(((annotation.lineno, annotation.col_offset),
                      (annotation.end_lineno, annotation.end_col_offset or 0))
                     for annotation in found
                     if annotation is not None and annotation.end_lineno is not None)
    return spans


def _in_annotation(row: int, col: int, spans: list[Span]) -> bool:
    return any(start <= (row, col) < end for start, end in spans)


def _sample(session: Path, copy: Path, size: int, seed: int) -> tuple[int, int]:
    """Keep ``size`` random work items of the session (all when ``size`` is 0).

    Mutants inside type annotations are dropped first: every module has
    ``from __future__ import annotations``, so at run time an annotation is a string no
    code reads, and ``Decimal | int`` -> ``Decimal & int`` is equivalent by construction.
    """
    spans: dict[str, list[Span]] = {}
    with sqlite3.connect(session) as db:
        positions = db.execute(
            "SELECT job_id, module_path, start_pos_row, start_pos_col FROM mutation_specs"
        ).fetchall()
        annotated: list[tuple[str]] = []
        for job, path, row, col in positions:
            if path not in spans:
                spans[path] = _annotation_spans(copy / path)
            if _in_annotation(int(row), int(col), spans[path]):
                annotated.append((job,))
        db.executemany("DELETE FROM mutation_specs WHERE job_id = ?", annotated)
        db.executemany("DELETE FROM work_items WHERE job_id = ?", annotated)
        # Job ids are random: order by what a mutant is, so a seed picks the same mutants
        # again as long as the code does not change.
        jobs = [row[0] for row in db.execute(
            "SELECT job_id FROM mutation_specs ORDER BY module_path, start_pos_row,"
            " start_pos_col, operator_name, occurrence, operator_args"
        )]
        if size <= 0 or size >= len(jobs):
            return len(jobs), len(jobs)
        kept = set(random.Random(seed).sample(jobs, size))  # noqa: S311 - a sample, not a secret
        dropped = [(job,) for job in jobs if job not in kept]
        db.executemany("DELETE FROM mutation_specs WHERE job_id = ?", dropped)
        db.executemany("DELETE FROM work_items WHERE job_id = ?", dropped)
        return len(jobs), size


def _results(name: str, session: Path, total: int, sampled: int) -> Outcome:
    killed = survived = incompetent = errors = 0
    survivors: list[Survivor] = []
    with sqlite3.connect(session) as db:
        rows = db.execute(
            "SELECT r.worker_outcome, r.test_outcome, r.diff, s.module_path, s.start_pos_row,"
            " s.operator_name FROM work_results r JOIN mutation_specs s USING (job_id)"
            " ORDER BY s.module_path, s.start_pos_row"
        ).fetchall()
    for worker, test, diff, path, line, operator in rows:
        outcome = (test or "").lower()
        if (worker or "").lower() != "normal":
            errors += 1
        elif outcome == "killed":
            killed += 1
        elif outcome == "survived":
            survived += 1
            survivors.append(Survivor(path, int(line), operator, diff or ""))
        else:
            incompetent += 1
    return Outcome(name, total, sampled, killed, survived, incompetent, errors,
                   tuple(survivors))


def run_target(
    name: str, *, sample: int, seed: int, timeout: float, thorough: bool, keep: bool
) -> Outcome:
    """Mutate one target in a private copy of the project and judge it by its tests."""
    target = TARGETS[name]
    workdir = Path(tempfile.mkdtemp(prefix=f"claimcore-mutation-{name}-"))
    try:
        copy = _copy_project(workdir)
        env = _environment(copy)
        config = workdir / "cosmic-ray.toml"
        config.write_text(_config(target, timeout, thorough), encoding="utf-8")
        session = workdir / "session.sqlite"
        # A mutant can only be judged by tests that pass on the unmutated code.
        try:
            _cosmic_ray(["baseline", str(config)], copy, env)
        except subprocess.CalledProcessError as failed:
            raise SystemExit(
                f"[{name}] the tests fail (or time out) on the unmutated code; fix them first:"
                f"\n{failed.stderr.decode(errors='replace')[-2000:]}"
            ) from None
        _cosmic_ray(["init", str(config), str(session)], copy, env)
        total, sampled = _sample(session, copy, sample, seed)
        _cosmic_ray(["exec", str(config), str(session)], copy, env)
        return _results(name, session, total, sampled)
    finally:
        if keep:
            print(f"[{name}] kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _report(outcome: Outcome) -> None:
    print(f"\n== {outcome.name}: killed {outcome.killed}/{outcome.killed + outcome.survived}"
          f" = {outcome.share:.1%}  (sampled {outcome.sampled} of {outcome.total} mutants;"
          f" incompetent {outcome.incompetent}, errors {outcome.errors})")
    for survivor in outcome.survivors:
        print(f"-- survived: {survivor.path}:{survivor.line} [{survivor.operator}]")
        body = [line for line in survivor.diff.splitlines()
                if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]
        for line in body:
            print(f"     {line}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--module", action="append", choices=sorted(TARGETS), dest="modules",
                        help="target to mutate (repeatable; default: all four)")
    parser.add_argument("--sample", type=int, default=60,
                        help="random mutants per target (0: every mutant; default 60)")
    parser.add_argument("--seed", type=int, default=12, help="sampling seed (default 12)")
    parser.add_argument("--jobs", type=int, default=2, choices=(1, 2),
                        help="targets run at once (at most 2; default 2)")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds before a test run counts as killed (default 300)")
    parser.add_argument("--thorough", action="store_true",
                        help="also run the slow whole-cycle properties (posting)")
    parser.add_argument("--fail-under", type=float, default=0.0,
                        help="exit 1 when a target's killed share (0-100) is lower")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary copies (their paths go to stderr)")
    args = parser.parse_args(argv)
    names: list[str] = args.modules or list(TARGETS)

    def one(name: str) -> Outcome:
        return run_target(name, sample=args.sample, seed=args.seed, timeout=args.timeout,
                          thorough=args.thorough, keep=args.keep)

    outcomes: list[Outcome] = []
    failures: list[str] = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        # One target failing (its tests fail unmutated) must not lose the others' results.
        for name, future in [(name, pool.submit(one, name)) for name in names]:
            try:
                outcomes.append(future.result())
            except (SystemExit, subprocess.CalledProcessError) as failed:
                failures.append(f"[{name}] {failed}")
    for outcome in outcomes:
        _report(outcome)
    print("\n== summary")
    for outcome in outcomes:
        print(f"{outcome.name:<11} {outcome.share:6.1%}  killed {outcome.killed},"
              f" survived {outcome.survived}, sampled {outcome.sampled}/{outcome.total}")
    for failure in failures:
        print(f"\nFAILED {failure}")
    low = [outcome.name for outcome in outcomes if 100 * outcome.share < args.fail_under]
    return 2 if failures else 1 if low else 0


if __name__ == "__main__":
    raise SystemExit(main())
