"""Flat tables: stable columns, every amount to the cent, no PHI, Parquet round trips."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings

from claimcore import tabular
from claimcore.errors import ValidationError
from claimcore.ids import TransferId
from claimcore.ledger import Account, Ledger, Transfer, TransferCode, post
from claimcore.money import Money
from claimcore.strategies import RevenueCycle, revenue_cycles
from claimcore.tabular import Cell, Column, ColumnKind, Table

CENT = Decimal("0.01")


def _dec(row: dict[str, Cell], name: str) -> Decimal:
    value = row[name]
    assert isinstance(value, Decimal), name
    return value


def _sum(table: Table, name: str) -> Decimal:
    return sum((c for c in table.column(name) if isinstance(c, Decimal)), Decimal("0.00"))


@settings(max_examples=40, deadline=None)
@given(revenue_cycles())
def test_remittance_tables_carry_every_cent(cycle: RevenueCycle) -> None:
    claims = tabular.claim_payment_rows(cycle.remittances)
    services = tabular.service_payment_rows(cycle.remittances)
    adjustments = tabular.adjustment_rows(cycle.remittances)
    plb = tabular.provider_adjustment_rows(cycle.remittances)
    payments = [c for r in cycle.remittances for c in r.claims]
    assert len(claims) == len(payments)
    assert len(services) == sum(len(c.services) for c in payments)
    assert _sum(claims, "paid") == sum((c.paid.amount for c in payments), Decimal("0.00"))
    assert _sum(claims, "charge") == sum((c.charge.amount for c in payments), Decimal("0.00"))
    # Adjustments by group in the claim table equal the adjustment rows, group by group.
    by_group: Counter[str] = Counter()
    for group, amount in zip(adjustments.column("group"), adjustments.column("amount"),
                             strict=True):
        assert isinstance(group, str) and isinstance(amount, Decimal)
        by_group[group] += amount  # type: ignore[assignment]
    for group in ("CO", "PR", "OA", "PI", "CR"):
        assert _sum(claims, f"adjustments_{group.lower()}") == by_group.get(group, 0)
    # Each claim balances in the table as in the 835: charge - adjustments = paid.
    for row in claims.as_dicts():
        adjusted = sum((_dec(row, f"adjustments_{g}") for g in ("co", "pr", "oa", "pi", "cr")),
                       Decimal("0.00"))
        assert _dec(row, "charge") - adjusted == _dec(row, "paid")
    payment = sum((r.payment.amount for r in cycle.remittances), Decimal("0.00"))
    assert _sum(claims, "paid") - _sum(plb, "amount") == payment


@settings(max_examples=40, deadline=None)
@given(revenue_cycles())
def test_transfer_and_claim_tables(cycle: RevenueCycle) -> None:
    ledger = cycle.account.ledger
    transfers = tabular.transfer_rows(ledger)
    assert len(transfers) == len(ledger)
    assert transfers.column("transfer_id") == tuple(t.id.value for t in ledger)
    assert _sum(transfers, "amount") == sum((t.amount.amount for t in ledger), Decimal("0.00"))
    claims = tabular.claim_rows(cycle.account.claims)
    lines = tabular.claim_line_rows(cycle.account.claims)
    assert _sum(claims, "total_charge") == _sum(lines, "charge")
    assert len(lines) == sum(len(c.lines) for c in cycle.account.claims)
    # No PHI: the patient's record number, name and birth date are in no cell.
    patient = cycle.account.patient
    secrets = {patient.mrn.unmasked, patient.name.family, patient.birth_date.isoformat()}
    for table in (transfers, claims, lines):
        cells = {str(c) for row in table for c in row}
        assert not any(s in cell for s in secrets for cell in cells)


def test_aging_table_sums_to_the_balance() -> None:
    ledger = post(
        Ledger(),
        Transfer(id=TransferId("c1"), debit=Account.ar_patient(), credit=Account.gross_revenue(),
                 amount=Money(Decimal("120.00")), on=date(2026, 1, 5), code=TransferCode.CHARGE),
        Transfer(id=TransferId("c2"), debit=Account.ar_patient(), credit=Account.gross_revenue(),
                 amount=Money(Decimal("80.00")), on=date(2026, 3, 20), code=TransferCode.CHARGE),
    )
    table = tabular.aging_rows(ledger.aging(date(2026, 4, 1)))
    row = table.as_dicts()[0]
    assert row["account"] == "ar:patient"
    assert row["0-30"] == Decimal("80.00")
    assert row["total"] == Decimal("200.00")
    buckets = [_dec(row, label) for label in table.names[2:-2]]
    assert sum(buckets, Decimal("0.00")) - _dec(row, "unapplied") == _dec(row, "total")


def test_a_row_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"\$\.rows\[0\]"):
        Table("t", (Column("a", ColumnKind.TEXT),), [("x", "y")])
    with pytest.raises(ValidationError, match="no column"):
        Table("t", (Column("a", ColumnKind.TEXT),), []).column("b")


@settings(max_examples=10, deadline=None)
@given(revenue_cycles())
def test_parquet_round_trip_keeps_every_cent(tmp_path_factory: pytest.TempPathFactory,
                                              cycle: RevenueCycle) -> None:
    directory: Path = tmp_path_factory.mktemp("parquet")
    for table in (tabular.claim_payment_rows(cycle.remittances),
                  tabular.service_payment_rows(cycle.remittances),
                  tabular.adjustment_rows(cycle.remittances),
                  tabular.transfer_rows(cycle.account.ledger),
                  tabular.claim_line_rows(cycle.account.claims)):
        arrow = tabular.to_arrow(table)
        money = [c.name for c in table.columns if c.kind is ColumnKind.MONEY]
        for name in money:
            assert arrow.schema.field(name).type == pa.decimal128(18, 2)
        path = directory / f"{table.name}.parquet"
        pq.write_table(arrow, path)
        back = pq.read_table(path)
        assert back.to_pylist() == table.as_dicts()
        # An independent reader: duckdb sums the money columns exactly.
        for name in money:
            relation = duckdb.sql(f"select sum(\"{name}\") from '{path}'")  # noqa: S608
            assert relation is not None
            rows = relation.fetchall()
            expected = _sum(table, name)
            got = rows[0][0] if rows[0][0] is not None else Decimal("0.00")
            assert Decimal(got).quantize(CENT) == expected
