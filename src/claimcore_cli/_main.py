"""The command line: argument parsing, file reading, detection, output."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import attrs

from claimcore import tabular
from claimcore.errors import ClaimcoreError
from claimcore.money import Money
from claimcore.x12 import (
    X12Error,
    X12Warning,
    read_271_with_warnings,
    read_277_with_warnings,
    read_277ca_with_warnings,
    read_835_with_warnings,
    read_837_with_warnings,
    read_999_with_warnings,
    read_ta1,
)

__all__ = ["main"]

#: Each transaction claimcore reads, by the name ``detect`` gives it.
KINDS = ("835", "837P", "837I", "271", "277CA", "277", "999", "TA1")


class InputError(Exception):
    """A file that cannot be read as X12: said in one line, never a traceback."""


@attrs.frozen
class Unread:
    """An item the reader salvaged around: where it is and why it was not read."""

    segment_number: int
    reason: str


@attrs.frozen
class FileReport:
    """What one file held: its transaction, the values, warnings and unread items."""

    path: str
    kind: str
    values: tuple[Any, ...]
    warnings: tuple[X12Warning, ...]
    unread: tuple[Unread, ...] = ()


def load_text(path: Path) -> str:
    """The file's text: UTF-8 (a byte-order mark is the readers' to report), else
    latin-1, which X12's basic and extended character sets fit in."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    if b"\x00" in data:
        raise InputError(f"{path}: unreadable encoding (NUL bytes: UTF-16 or a binary file?); "
                         "X12 is 8-bit text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _segments(text: str) -> tuple[str, list[list[str]]]:
    body = text.lstrip("\ufeff\xef\xbb\xbf \r\n\t")
    if body.startswith("ISA") and len(body) > 105:
        element, terminator = body[3], body[105]
    elif body.startswith("ST") and len(body) > 2:
        element = body[2]
        terminator = next((c for c in "~\n" if c in body), "~")
    else:
        raise InputError("not an X12 file (it does not begin with an ISA or ST segment)")
    segments = [s.strip().split(element) for s in body.split(terminator) if s.strip()]
    return element, segments


def detect(text: str) -> str:
    """The transaction a text holds: one of :data:`KINDS`, from ST01 and the
    implementation guide (GS08 or ST03); ``TA1`` for an interchange acknowledgement."""
    _, segments = _segments(text)
    st = next((s for s in segments if s[0] == "ST"), None)
    gs = next((s for s in segments if s[0] == "GS"), None)
    if st is None:
        if any(s[0] == "TA1" for s in segments):
            return "TA1"
        raise InputError("X12 with no transaction set (no ST segment) and no TA1")
    code = st[1] if len(st) > 1 else ""
    guide = " ".join(x for x in ((gs[8] if gs and len(gs) > 8 else ""),
                                 (st[3] if len(st) > 3 else "")) if x)
    if code == "837":
        return "837I" if "X223" in guide else "837P"
    if code == "277":
        return "277CA" if "X214" in guide else "277"
    if code in ("835", "271", "999"):
        return code
    raise InputError(f"transaction set {code!r} is not one claimcore reads "
                     f"(it reads {', '.join(KINDS)})")


def _unread(result: Any) -> tuple[Unread, ...]:
    return tuple(Unread(u.segment_number, u.reason)
                 for u in getattr(result, "unread_claims", ()))


def read_file(path: Path) -> FileReport:
    """Read one file with the reader its transaction needs (salvaging per item)."""
    text = load_text(path)
    try:
        kind = detect(text)
    except InputError as error:
        raise InputError(f"{path}: {error}") from None
    readers: dict[str, Callable[[str], Any]] = {
        "835": read_835_with_warnings, "837P": read_837_with_warnings,
        "837I": read_837_with_warnings, "271": read_271_with_warnings,
        "277CA": read_277ca_with_warnings, "277": read_277_with_warnings,
        "999": read_999_with_warnings,
    }
    if kind == "TA1":
        return FileReport(str(path), kind, tuple(read_ta1(text)), ())
    result = readers[kind](text)
    return FileReport(str(path), kind, tuple(result.values), tuple(result.warnings),
                      _unread(result))


def _money(values: Sequence[Money]) -> str:
    return sum(values, Money.zero()).format() if values else "-"


def summary_rows(report: FileReport) -> list[dict[str, str]]:
    """The summary table's rows for one file (one per remittance for an 835)."""
    base = {"file": Path(report.path).name, "transaction": report.kind,
            "warnings": str(len(report.warnings)), "unread": str(len(report.unread))}
    if report.kind == "835":
        rows = []
        for r in report.values:
            groups: dict[str, list[Money]] = {}
            for c in r.claims:
                for a in (*c.adjustments, *(a for s in c.services for a in s.adjustments)):
                    groups.setdefault(a.group.value, []).append(a.amount)
            rows.append({**base, "payer": r.payer.name, "payment": r.payment.format(),
                         "claims": str(len(r.claims)),
                         "paid": _money([c.paid for c in r.claims]),
                         "adjustments": " ".join(f"{g} {_money(v)}"
                                                 for g, v in sorted(groups.items())) or "-"})
        return rows or [{**base, "payer": "-", "payment": "-", "claims": "0", "paid": "-",
                         "adjustments": "-"}]
    if report.kind in ("837P", "837I"):
        return [{**base, "payer": ", ".join(sorted({c.coverage.payer.name
                                                    for c in report.values})) or "-",
                 "payment": "-", "claims": str(len(report.values)),
                 "paid": f"charged {_money([c.total_charge for c in report.values])}",
                 "adjustments": "-"}]
    statuses = sorted({str(getattr(v, "status", "")) for v in report.values} - {""})
    return [{**base, "payer": "-", "payment": "-", "claims": str(len(report.values)),
             "paid": "-", "adjustments": " ".join(statuses) or "-"}]


def _print_table(rows: list[dict[str, str]], out: TextIO) -> None:
    if not rows:
        return
    headers = list(rows[0])
    widths = {h: max(len(h), *(len(r.get(h, "")) for r in rows)) for h in headers}
    out.write("  ".join(h.ljust(widths[h]) for h in headers).rstrip() + "\n")
    out.write("  ".join("-" * widths[h] for h in headers) + "\n")
    for r in rows:
        out.write("  ".join(r.get(h, "").ljust(widths[h]) for h in headers).rstrip() + "\n")


def tables(report: FileReport) -> list[tabular.Table]:
    """The flat tables of :mod:`claimcore.tabular` for one file's values."""
    if report.kind == "835":
        return [tabular.claim_payment_rows(report.values),
                tabular.service_payment_rows(report.values),
                tabular.adjustment_rows(report.values),
                tabular.provider_adjustment_rows(report.values)]
    if report.kind in ("837P", "837I"):
        return [tabular.claim_rows(report.values), tabular.claim_line_rows(report.values)]
    return []


def _cell(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _warning(w: X12Warning) -> dict[str, object]:
    return {"code": w.code.value, "segment_number": w.segment_number,
            "segment_id": w.segment_id, "element": w.element, "message": w.message}


def _progress(i: int, n: int, path: str, err: TextIO) -> None:
    if n > 1 and err.isatty():
        err.write(f"\r[{i}/{n}] {Path(path).name[:60]:<60}")
        if i == n:
            err.write("\n")
        err.flush()


def _read_all(files: Sequence[str], err: TextIO) -> tuple[list[FileReport], list[str]]:
    reports: list[FileReport] = []
    failures: list[str] = []
    for i, name in enumerate(files, start=1):
        _progress(i, len(files), name, err)
        try:
            reports.append(read_file(Path(name)))
        except InputError as error:
            failures.append(str(error))
        except X12Error as error:
            failures.append(f"{name}: refused: {error}")
        except ClaimcoreError as error:
            failures.append(f"{name}: refused: {error}")
    return reports, failures


def _cmd_read(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    reports, failures = _read_all(args.files, err)
    for line in failures:
        err.write(f"claimcore: {line}\n")
    if args.json:
        json.dump([{"file": r.path, "transaction": r.kind,
                    "warnings": [_warning(w) for w in r.warnings],
                    "unread": [attrs.asdict(u) for u in r.unread],
                    "tables": {t.name: [{k: _cell(v) for k, v in row.items()}
                                        for row in t.as_dicts()] for t in tables(r)}}
                   for r in reports], out, indent=1)
        out.write("\n")
    elif args.csv:
        writer: Any = None
        for r in reports:
            for t in tables(r)[:1]:  # the claim-level table: claim payments, or claims
                if writer is None:
                    writer = csv.writer(out, lineterminator="\n")
                    writer.writerow(["file", "table", *t.names])
                for row in t.rows:
                    writer.writerow([r.path, t.name, *("" if c is None else _cell(c)
                                                       for c in row)])
    elif args.parquet:
        code = _write_parquet(reports, Path(args.parquet), out, err)
        if code:
            return code
    else:
        _print_table([row for r in reports for row in summary_rows(r)], out)
    return 1 if failures else 0


def _write_parquet(reports: list[FileReport], directory: Path, out: TextIO,
                   err: TextIO) -> int:
    try:
        import pyarrow as pa  # the arrow extra, only for --parquet
        import pyarrow.parquet as pq
    except ImportError:
        err.write("claimcore: --parquet needs pyarrow: pip install 'claimcore[arrow]'\n")
        return 2
    by_name: dict[str, list[Any]] = {}
    for r in reports:
        for t in tables(r):
            by_name.setdefault(t.name, []).append(tabular.to_arrow(t))
    directory.mkdir(parents=True, exist_ok=True)
    for name, parts in by_name.items():
        path = directory / f"{name}.parquet"
        pq.write_table(pa.concat_tables(parts), path)
        out.write(f"wrote {path} ({sum(p.num_rows for p in parts)} rows)\n")
    return 0


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    refused = 0
    for i, name in enumerate(args.files, start=1):
        _progress(i, len(args.files), name, err)
        try:
            report = read_file(Path(name))
        except InputError as error:
            out.write(f"{name}: REFUSED: {str(error).removeprefix(f'{name}: ')}\n")
            refused += 1
            continue
        except ClaimcoreError as error:
            out.write(f"{name}: REFUSED: {error}\n")
            refused += 1
            continue
        state = "salvaged" if report.unread else ("warnings" if report.warnings else "ok")
        out.write(f"{name}: {report.kind}: {state} ({len(report.values)} read, "
                  f"{len(report.unread)} unread, {len(report.warnings)} warnings)\n")
        for u in report.unread:
            out.write(f"  unread at segment {u.segment_number}: {u.reason}\n")
        for w in report.warnings:
            out.write(f"  warning: {w}\n")
    return 1 if refused else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimcore", description="Read and check X12 healthcare files "
        "(835, 837P/I, 271, 277CA, 277, 999, TA1) with claimcore.")
    commands = parser.add_subparsers(dest="command", required=True)
    read = commands.add_parser("read", help="summarise files, or print their rows")
    read.add_argument("files", nargs="+", metavar="FILE")
    form = read.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="every table's rows as JSON")
    form.add_argument("--csv", action="store_true", help="the claim-level rows as CSV")
    form.add_argument("--parquet", metavar="DIR", help="write each table to DIR/<table>.parquet")
    check = commands.add_parser("check", help="list warnings, salvaged claims and refusals")
    check.add_argument("files", nargs="+", metavar="FILE")
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (0 fine, 1 a file refused, 2 usage)."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.command == "read":
        return _cmd_read(args, out, err)
    return _cmd_check(args, out, err)
