"""Keep claimcore's values in a real database: SQLite, from the standard library.

Run it with ``python examples/persist_sqlite.py [DATABASE]`` (a temporary file when no
path is given); the output is the same every time.

claimcore keeps no state: your system does. This example shows the pattern a billing
system needs, on an embedded database:

* **transfers are append-only rows** keyed by their transfer id (a primary key, so a
  replayed posting is refused by the database as well as by the ledger), with the
  columns a report filters on and the transfer's wire document;
* **claims and encounters are versioned documents** (`claimcore.serialization` JSON):
  each change is a new row ``(kind, key, version)``, never an update;
* each posting is **one database transaction**: the transfers a posting adds are written
  together or not at all, so a crash between two postings leaves the first whole and
  none of the second;
* the `Ledger` is **rebuilt from the rows** (``Ledger.from_transfers``, which checks each
  transfer again), and balances and statements read from it equal the in-memory ones.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from claimcore import serialization
from claimcore.claims import (
    Claim,
    ClaimKind,
    ClaimLine,
    EditContext,
    acknowledge,
    mark_ready,
    scrub,
    submit,
)
from claimcore.codes import CARC, CPT, ICD10CM, AdjustmentGroup, ClaimStatusCode, PlaceOfService
from claimcore.coverage import (
    Coverage,
    CoverageOrder,
    Payer,
    PayerKind,
    Plan,
    PlanType,
    Relationship,
    Subscriber,
    TimelyFiling,
)
from claimcore.ids import (
    NPI,
    ClaimId,
    MedicalRecordNumber,
    MemberId,
    PayerClaimNumber,
    PayerId,
    TaxId,
)
from claimcore.ledger import Account, Ledger, Transfer
from claimcore.money import Money
from claimcore.patients import Address, AdministrativeSex, Patient, PersonName
from claimcore.periods import Period
from claimcore.posting import post_charges, post_patient_payment, post_remittance
from claimcore.providers import Organization
from claimcore.remittance import (
    Adjustment,
    ClaimPayment,
    Payee,
    PaymentMethod,
    Remittance,
    RemittancePayer,
    ServicePayment,
)

T = TypeVar("T")

SCHEMA = """
create table if not exists transfers (
    seq        integer not null unique,   -- posting order: the ledger is rebuilt in it
    id         text primary key,          -- the transfer id: a replay is refused here too
    posted_on  text not null,
    debit      text not null,
    credit     text not null,
    cents      integer not null check (cents > 0),
    claim      text,
    document   text not null              -- the Transfer's claimcore wire document
);
create table if not exists documents (
    kind      text not null,              -- 'Claim', 'Encounter', ...
    key       text not null,              -- the value's id
    version   integer not null,
    document  text not null,
    primary key (kind, key, version)
);
"""


class Crash(Exception):
    """The process dies in the middle of writing a posting (simulated)."""


def connect(path: Path) -> sqlite3.Connection:
    """The database at ``path``, with its tables."""
    connection = sqlite3.connect(path, isolation_level=None)  # explicit transactions
    connection.executescript(SCHEMA)
    return connection


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One all-or-nothing unit of work: committed on success, rolled back on any error."""
    connection.execute("begin immediate")
    try:
        yield connection
    except BaseException:
        connection.execute("rollback")
        raise
    connection.execute("commit")


def save_posting(connection: sqlite3.Connection, before: Ledger, after: Ledger, *,
                 crash_after: int | None = None) -> int:
    """Write the transfers ``after`` holds beyond ``before``, in one transaction.

    ``crash_after`` simulates the process dying after that many rows were written.
    Returns the number of transfers written.
    """
    new = after.transfers()[len(before):]
    with transaction(connection):
        (start,) = connection.execute("select count(*) from transfers").fetchone()
        for i, transfer in enumerate(new):
            if crash_after is not None and i == crash_after:
                raise Crash(f"crashed after {i} of {len(new)} transfers")
            connection.execute(
                "insert into transfers values (?, ?, ?, ?, ?, ?, ?, ?)",
                (start + i, transfer.id.value, transfer.on.isoformat(), transfer.debit.key,
                 transfer.credit.key, transfer.amount.cents,
                 None if transfer.claim is None else transfer.claim.value,
                 serialization.dumps(transfer).decode()),
            )
    return len(new)


def load_ledger(connection: sqlite3.Connection) -> Ledger:
    """The ledger rebuilt from the rows, in posting order (every transfer checked again)."""
    rows = connection.execute("select document from transfers order by seq").fetchall()
    return Ledger.from_transfers(serialization.loads(d, Transfer) for (d,) in rows)


def save_document(connection: sqlite3.Connection, key: str, value: object) -> int:
    """Store a new version of ``value`` under ``key``; returns its version number."""
    kind = type(value).__name__
    with transaction(connection):
        (latest,) = connection.execute(
            "select coalesce(max(version), 0) from documents where kind = ? and key = ?",
            (kind, key)).fetchone()
        connection.execute("insert into documents values (?, ?, ?, ?)",
                           (kind, key, latest + 1, serialization.dumps(value).decode()))
    return int(latest) + 1


def load_document(connection: sqlite3.Connection, cls: type[T], key: str) -> T:
    """The latest version of the ``cls`` value stored under ``key``."""
    (document,) = connection.execute(
        "select document from documents where kind = ? and key = ? "
        "order by version desc limit 1", (cls.__name__, key)).fetchone()
    return serialization.loads(document, cls)


def usd(text: str) -> Money:
    return Money(Decimal(text))


def _claim() -> Claim:
    address = Address(lines=("200 Shore Dr",), city="Evanston", state="IL",
                      postal_code="60201")
    patient = Patient(mrn=MedicalRecordNumber("MRN00055120"),
                      name=PersonName(family="Okafor", given="Ada"),
                      birth_date=date(1981, 4, 2), sex=AdministrativeSex.FEMALE,
                      address=address)
    payer = Payer(payer_id=PayerId("ACME1"), name="Acme Health", kind=PayerKind.COMMERCIAL,
                  timely_filing=TimelyFiling(days=180))
    member = MemberId("ACM550041")
    coverage = Coverage(
        payer=payer, plan=Plan(name="Acme PPO", plan_type=PlanType.PPO), member_id=member,
        subscriber=Subscriber(member_id=member, name=patient.name,
                              birth_date=patient.birth_date, sex=patient.sex),
        relationship=Relationship.SELF, period=Period(date(2025, 1, 1)),
        order=CoverageOrder.PRIMARY,
    )
    clinic = Organization(npi=NPI("1234567893"), name="Lakeside Family Medicine",
                          tax_id=TaxId("36-2208811"), address=address)
    dos = date(2026, 3, 2)
    return Claim(
        id=ClaimId("LF0302"), kind=ClaimKind.PROFESSIONAL, encounter="ENC-0302",
        patient=patient, coverage=coverage, billing_provider=clinic,
        place_of_service=PlaceOfService("11"), diagnoses=(ICD10CM("J06.9"),),
        lines=[ClaimLine(line_number=1, procedure=CPT("99213"), charge=usd("150.00"),
                         service_period=Period(dos, dos), pointers=(1,))],
    )


def _remittance(claim: Claim) -> Remittance:
    line = ServicePayment(
        procedure=CPT("99213"), charge=usd("150.00"), paid=usd("88.00"), allowed=usd("110.00"),
        line_ref="1",
        adjustments=[Adjustment(group=AdjustmentGroup.CONTRACTUAL_OBLIGATION,
                                reason=CARC("45"), amount=usd("40.00")),
                     Adjustment(group=AdjustmentGroup.PATIENT_RESPONSIBILITY,
                                reason=CARC("2"), amount=usd("22.00"))])
    payment = ClaimPayment(claim=claim.id, status=ClaimStatusCode.PROCESSED_AS_PRIMARY,
                           charge=usd("150.00"), paid=usd("88.00"),
                           payer_claim_number=PayerClaimNumber("ACM2603100077"),
                           services=[line])
    return Remittance(
        payer=RemittancePayer(payer_id=claim.coverage.payer.payer_id, name="Acme Health"),
        payee=Payee(name="Lakeside Family Medicine", npi=NPI("1234567893")),
        method=PaymentMethod.ACH, payment=usd("88.00"), trace="ACH0320",
        paid_on=date(2026, 3, 20), claims=[payment])


def _balances(ledger: Ledger, accounts: Sequence[Account]) -> list[str]:
    return [f"{a.key} {ledger.balance(a).format()}" for a in accounts]


def main(path: Path) -> None:
    connection = connect(path)
    claim = _claim()
    at = datetime(2026, 3, 3, 9, tzinfo=UTC)
    claim = mark_ready(claim, scrub(claim, context=EditContext(as_of=date(2026, 3, 3))), at=at)
    claim = acknowledge(submit(claim, at=at), at=datetime(2026, 3, 4, 7, tzinfo=UTC),
                        payer_claim_number=PayerClaimNumber("ACM2603100077"))
    version = save_document(connection, claim.id.value, claim)
    print(f"claim {claim.id.value} stored as version {version}")

    # Posting 1: the charges.
    charged = post_charges(Ledger(), claim, on=date(2026, 3, 2))
    written = save_posting(connection, Ledger(), charged)
    print(f"posting 1 (charges): {written} transfers written")

    # Posting 2: the 835. The process dies after the first of its rows...
    posted = post_remittance(charged, [claim], _remittance(claim))
    try:
        save_posting(connection, charged, posted.ledger, crash_after=1)
    except Crash as crash:
        print(f"posting 2 (835): {crash}; the transaction rolled back")
    rebuilt = load_ledger(connection)
    print(f"after the crash: {len(rebuilt)} transfers in the database, the charges whole: "
          f"{rebuilt.transfers() == charged.transfers()}")

    # ... and is run again after the restart, from the rebuilt ledger: the same ids.
    again = post_remittance(rebuilt, [claim], _remittance(claim))
    written = save_posting(connection, rebuilt, again.ledger)
    print(f"posting 2 (835) again: {written} transfers written")
    save_document(connection, claim.id.value, again.claims[0])

    # A replay of posting 2 is refused by the database (the primary key) ...
    try:
        with transaction(connection):
            t = again.ledger.transfers()[-1]
            connection.execute("insert into transfers values (?, ?, ?, ?, ?, ?, ?, ?)",
                               (999, t.id.value, t.on.isoformat(), t.debit.key, t.credit.key,
                                t.amount.cents, None, serialization.dumps(t).decode()))
    except sqlite3.IntegrityError as error:
        print(f"replayed transfer refused by the database: {error}")
    # ... and changes nothing in the ledger (the same ids, the same content).
    replay = post_remittance(again.ledger, again.claims, _remittance(claim))
    print(f"replayed 835 in the ledger: {len(replay.ledger) - len(again.ledger)} new transfers")

    # Posting 3: the patient pays the coinsurance.
    paid = post_patient_payment(again.ledger, patient=claim.patient.mrn, amount=usd("22.00"),
                                on=date(2026, 4, 2), reference="CARD-0402")
    save_posting(connection, again.ledger, paid)

    rebuilt = load_ledger(connection)
    accounts = (Account.cash(), Account.ar_payer(PayerId("ACME1")), Account.ar_patient(),
                Account.contractual_allowance(), Account.gross_revenue())
    print("balances (rebuilt from the database):")
    for line in _balances(rebuilt, accounts):
        print(f"  {line}")
    stored = load_document(connection, Claim, claim.id.value)
    (versions,) = connection.execute(
        "select count(*) from documents where kind = 'Claim' and key = ?",
        (claim.id.value,)).fetchone()
    print(f"claim {stored.id.value}: {versions} versions, latest status {stored.status.value}")
    same = (_balances(rebuilt, accounts) == _balances(paid, accounts)
            and rebuilt.totals() == paid.totals() and stored == again.claims[0])
    print(f"the rebuilt ledger and claim equal the in-memory ones: {same}")
    connection.close()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as directory:
            main(Path(directory) / "claimcore.sqlite")
