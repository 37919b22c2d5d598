"""The package face and the purity rule."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import claimcore

SRC = Path(claimcore.__file__).parent


def test_every_name_in_all_resolves() -> None:
    """Every name the package face lists can be imported from it."""
    for name in claimcore.__all__:
        assert getattr(claimcore, name) is not None, name
    assert set(dir(claimcore)) >= set(claimcore.__all__)
    with pytest.raises(AttributeError):
        _ = claimcore.NoSuchThing


def test_import_claimcore_loads_no_domain_module() -> None:
    """`import claimcore` loads the foundation only; the rest loads on first use."""
    code = (
        "import sys, claimcore; "
        "print(sorted(m for m in sys.modules if m.startswith('claimcore.')))"
    )
    out = subprocess.run(  # noqa: S603 - a fixed command with this interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(ast.literal_eval(out))
    assert loaded <= {
        "claimcore._validate", "claimcore.errors", "claimcore.ids", "claimcore.money",
        "claimcore.periods", "claimcore._pickling", "claimcore._lazy",
    }


FORBIDDEN_CALLS = {
    "open", "print", "input", "exec", "eval", "breakpoint",
}
FORBIDDEN_ATTRS = {
    ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today"),
    ("time", "time"), ("time", "monotonic"), ("time", "perf_counter"), ("os", "environ"),
    ("os", "getenv"), ("Path", "read_text"), ("Path", "open"),
}
CLOCK_ATTRS = {"now", "utcnow", "today", "getenv", "environ"}
FORBIDDEN_MODULES = {
    "random", "secrets", "logging", "socket", "urllib", "http", "requests", "subprocess",
    "os", "io", "tempfile", "shutil",
}


def _problem(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return f"calls {node.func.id}()" if node.func.id in FORBIDDEN_CALLS else None
    if isinstance(node, ast.Attribute):
        owner = node.value.id if isinstance(node.value, ast.Name) else ""
        if node.attr in CLOCK_ATTRS or (owner, node.attr) in FORBIDDEN_ATTRS:
            return f"uses .{node.attr}"
        return None
    if isinstance(node, ast.Import):
        bad = [a.name for a in node.names if a.name.split(".")[0] in FORBIDDEN_MODULES]
        return f"imports {', '.join(bad)}" if bad else None
    if isinstance(node, ast.ImportFrom) and node.module:
        banned = node.module.split(".")[0] in FORBIDDEN_MODULES
        return f"imports from {node.module}" if banned else None
    return None


# The two modules that write Python source from class and field names (never from data)
# and run it, as attrs does for its own methods: the codec's compiled functions and the
# pickle reduction. exec there is code generation, not I/O; anywhere else it is refused.
GENERATES_CODE = {"_compiled.py", "_pickling.py"}


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    problems = ((node, _problem(node)) for node in ast.walk(tree))
    return [f"{path.name}:{getattr(n, 'lineno', 0)} {p}" for n, p in problems
            if p and not (p == "calls exec()" and path.name in GENERATES_CODE)]


def test_the_library_does_no_io_and_reads_no_clock() -> None:
    """No file, network, environment, clock, randomness or logging in src/claimcore."""
    found = [v for path in sorted(SRC.rglob("*.py")) for v in _violations(path)]
    assert found == []


def test_the_purity_check_can_fail(tmp_path: Path) -> None:
    """The check above catches each kind of impurity it looks for."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import random\nfrom os import environ\nimport datetime\n"
        "x = datetime.datetime.now()\nopen('f')\n"
        "from datetime import date\ny = date.today()\n"
    )
    found = _violations(bad)
    assert len(found) == 5
    # exec is refused everywhere but in the two code generators, and only exec there.
    generated = tmp_path / "gen.py"
    generated.write_text("exec('x = 1')\nopen('f')\n")
    assert len(_violations(generated)) == 2
    allowed = tmp_path / "_compiled.py"
    allowed.write_text("exec('x = 1')\nopen('f')\n")
    assert _violations(allowed) == ["_compiled.py:2 calls open()"]
