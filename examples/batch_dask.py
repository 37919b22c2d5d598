"""Post a directory of 837s and 835s on Dask, and get the numbers of one machine.

Run it with ``python examples/batch_dask.py [--patients N] [--workers N] [DIRECTORY]``
(``pip install claimcore[dask]``; a temporary directory when none is given). It writes a
population's claims (837P files) and the payers' answers (835 files, from the payer
simulator ``claimcore.adjudication``), then posts them twice:

* **serially**: every 837 read with the streaming reader, the charges posted and the
  claims submitted, every 835 posted whole, in file order, into one ledger;
* **on a** ``dask.distributed`` ``LocalCluster``: the files read in a ``dask.bag`` (the
  workers read them in blocks and feed ``iter_837`` / ``iter_835``), each claim payment
  routed to the partition of its patient account, every partition posted apart, the
  ledgers joined with ``Ledger.merge`` and the KPI figures with ``metrics.combine``.

Both print the same table, to the cent, and the script says so on its last line.

How an 835 is split (see docs/distributed.md). A remittance pays claims of many patients;
each partition gets a *partial remittance* with the same payer, payee, trace and date and
only its claims, whose payment (``BPR02``) is the sum of those claims' ``CLP04``, so each
part balances on its own and the parts add up to the payment. Transfer ids come from the
payer, trace, claim, status and line, so every claim posts the transfers it would post
serially. What belongs to the remittance rather than to a claim, its provider-level
adjustments (``PLB``: interest, recoupments), the claim payments that match no claim and
the claims the reader set aside, goes to one partition, the one holding the claim a
recoupment names, else the one with the largest part; there cash follows the ``PLB`` as
it does serially, so the cash of all parts is what the payer sent.
"""

from __future__ import annotations

import argparse
import json
import operator
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import attrs

from claimcore.adjudication import (
    Accumulators,
    Adjudicated,
    Contract,
    PayerRules,
    ServiceTypeRule,
    adjudicate,
    interest,
    recoupment,
    remit,
)
from claimcore.charges import FeePrice, FeeSchedule
from claimcore.claims import Claim, ClaimKind, ClaimLine, EditContext, mark_ready, scrub, submit
from claimcore.codes import CPT, ICD10CM, PlaceOfService
from claimcore.coverage import (
    Accumulator,
    Copay,
    Coverage,
    CoverageOrder,
    NetworkBenefits,
    Payer,
    PayerKind,
    Plan,
    PlanType,
    Relationship,
    Subscriber,
    TimelyFiling,
)
from claimcore.ids import NPI, ClaimId, MedicalRecordNumber, MemberId, PayerId, TaxId
from claimcore.ledger import Ledger
from claimcore.metrics import Figures, combine, figures
from claimcore.money import Money, Rate
from claimcore.patients import Address, AdministrativeSex, Patient, PersonName
from claimcore.periods import Period
from claimcore.posting import post_charges, post_remittance
from claimcore.providers import Organization
from claimcore.remittance import (
    ClaimPayment,
    Payee,
    ProviderAdjustment,
    ProviderAdjustmentReason,
    Remittance,
)
from claimcore.x12 import (
    ControlNumbers,
    Receiver,
    RemittanceBalance,
    RemittanceHeader,
    Submitter,
    UnreadClaim,
    iter_835,
    iter_837,
    write_835,
    write_837p,
)

T = TypeVar("T")
AS_OF = date(2026, 4, 30)
PERIOD = Period(date(2026, 3, 1), AS_OF)
BLOCK = 1 << 16  # the size of the blocks a file is read in
CLAIMS_PER_837 = 50
REMITTANCES_PER_835 = 2


def usd(text: str) -> Money:
    return Money(Decimal(text))


# -- the population and its files ------------------------------------------------------------

_SINCE = Period(date(2020, 1, 1))
_PRICES = {"99213": "120.00", "99214": "175.00", "80053": "60.00", "36415": "15.00",
           "93000": "50.00"}
_VISITS = (("99214", "80053", "36415"), ("99213", "93000"), ("99213",), ("99214",),
           ("99213", "36415"), ("99214", "80053"))
_CLINIC = Organization(
    npi=NPI("1234567893"), name="Springfield Clinic", tax_id=TaxId("12-3456789"),
    address=Address(lines=("1 Main St",), city="Springfield", state="IL",
                    postal_code="627011234"))
_PAYEE = Payee(name="Springfield Clinic", npi=_CLINIC.npi)


def _schedule(name: str, prices: Iterable[tuple[str, str]]) -> FeeSchedule:
    return FeeSchedule(name=name, effective=_SINCE, prices=[
        FeePrice(code=CPT(c), modifier=None, price=usd(p)) for c, p in prices])


def _payers() -> tuple[tuple[Payer, PayerRules], ...]:
    acme = Payer(payer_id=PayerId("ACME1"), name="Acme Health", kind=PayerKind.COMMERCIAL,
                 timely_filing=TimelyFiling(days=180))
    medicare = Payer(payer_id=PayerId("MCARE1"), name="Medicare Part B",
                     kind=PayerKind.MEDICARE, timely_filing=TimelyFiling(months=12))
    return (
        (acme, PayerRules(
            payer=acme,
            contract=Contract(fee_schedule=_schedule("Acme", [
                ("99213", "95.00"), ("99214", "150.00"), ("80053", "40.00"),
                ("36415", "10.00")]), percent_of_charge=Rate.percent(60)),
            benefits=NetworkBenefits(
                individual_deductible=Accumulator(limit=usd("500.00"), met=usd("400.00")),
                coinsurance=Rate.percent(20),
                copays=[Copay(service_type="98", amount=usd("25.00"))]),
            service_types=[ServiceTypeRule(codes={CPT("99213"), CPT("99214")},
                                           service_type="98")],
            coverage_period=_SINCE, authorization_required={CPT("93000")})),
        (medicare, PayerRules(
            payer=medicare,
            contract=Contract(fee_schedule=_schedule("MPFS", [
                ("99213", "92.00"), ("99214", "128.00"), ("80053", "10.50"),
                ("36415", "3.00"), ("93000", "17.00")])),
            benefits=NetworkBenefits(
                individual_deductible=Accumulator(limit=usd("257.00"), met=usd("200.00")),
                coinsurance=Rate.percent(20)),
            coverage_period=_SINCE)),
    )


def _claim(n: int, visit: int, payer: Payer, dos: date, codes: Sequence[str]) -> Claim:
    mrn = MedicalRecordNumber(f"MRN{n:06d}")
    patient = Patient(mrn=mrn, name=PersonName(family="Doe", given="Alex"),
                      birth_date=date(1950 + n % 50, 1 + n % 12, 1 + n % 28),
                      sex=AdministrativeSex.UNKNOWN,
                      address=Address(lines=(f"{n} Elm St",), city="Springfield", state="IL",
                                      postal_code="62704"))
    member = MemberId(f"M{n:08d}")
    coverage = Coverage(
        payer=payer, plan=Plan(name="Plan", plan_type=PlanType.PPO), member_id=member,
        subscriber=Subscriber(member_id=member, name=patient.name,
                              birth_date=patient.birth_date, sex=patient.sex),
        relationship=Relationship.SELF, period=_SINCE, order=CoverageOrder.PRIMARY)
    return Claim(
        id=ClaimId(f"C{n:06d}V{visit}"), kind=ClaimKind.PROFESSIONAL, patient=patient,
        coverage=coverage, billing_provider=_CLINIC, place_of_service=PlaceOfService("11"),
        diagnoses=(ICD10CM("E11.9"),),
        lines=[ClaimLine(line_number=i, procedure=CPT(c), charge=usd(_PRICES[c]),
                         service_period=Period(dos, dos), pointers=(1,))
               for i, c in enumerate(codes, 1)])


class Files(NamedTuple):
    """The files of a population: its 837s and 835s, in the order they were sent, and the
    billing system's patient index (``index.json``)."""

    claims: tuple[Path, ...]
    remittances: tuple[Path, ...]
    patients: Path


def member_key(claim: Claim) -> str:
    """How an 837 names the patient (every patient here is the subscriber): the payer and
    the member id (loops 2010BB and 2010BA)."""
    return f"{claim.coverage.payer.payer_id.value}|{claim.coverage.member_id.unmasked}"


def write_population(directory: Path, patients: int) -> Files:
    """Write ``patients`` patients' claims (837P) and their payers' answers (835).

    Deterministic: each patient has one to three visits in March 2026 with one payer;
    each payer answers ten days after the visit, one remittance per payer and day, with
    interest on some and a recoupment of an earlier claim on others; one payment is for
    a claim this clinic never sent (it posts to unapplied cash).
    """
    directory.mkdir(parents=True, exist_ok=True)
    payers = _payers()
    claims: list[Claim] = []
    for n in range(1, patients + 1):
        payer = payers[n % 3 == 0][0]  # a third on Medicare
        for visit in range(1 + n % 3):
            dos = date(2026, 3, 1) + timedelta(days=(n * 7 + visit * 9) % 28)
            claims.append(_claim(n, visit, payer, dos, _VISITS[(n + visit) % len(_VISITS)]))
    claims.sort(key=lambda c: (c.service_period.start, c.id.value))
    index = directory / "index.json"
    index.write_text(json.dumps({member_key(c): c.patient.mrn.unmasked for c in claims},
                                sort_keys=True), encoding="utf-8")
    stranger = _claim(patients + 1, 0, payers[0][0], date(2026, 3, 2), ("99213",))
    submitter = Submitter(name="Springfield Clinic", id="SPRCLINIC", contact_name="Billing",
                          phone="2175550100")
    at = datetime(2026, 4, 1, 6, tzinfo=UTC)
    out_837: list[Path] = []
    for i in range(0, len(claims), CLAIMS_PER_837):
        batch = claims[i:i + CLAIMS_PER_837]
        path = directory / f"claims-{len(out_837) + 1:04d}.837"
        path.write_text(write_837p(
            batch, submitter=submitter, receiver=Receiver(name="Clearinghouse", id="CLEARHOUSE"),
            control_numbers=ControlNumbers(interchange=len(out_837) + 1, group=1,
                                           transaction=1), at=at), encoding="utf-8")
        out_837.append(path)
    accumulators: dict[MedicalRecordNumber, Accumulators] = {}
    decided: dict[tuple[PayerId, date], list[Adjudicated]] = {}
    for claim in (*claims, stranger):
        payer, rules = next(p for p in payers if p[0] == claim.coverage.payer)
        on = claim.service_period.start + timedelta(days=10)
        decision = adjudicate(claim, rules, on=on,
                              accumulators=accumulators.get(claim.patient.mrn))
        accumulators[claim.patient.mrn] = decision.accumulators
        decided.setdefault((payer.payer_id, on), []).append(decision)
    remittances: list[Remittance] = []
    earlier_claim: dict[MedicalRecordNumber, ClaimId] = {}
    patient_of = {c.id: c.patient.mrn for c in (*claims, stranger)}
    for (payer_id, on), decisions in sorted(decided.items(),
                                            key=lambda kv: (kv[0][1], kv[0][0].value)):
        payer = next(p for p, _ in payers if p.payer_id == payer_id)
        plb: list[ProviderAdjustment] = []
        if on.day % 4 == 0:
            plb.append(interest(usd(f"{on.day}.17")))
        if on.day % 5 == 0:
            # The payer takes back 5.00 of a patient's earlier visit from this payment,
            # one that pays that patient's new visit (see SplitError).
            owing = next((earlier_claim[patient_of[d.payment.claim]] for d in decisions
                          if patient_of[d.payment.claim] in earlier_claim
                          and d.payment.paid >= usd("10.00")), None)
            if owing is not None:
                plb.append(recoupment(usd("5.00"), claim=owing))
        remittances.append(remit(decisions, payer=payer, payee=_PAYEE,
                                 paid_on=on + timedelta(days=1),
                                 trace=f"EFT{payer_id.value[:2]}{on:%m%d}",
                                 provider_adjustments=plb))
        for d in decisions:
            earlier_claim[patient_of[d.payment.claim]] = d.payment.claim
    out_835: list[Path] = []
    for i in range(0, len(remittances), REMITTANCES_PER_835):
        batch_835 = remittances[i:i + REMITTANCES_PER_835]
        path = directory / f"remit-{len(out_835) + 1:04d}.835"
        path.write_text(write_835(
            batch_835, control_numbers=ControlNumbers(interchange=len(out_835) + 1, group=1,
                                                      transaction=1),
            at=datetime.combine(batch_835[-1].paid_on, datetime.min.time(), UTC)),
            encoding="utf-8")
        out_835.append(path)
    return Files(claims=tuple(out_837), remittances=tuple(out_835), patients=index)


# -- reading: the files in blocks, the library's streaming readers -------------------------


def blocks(path: Path | str) -> Iterator[str]:
    """The text of ``path`` in blocks of :data:`BLOCK` characters (the library does no I/O)."""
    with open(path, encoding="utf-8", newline="") as file:
        while block := file.read(BLOCK):
            yield block


class Order(NamedTuple):
    """Where a value came from: the file's number among its kind, then its place in it."""

    file: int
    item: int


def load_index(path: Path | str) -> dict[str, str]:
    """The billing system's patient index: the patient account (MRN) of each member."""
    with open(path, encoding="utf-8") as file:
        index: dict[str, str] = json.load(file)
    return index


def read_claims(numbered: tuple[int, str], index: dict[str, str],
                ) -> list[tuple[Order, Claim]]:
    """The claims of one 837, with their order, each with its patient account.

    An 837 names the patient by payer and member id; claimcore's writer sends no
    medical record number (2300 ``REF*EA``), so the reader gives every claim
    ``Read837Defaults.mrn``. The patient index puts the account back. Claims the reader
    set aside are left out.
    """
    number, path = numbered
    out: list[tuple[Order, Claim]] = []
    for item in iter_837(blocks(path)):
        if isinstance(item, Claim):
            mrn = MedicalRecordNumber(index[member_key(item)])
            item = attrs.evolve(item, patient=attrs.evolve(item.patient, mrn=mrn))
            out.append((Order(number, len(out)), item))
    return out


class Advice(NamedTuple):
    """One transaction set of an 835 as read: the remittance and the claims set aside."""

    order: Order
    remittance: Remittance
    unread: tuple[UnreadClaim, ...]


def read_advices(numbered: tuple[int, str]) -> list[Advice]:
    """The remittances of one 835, read as a stream and rebuilt one transaction set at a
    time (memory holds one remittance, not the file)."""
    number, path = numbered
    out: list[Advice] = []
    head: RemittanceHeader | None = None
    paid: list[ClaimPayment] = []
    plb: list[ProviderAdjustment] = []
    unread: list[UnreadClaim] = []
    for item in iter_835(blocks(path)):
        if isinstance(item, RemittanceHeader):
            head, paid, plb, unread = item, [], [], []
        elif isinstance(item, ClaimPayment):
            paid.append(item)
        elif isinstance(item, ProviderAdjustment):
            plb.append(item)
        elif isinstance(item, UnreadClaim):
            unread.append(item)
        elif isinstance(item, RemittanceBalance) and head is not None:
            out.append(Advice(Order(number, len(out)), Remittance(
                payer=head.payer, payee=head.payee, method=head.method, payment=item.payment,
                trace=head.trace, paid_on=head.paid_on, claims=paid,
                provider_adjustments=plb), tuple(unread)))
    return out


# -- routing: a patient account's claims and payments to one partition ---------------------


def partition_of(account: str, partitions: int) -> int:
    """The partition of a patient account: a stable hash (``hash()`` of a ``str`` differs
    from one worker process to the next)."""
    return zlib.crc32(account.encode()) % partitions


def route_entry(ordered: tuple[Order, Claim], partitions: int) -> tuple[str, int]:
    """A claim's key (the 835's patient control number, normalised) and the partition of
    its patient account."""
    claim = ordered[1]
    return claim.id.normalized(), partition_of(claim.patient.mrn.unmasked, partitions)


def number_entries(advice: Advice, routes: dict[str, int]) -> list[tuple[str, int]]:
    """The payer claim numbers (``CLP07``) of a remittance's known claims, keyed by payer,
    with the partition of their claim: a recoupment may name a claim by that number."""
    payer = advice.remittance.payer.payer_id.value
    return [(f"{payer}|{cp.payer_claim_number.value}", routes[cp.claim.normalized()])
            for cp in advice.remittance.claims if cp.claim.normalized() in routes]


def named_partition(reference: str | None, payer: str, routes: dict[str, int],
                    numbers: dict[str, int]) -> int | None:
    """The partition of the claim a PLB reference (``PLB03-2``) names, found the way
    ``post_remittance`` finds that claim: by the payer's claim number, else by the
    patient control number (case and leading zeros aside); ``None`` when it names none."""
    if reference is None:
        return None
    ref = reference.strip()
    found = numbers.get(f"{payer}|{ref}")
    return found if found is not None else routes.get(ref.upper().lstrip("0") or "0")


class SplitError(ValueError):
    """A remittance that cannot be cut into balanced parts (a part would pay < 0)."""


def split(advice: Advice, routes: dict[str, int], numbers: dict[str, int] | None = None,
          ) -> list[tuple[int, Advice]]:
    """``advice`` as partial remittances, one per partition its claims belong to.

    ``routes`` maps each claim's key (:func:`route_entry`) to its partition, ``numbers``
    each payer claim number seen (:func:`number_entries`) to its claim's.

    Each part keeps the payer, payee, method, trace and date, holds its partition's claim
    payments and pays their sum, so it balances. The provider-level adjustments, the
    payments of unknown claims and the claims set aside go together to one partition:
    the one holding the claim a recoupment names, else the one with the largest part.
    """
    r = advice.remittance
    parts: dict[int, list[ClaimPayment]] = {}
    loose: list[ClaimPayment] = []
    for cp in r.claims:
        p = routes.get(cp.claim.normalized())
        if p is None:
            loose.append(cp)
        else:
            parts.setdefault(p, []).append(cp)
    payer = r.payer.payer_id.value
    named = [p for plb in r.provider_adjustments
             if plb.reason is not ProviderAdjustmentReason.INTEREST_OWED
             and (p := named_partition(plb.reference, payer, routes, numbers or {}))
             is not None]
    if named:
        home = named[0]
        if any(p != home for p in named):
            raise SplitError(f"remittance {r.trace}: its recoupments name claims of "
                             "different partitions")
    elif parts:
        home = max(parts, key=lambda p: (sum(c.paid.cents for c in parts[p]), -p))
    else:
        home = 0
    if loose or r.provider_adjustments or advice.unread:
        parts.setdefault(home, []).extend(loose)
    out: list[tuple[int, Advice]] = []
    for p, paid in sorted(parts.items()):
        plb = r.provider_adjustments if p == home else ()
        payment = Money.zero(r.payment.currency)
        for cp in paid:
            payment += cp.paid
        for adjustment in plb:
            payment -= adjustment.amount
        if payment.is_negative():
            raise SplitError(f"remittance {r.trace}: the part of partition {p} would pay "
                             f"{payment}")
        part = attrs.evolve(r, claims=paid, provider_adjustments=plb, payment=payment)
        out.append((p, Advice(advice.order, part, advice.unread if p == home else ())))
    return out


# -- posting: one partition, or everything -------------------------------------------------


class Posted(NamedTuple):
    """What posting a partition (or everything) gives: the ledger, the claims, the KPI
    figures and how many claim payments matched no claim."""

    ledger: Ledger
    claims: tuple[Claim, ...]
    figures: Figures
    unmatched: int


def post_all(claims: Iterable[tuple[Order, Claim]], advices: Iterable[Advice]) -> Posted:
    """Post the claims' charges and submit them, then every remittance, in file order.

    This is the serial loop, and also what each partition runs on its share: the same
    code, so the two can only differ by how the work was cut.
    """
    ledger = Ledger()
    posted: list[Claim] = []
    for _, claim in sorted(claims, key=lambda oc: oc[0]):
        entered = claim.service_period.end or claim.service_period.start
        entered += timedelta(days=1)
        ledger = post_charges(ledger, claim, on=entered)
        at = datetime(entered.year, entered.month, entered.day, 17, tzinfo=UTC)
        report = scrub(claim, context=EditContext(as_of=entered))
        posted.append(submit(mark_ready(claim, report, at=at), at=at))
    unmatched = 0
    for advice in sorted(advices, key=lambda a: a.order):
        result = post_remittance(ledger, posted, advice.remittance, unread=advice.unread)
        ledger, posted = result.ledger, list(result.claims)
        unmatched += len(result.unmatched)
    return Posted(ledger, tuple(posted),
                  figures(ledger, posted, as_of=AS_OF, period=PERIOD), unmatched)


def serial(files: Files) -> Posted:
    """The single-machine loop over the same files."""
    index = load_index(files.patients)
    claims = [c for n, p in enumerate(files.claims) for c in read_claims((n, str(p)), index)]
    advices = [a for n, p in enumerate(files.remittances) for a in read_advices((n, str(p)))]
    return post_all(claims, advices)


def bucket_claims(part: Iterable[tuple[Order, Claim]], partitions: int,
                  ) -> list[list[tuple[Order, Claim]]]:
    """A bag partition's claims, one list per patient partition."""
    out: list[list[tuple[Order, Claim]]] = [[] for _ in range(partitions)]
    for ordered in part:
        out[route_entry(ordered, partitions)[1]].append(ordered)
    return out


def bucket_advices(part: Iterable[tuple[int, Advice]], partitions: int,
                   ) -> list[list[Advice]]:
    """A bag partition's partial remittances, one list per patient partition."""
    out: list[list[Advice]] = [[] for _ in range(partitions)]
    for p, advice in part:
        out[p].append(advice)
    return out


def chain_lists(lists: Iterable[list[T]]) -> list[T]:
    """The lists as one, in order: a partition's share of every file."""
    return [value for values in lists for value in values]


def _dask() -> tuple[Any, Any]:
    """``dask`` and ``dask.bag``, imported when used (Dask is an optional extra; its
    functions carry no annotations, so they are used through ``Any``)."""
    import dask
    import dask.bag

    return dask, dask.bag


def cluster(workers: int, *, processes: bool = True) -> Any:
    """A ``dask.distributed`` ``LocalCluster`` of ``workers`` single-threaded workers
    (processes by default, as on a real cluster: every value crosses a pickle)."""
    from dask import distributed as dd

    module: Any = dd
    return module.LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                               dashboard_address=None)


def client(of: Any) -> Any:
    """A ``dask.distributed`` ``Client`` of cluster ``of``; it becomes the default scheduler."""
    from dask import distributed as dd

    module: Any = dd
    return module.Client(of)


def distributed(files: Files, partitions: int) -> Posted:
    """The same work on the Dask cluster of the active client, in ``partitions`` patient
    partitions.

    Two bags read the files (as many tasks as partitions, each reading its share of the
    files: fewer, larger tasks cost less scheduling). The claim -> partition map comes
    back to the client (one short pair per claim) and goes out again once, and so does
    the map of payer claim numbers to partitions that recoupments are routed by. Each reading
    task's values are cut into one list per patient partition, and one posting task per
    partition fetches its own lists: a shuffle of ``tasks x partitions`` lists, which
    costs less here than ``Bag.groupby``'s general one.
    """
    dask, db = _dask()
    claims = (db.from_sequence([(n, str(p)) for n, p in enumerate(files.claims)],
                               npartitions=max(1, min(len(files.claims), partitions)))
              .map(read_claims, dask.delayed(load_index)(str(files.patients)))
              .flatten().persist())
    routes = dask.delayed(dict(claims.map(route_entry, partitions).compute()), pure=True)
    read = (db.from_sequence([(n, str(p)) for n, p in enumerate(files.remittances)],
                             npartitions=max(1, min(len(files.remittances), partitions)))
            .map(read_advices).flatten().persist())
    numbers = dask.delayed(dict(read.map(number_entries, routes).flatten().compute()),
                           pure=True)
    advices = read.map(split, routes, numbers).flatten()
    # One list per (file, partition); a posting task fetches its own lists only.
    share = dask.delayed(operator.getitem, pure=True)
    claim_buckets = [d[0] for d in claims.map_partitions(
        lambda part: [bucket_claims(part, partitions)]).to_delayed()]
    advice_buckets = [d[0] for d in advices.map_partitions(
        lambda part: [bucket_advices(part, partitions)]).to_delayed()]
    tasks = [dask.delayed(post_all)(
                 dask.delayed(chain_lists)([share(b, p) for b in claim_buckets]),
                 dask.delayed(chain_lists)([share(b, p) for b in advice_buckets]))
             for p in range(partitions)]
    return join(list(dask.compute(*tasks)))


def join(parts: Sequence[Posted]) -> Posted:
    """The partitions as one: ledgers merged, claims gathered, figures combined."""
    return Posted(Ledger.merge(*(p.ledger for p in parts)),
                  tuple(c for p in parts for c in p.claims),
                  combine(*(p.figures for p in parts)), sum(p.unmatched for p in parts))


def partitioned(claims: Sequence[tuple[Order, Claim]], advices: Iterable[Advice],
                assign: Callable[[Claim], int], partitions: int) -> Posted:
    """The distributed algorithm without a cluster: claims to the partition ``assign``
    gives their patient account, remittances split, partitions posted one after the other
    and joined. Tests use it to try any split of a population."""
    routes = {c.id.normalized(): assign(c) for _, c in claims}
    advices = list(advices)
    numbers = dict(pair for a in advices for pair in number_entries(a, routes))
    claim_lists: list[list[tuple[Order, Claim]]] = [[] for _ in range(partitions)]
    for ordered in claims:
        claim_lists[routes[ordered[1].id.normalized()]].append(ordered)
    advice_lists = bucket_advices((pa for a in advices for pa in split(a, routes, numbers)),
                                  partitions)
    return join([post_all(claim_lists[p], advice_lists[p]) for p in range(partitions)])


# -- the report --------------------------------------------------------------------------------


def report(posted: Posted) -> list[str]:
    """The totals both runs print: every account's balance, the trial balance, the KPIs."""
    f = posted.figures
    lines = [f"{account.key:<32} {amount!s:>14}"
             for account, amount in posted.ledger.balances().items()]
    totals = posted.ledger.totals()
    lines += [
        f"{'trial balance (debits, credits)':<32} {totals.debits!s:>14} "
        f"{totals.credits!s:>14}",
        f"claims {len(posted.claims)}, transfers {len(posted.ledger)}, "
        f"unmatched payments {posted.unmatched}",
        f"charges {f.charges}, payer cash {f.payer_cash}, contractual {f.contractual}, "
        f"denied {f.denied}, receivable {f.receivable}",
        f"days in A/R {f.days_in_ar()}, net collection rate {f.net_collection_rate()}, "
        f"initial denial rate {f.initial_denial_rate()}, "
        f"clean claim rate {f.clean_claim_rate()}",
    ]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("directory", nargs="?", type=Path,
                        help="where to write the files (default: a temporary directory)")
    parser.add_argument("--patients", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=None,
                        help="patient partitions (default: two per worker)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        directory = args.directory or Path(scratch)
        files = write_population(directory, args.patients)
        print(f"{len(files.claims)} 837 files and {len(files.remittances)} 835 files "
              f"for {args.patients} patients")
        started = time.perf_counter()
        one = serial(files)
        serial_seconds = time.perf_counter() - started
        with cluster(args.workers) as local, client(local):
            started = time.perf_counter()
            many = distributed(files, args.partitions or 2 * args.workers)
            dask_seconds = time.perf_counter() - started
    print("serial:")
    for line in report(one):
        print("  " + line)
    print(f"dask ({args.workers} workers):")
    for line in report(many):
        print("  " + line)
    same = (report(one) == report(many) and one.figures == many.figures
            and one.ledger.balances() == many.ledger.balances())
    print(f"serial {serial_seconds:.2f} s, dask {dask_seconds:.2f} s")
    print("The distributed totals equal the serial ones, to the cent." if same
          else "The distributed totals DIFFER from the serial ones.")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
