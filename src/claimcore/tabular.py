"""Flat tables for analytics: remittances, ledger transfers, claims and aging as rows.

Each function returns a :class:`Table`: typed :class:`Column` s with stable names (the
public contract, listed in docs/tabular.md) and one tuple of cells per row. Money is an
exact ``Decimal`` with two places, dates are ``date``, codes and identifiers are their
text. No PHI is in any table: patients appear by nothing (claims, encounters and payers
carry the keys an analytics join needs), so a table can leave the system that holds PHI.

:func:`to_arrow` turns a table into a ``pyarrow.Table`` with money as
``decimal128(18, 2)`` (the ``arrow`` extra); :meth:`Table.as_dicts` gives plain rows for
``csv.DictWriter`` or a DataFrame constructor.

>>> from decimal import Decimal
>>> from datetime import date
>>> from claimcore.ledger import Account, Ledger, Transfer, TransferCode, post
>>> from claimcore.money import Money
>>> from claimcore.ids import TransferId
>>> ledger = post(Ledger(), Transfer(
...     id=TransferId("t1"), debit=Account.cash(), credit=Account.ar_patient(),
...     amount=Money(Decimal("25.00")), on=date(2026, 5, 1),
...     code=TransferCode.PATIENT_PAYMENT))
>>> table = transfer_rows(ledger)
>>> table.names[:5]
('transfer_id', 'on', 'code', 'debit', 'credit')
>>> table.as_dicts()[0]["amount"]
Decimal('25.00')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final, TypeAlias

import attrs

from claimcore.adjustments import Adjustment
from claimcore.claims import Claim
from claimcore.errors import ValidationError
from claimcore.ledger import AgingReport, Ledger
from claimcore.money import Money
from claimcore.remittance import Remittance

__all__ = [
    "ADJUSTMENT_COLUMNS",
    "CLAIM_COLUMNS",
    "CLAIM_LINE_COLUMNS",
    "CLAIM_PAYMENT_COLUMNS",
    "PROVIDER_ADJUSTMENT_COLUMNS",
    "SERVICE_PAYMENT_COLUMNS",
    "TRANSFER_COLUMNS",
    "Cell",
    "Column",
    "ColumnKind",
    "Table",
    "adjustment_rows",
    "aging_rows",
    "claim_line_rows",
    "claim_payment_rows",
    "claim_rows",
    "provider_adjustment_rows",
    "service_payment_rows",
    "to_arrow",
    "transfer_rows",
]

Cell: TypeAlias = str | int | bool | Decimal | date | None
"""One value of a row: text, a whole number, a flag, an exact decimal, a date, or empty."""


class ColumnKind(enum.StrEnum):
    """What a column holds, and so its Arrow type."""

    TEXT = "text"
    """Codes, identifiers, enum values: ``pa.string()``."""
    INTEGER = "integer"
    """Line numbers, counts: ``pa.int64()``."""
    MONEY = "money"
    """Exact amounts in dollars and cents: ``pa.decimal128(18, 2)``."""
    DECIMAL = "decimal"
    """Units and quantities: ``pa.decimal128(18, 4)``."""
    DATE = "date"
    """Calendar days: ``pa.date32()``."""


@attrs.frozen
class Column:
    """A column: its stable name and what it holds."""

    name: str
    kind: ColumnKind


def _rows(value: Iterable[tuple[Cell, ...]]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(value)


@attrs.frozen
class Table:
    """Named, typed columns and their rows (each row one cell per column, in order)."""

    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...] = attrs.field(converter=_rows)

    def __attrs_post_init__(self) -> None:
        width = len(self.columns)
        for i, row in enumerate(self.rows):
            if len(row) != width:
                raise ValidationError(f"must have {width} cells, got {len(row)}",
                                      path=f"$.rows[{i}]", rule="row-width")

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(c.name for c in self.columns)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Cell, ...]]:
        return iter(self.rows)

    def as_dicts(self) -> list[dict[str, Cell]]:
        """Each row as a dict keyed by column name (for csv, pandas, polars)."""
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in self.rows]

    def column(self, name: str) -> tuple[Cell, ...]:
        """The cells of one column."""
        try:
            i = self.names.index(name)
        except ValueError:
            raise ValidationError(f"no column {name!r} in {self.name}", path="$.columns",
                                  rule="column") from None
        return tuple(row[i] for row in self.rows)


def _columns(spec: str) -> tuple[Column, ...]:
    # "name:kind name:kind ...": the tables' schemas read as one line each.
    return tuple(Column(n, ColumnKind(k)) for n, k in (c.split(":") for c in spec.split()))


_T, _I, _M, _D, _DT = "text", "integer", "money", "decimal", "date"

CLAIM_PAYMENT_COLUMNS: Final = _columns(
    f"trace:{_T} paid_on:{_DT} payer_id:{_T} payee_npi:{_T} claim_id:{_T} status:{_T} "
    f"payer_claim_number:{_T} charge:{_M} paid:{_M} patient_responsibility:{_M} "
    f"adjustments_co:{_M} adjustments_pr:{_M} adjustments_oa:{_M} adjustments_pi:{_M} "
    f"adjustments_cr:{_M} lines:{_I} frequency:{_T} filing_indicator:{_T}"
)
SERVICE_PAYMENT_COLUMNS: Final = _columns(
    f"trace:{_T} claim_id:{_T} line:{_I} line_ref:{_T} procedure:{_T} revenue_code:{_T} "
    f"modifiers:{_T} units:{_D} charge:{_M} allowed:{_M} paid:{_M} service_from:{_DT} "
    f"service_to:{_DT}"
)
ADJUSTMENT_COLUMNS: Final = _columns(
    f"trace:{_T} claim_id:{_T} line:{_I} group:{_T} reason:{_T} amount:{_M} quantity:{_D}"
)
PROVIDER_ADJUSTMENT_COLUMNS: Final = _columns(
    f"trace:{_T} paid_on:{_DT} payer_id:{_T} reason:{_T} reference:{_T} amount:{_M} "
    f"provider_id:{_T} fiscal_period_end:{_DT}"
)
TRANSFER_COLUMNS: Final = _columns(
    f"transfer_id:{_T} on:{_DT} code:{_T} debit:{_T} credit:{_T} amount:{_M} "
    f"encounter_id:{_T} claim_id:{_T} line:{_I} payer_id:{_T} trace:{_T} reverses:{_T} "
    f"group:{_T} reason:{_T}"
)
CLAIM_COLUMNS: Final = _columns(
    f"claim_id:{_T} kind:{_T} status:{_T} encounter_id:{_T} payer_id:{_T} "
    f"billing_npi:{_T} frequency:{_T} service_from:{_DT} service_to:{_DT} lines:{_I} "
    f"diagnoses:{_I} total_charge:{_M}"
)
CLAIM_LINE_COLUMNS: Final = _columns(
    f"claim_id:{_T} line:{_I} procedure:{_T} revenue_code:{_T} modifiers:{_T} units:{_D} "
    f"charge:{_M} service_from:{_DT} service_to:{_DT} pointers:{_T} rendering_npi:{_T} "
    f"ndc:{_T}"
)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    code = getattr(value, "code", None)
    if isinstance(code, str):
        return code
    inner = getattr(value, "value", None)
    return inner if isinstance(inner, str) else str(value)


def _money(value: Money | None) -> Decimal | None:
    return None if value is None else value.amount


def _remittances(value: Remittance | Iterable[Remittance]) -> tuple[Remittance, ...]:
    return (value,) if isinstance(value, Remittance) else tuple(value)


def claim_payment_rows(remittances: Remittance | Iterable[Remittance]) -> Table:
    """One row per claim payment (835 loop 2100), with adjustments totalled by group
    over the claim and its lines (``adjustments_co`` ...: the CAS amounts)."""
    rows: list[tuple[Cell, ...]] = []
    for r in _remittances(remittances):
        for c in r.claims:
            by_group: dict[str, Decimal] = {g: Decimal("0.00") for g in
                                            ("CO", "PR", "OA", "PI", "CR")}
            for adj in (*c.adjustments, *(a for s in c.services for a in s.adjustments)):
                by_group[adj.group.value] += adj.amount.amount
            rows.append((
                r.trace, r.paid_on, r.payer.payer_id.value, _text(r.payee.npi),
                c.claim.value, _text(c.status), c.payer_claim_number.value,
                c.charge.amount, c.paid.amount, _money(c.patient_responsibility),
                by_group["CO"], by_group["PR"], by_group["OA"], by_group["PI"],
                by_group["CR"], len(c.services), _text(c.frequency), c.filing_indicator,
            ))
    return Table("claim_payments", CLAIM_PAYMENT_COLUMNS, rows)


def service_payment_rows(remittances: Remittance | Iterable[Remittance]) -> Table:
    """One row per service line payment (835 loop 2110); ``line`` counts from 1 within
    the claim payment."""
    rows: list[tuple[Cell, ...]] = []
    for r in _remittances(remittances):
        for c in r.claims:
            for n, s in enumerate(c.services, start=1):
                period = s.service_period
                rows.append((
                    r.trace, c.claim.value, n, s.line_ref, _text(s.procedure),
                    _text(s.revenue_code), " ".join(m.code for m in s.modifiers) or None,
                    s.units, s.charge.amount, _money(s.allowed), s.paid.amount,
                    period.start if period else None, period.end if period else None,
                ))
    return Table("service_payments", SERVICE_PAYMENT_COLUMNS, rows)


def adjustment_rows(remittances: Remittance | Iterable[Remittance]) -> Table:
    """One row per CAS adjustment; ``line`` is empty for a claim-level adjustment."""
    rows: list[tuple[Cell, ...]] = []
    for r in _remittances(remittances):
        for c in r.claims:
            levels: list[tuple[int | None, tuple[Adjustment, ...]]] = [(None, c.adjustments)]
            levels += [(n, s.adjustments) for n, s in enumerate(c.services, start=1)]
            for line, adjustments in levels:
                rows.extend((r.trace, c.claim.value, line, a.group.value, a.reason.code,
                             a.amount.amount, a.quantity) for a in adjustments)
    return Table("adjustments", ADJUSTMENT_COLUMNS, rows)


def provider_adjustment_rows(remittances: Remittance | Iterable[Remittance]) -> Table:
    """One row per provider-level adjustment (PLB composite); a positive amount reduces
    the payment (a recoupment), a negative one increases it (interest)."""
    rows: list[tuple[Cell, ...]] = []
    for r in _remittances(remittances):
        rows.extend((r.trace, r.paid_on, r.payer.payer_id.value, _text(p.reason),
                     p.reference, p.amount.amount, p.provider_id, p.fiscal_period_end)
                    for p in r.provider_adjustments)
    return Table("provider_adjustments", PROVIDER_ADJUSTMENT_COLUMNS, rows)


def transfer_rows(ledger: Ledger) -> Table:
    """One row per ledger transfer, in posting order; accounts by their key
    (``ar:payer:<payer id>``, ``cash``, ...). The patient of a transfer is left out (PHI):
    join on ``encounter_id`` or ``claim_id``."""
    rows = [(
        t.id.value, t.on, t.code.value, t.debit.key, t.credit.key, t.amount.amount,
        _text(t.encounter), _text(t.claim), t.line, _text(t.payer), t.trace,
        _text(t.reverses), _text(t.group), _text(t.reason),
    ) for t in ledger]
    return Table("transfers", TRANSFER_COLUMNS, rows)


def _claims(value: Claim | Iterable[Claim]) -> tuple[Claim, ...]:
    return (value,) if isinstance(value, Claim) else tuple(value)


def claim_rows(claims: Claim | Iterable[Claim]) -> Table:
    """One row per claim: its keys, status and totals (no patient data)."""
    rows = [(
        c.id.value, c.kind.value, c.status.value, _text(c.encounter),
        c.coverage.payer.payer_id.value, c.billing_provider.npi.value,
        _text(getattr(c, "frequency", None)), c.service_period.start, c.service_period.end,
        len(c.lines), len(c.diagnoses), c.total_charge.amount,
    ) for c in _claims(claims)]
    return Table("claims", CLAIM_COLUMNS, rows)


def claim_line_rows(claims: Claim | Iterable[Claim]) -> Table:
    """One row per claim line; ``pointers`` and ``modifiers`` as space-separated text."""
    rows = [(
        c.id.value, ln.line_number, _text(ln.procedure), _text(ln.revenue_code),
        " ".join(m.code for m in ln.modifiers) or None, ln.units, ln.charge.amount,
        ln.service_period.start, ln.service_period.end,
        " ".join(str(p) for p in ln.pointers) or None, _text(ln.rendering_npi),
        _text(ln.ndc),
    ) for c in _claims(claims) for ln in c.lines]
    return Table("claim_lines", CLAIM_LINE_COLUMNS, rows)


def aging_rows(report: AgingReport) -> Table:
    """An aging report as a table: one row per receivable account, one money column
    per bucket (named by its label: ``0-30``, ``31-60``, ...), then ``unapplied`` and
    ``total``."""
    columns = (Column("as_of", ColumnKind.DATE), Column("account", ColumnKind.TEXT),
               *(Column(label, ColumnKind.MONEY) for label in report.labels),
               Column("unapplied", ColumnKind.MONEY), Column("total", ColumnKind.MONEY))
    rows: list[tuple[Cell, ...]] = [
        (report.as_of, row.account.key, *(a.amount for a in row.amounts),
         row.unapplied.amount, row.total.amount) for row in report.rows]
    return Table("aging", columns, rows)


_ARROW_TYPES: Final[Mapping[ColumnKind, tuple[str, tuple[int, ...]]]] = {
    ColumnKind.TEXT: ("string", ()),
    ColumnKind.INTEGER: ("int64", ()),
    ColumnKind.MONEY: ("decimal128", (18, 2)),
    ColumnKind.DECIMAL: ("decimal128", (18, 4)),
    ColumnKind.DATE: ("date32", ()),
}


def to_arrow(table: Table) -> Any:
    """The table as a ``pyarrow.Table`` (money exact, ``decimal128(18, 2)``).

    Needs pyarrow (``pip install 'claimcore[arrow]'``); without it, a
    :class:`~claimcore.errors.ValidationError` says so.
    """
    try:
        import pyarrow as pa  # an optional extra, loaded on first use
    except ImportError:
        raise ValidationError("to_arrow needs pyarrow: pip install 'claimcore[arrow]'",
                              rule="optional-dependency") from None
    fields = []
    for column in table.columns:
        name, args = _ARROW_TYPES[column.kind]
        fields.append(pa.field(column.name, getattr(pa, name)(*args)))
    schema = pa.schema(fields)
    arrays = [pa.array(list(cells), type=field.type)
              for cells, field in zip(zip(*table.rows, strict=True) if table.rows
                                      else [() for _ in table.columns], schema, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)
