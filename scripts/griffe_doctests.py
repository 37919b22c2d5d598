"""A griffe extension for the docs site: show each docstring's doctest examples as
Python code blocks (a ``>>>`` run is plain text to Markdown, and its output would be read
as links), without changing the docstrings the doctests run."""

from __future__ import annotations

from typing import Any

import griffe


def fence(text: str) -> str:
    """Wrap every run of doctest lines (``>>>`` and what follows up to a blank line) in a
    fenced ``python`` block; text already inside a fence is left as it is."""
    out: list[str] = []
    in_fence = in_doctest = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_fence = not in_fence
        if not in_fence and not in_doctest and stripped.startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}```python")
            in_doctest = True
        elif in_doctest and not stripped:
            out.append(f"{indent}```")
            in_doctest = False
        out.append(line)
    if in_doctest:
        out.append(f"{indent}```")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Fence the doctests of every object's docstring."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence(obj.docstring.value)
