"""Strategies for the payer in a box: payer rules that behave like a payer's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Final

import attrs
from hypothesis import strategies as st

from claimcore.adjudication import (
    Accumulators,
    Adjudicated,
    BenefitMaximum,
    CarveOut,
    Contract,
    MaximumUse,
    MultipleProcedureReduction,
    PayerRules,
    ServiceTypeRule,
    adjudicate,
)
from claimcore.charges import FeePrice, FeeSchedule
from claimcore.claims import (
    MueEntry,
    MueIndicator,
    MueTable,
    NcciEdit,
    NcciModifierIndicator,
    NcciTable,
)
from claimcore.codes import CPT
from claimcore.coverage import Accumulator, Copay, NetworkBenefits, Payer, TimelyFiling
from claimcore.money import Money, Rate
from claimcore.periods import Period
from claimcore.posting import CobMethod
from claimcore.strategies._claims import claims
from claimcore.strategies._coverage import payers

__all__ = ["payer_rules"]

#: The codes the revenue-cycle strategies bill (visits, a panel, a blood count, an ECG,
#: a venipuncture); rules drawn here price and edit these.
CYCLE_CODES: Final = ("99212", "99213", "99214", "80053", "85025", "93000", "36415")
_VISITS: Final = frozenset({"99212", "99213", "99214"})
_SINCE: Final = date(2020, 1, 1)


def _cents(low: int, high: int) -> st.SearchStrategy[Money]:
    return st.integers(low, high).map(Money.from_cents)


def _rate(low: int, high: int) -> st.SearchStrategy[Rate]:
    return st.integers(low, high).map(Rate.percent)


@st.composite
def _accumulator(draw: st.DrawFn, high: int) -> Accumulator:
    limit = draw(st.integers(0, high))
    met = draw(st.integers(0, limit))
    return Accumulator(limit=Money.from_cents(limit), met=Money.from_cents(met))


@st.composite
def _benefits(draw: st.DrawFn, codes: Sequence[CPT]) -> NetworkBenefits:
    own = draw(st.none() | _accumulator(300_000))
    family = None
    if own is not None and draw(st.booleans()):
        extra = draw(st.integers(0, 300_000))
        family = Accumulator(limit=own.limit + Money.from_cents(extra),
                             met=own.met + Money.from_cents(draw(st.integers(0, extra))))
    cap = draw(st.none() | _accumulator(800_000))
    copays = []
    if any(c.code in _VISITS for c in codes) and draw(st.booleans()):
        copays.append(Copay(service_type="98", amount=draw(_cents(500, 5_000))))
    return NetworkBenefits(
        individual_deductible=own, family_deductible=family,
        individual_out_of_pocket=cap, coinsurance=draw(_rate(0, 50)), copays=copays,
    )


def _subset(codes: Sequence[CPT], most: int) -> st.SearchStrategy[frozenset[CPT]]:
    return st.lists(st.sampled_from(list(codes)), max_size=most, unique=True).map(frozenset)


@st.composite
def _payer_rules(draw: st.DrawFn, payer: Payer | None, code_list: tuple[str, ...],
                 strict: bool) -> PayerRules:
    codes = [CPT(c) for c in code_list]
    who = payer if payer is not None else draw(payers())
    listed = draw(st.lists(st.sampled_from(codes), unique=True, max_size=len(codes)))
    schedule = FeeSchedule(
        name="contract", effective=Period(_SINCE),
        prices=[FeePrice(code=c, modifier=None, price=draw(_cents(500, 40_000)))
                for c in listed],
    ) if listed else None
    percent = draw(st.none() | _rate(30, 100))
    if schedule is None and percent is None:
        percent = Rate.percent(70)
    carve = draw(st.none() | st.sampled_from(codes))
    contract = Contract(
        fee_schedule=schedule, percent_of_charge=percent,
        carve_outs=[] if carve is None else [
            draw(st.builds(CarveOut, code=st.just(carve), price=_cents(100, 10_000))
                 | st.builds(CarveOut, code=st.just(carve), rate=_rate(10, 100)))],
        multiple_procedure=draw(st.none() | st.builds(
            MultipleProcedureReduction, codes=_subset(codes, 3), rate=_rate(25, 75))),
    )
    benefits = draw(_benefits(codes))
    ncci = mue = None
    maximums: list[BenefitMaximum] = []
    non_covered: frozenset[CPT] = frozenset()
    needs_auth: frozenset[CPT] = frozenset()
    period = Period(_SINCE)
    if strict:
        if draw(st.booleans()):
            first, second = draw(st.lists(st.sampled_from(codes), min_size=2, max_size=2,
                                          unique=True))
            ncci = NcciTable(edits=[NcciEdit(
                column1=first, column2=second, effective=Period(_SINCE),
                modifier_indicator=draw(st.sampled_from(NcciModifierIndicator)))])
        if draw(st.booleans()):
            mue = MueTable(entries=[MueEntry(
                code=c, max_units=draw(st.integers(0, 2)), effective=Period(_SINCE),
                adjudication_indicator=draw(st.sampled_from(MueIndicator)))
                for c in draw(_subset(codes, 2))])
        if draw(st.booleans()):
            maximums.append(BenefitMaximum(name="visits", codes=draw(_subset(codes, 3)),
                                           units=draw(st.integers(0, 3))))
        non_covered = draw(_subset(codes, 1))
        needs_auth = draw(_subset(codes, 1))
        period = draw(st.sampled_from((
            Period(_SINCE), Period(_SINCE), Period(date(2026, 2, 1)),
            Period(_SINCE, date(2026, 1, 20)),
        )))
    visits = [c for c in codes if c.code in _VISITS]
    return PayerRules(
        payer=who, contract=contract, benefits=benefits, coverage_period=period,
        ncci=ncci, mue=mue, maximums=maximums, non_covered=non_covered,
        authorization_required=needs_auth,
        service_types=[ServiceTypeRule(codes=visits, service_type="98")] if visits else [],
        cob=draw(st.sampled_from(CobMethod)),
    )


def payer_rules(
    payer: Payer | None = None,
    *,
    codes: Sequence[str] = CYCLE_CODES,
    edits: bool = True,
) -> st.SearchStrategy[PayerRules]:
    """Rules of a payer (``payer``, or one drawn) that prices and edits ``codes``.

    The contract is a fee schedule over some of the codes, often with a percent of
    charge for the rest, sometimes a carve-out and a multiple-procedure reduction; the
    member's benefits have a deductible (sometimes a family one), coinsurance, an
    out-of-pocket cap and an office-visit copay, partly met; the COB method is any.
    With ``edits`` the payer also applies an NCCI pair, MUE limits, a benefit maximum,
    a non-covered code, a code needing authorization and a coverage period that may
    start or end in early 2026, so some lines come back denied.
    """
    return _payer_rules(payer, tuple(codes), edits)


@st.composite
def _adjudicated(draw: st.DrawFn) -> Adjudicated:
    claim = draw(claims())
    rules = draw(payer_rules(claim.coverage.payer))
    return adjudicate(claim, rules, on=date(2026, 6, 1))


def _register() -> None:
    codes = st.lists(st.sampled_from([CPT(c) for c in CYCLE_CODES]), max_size=3).map(
        frozenset)
    st.register_type_strategy(PayerRules, payer_rules())
    st.register_type_strategy(Adjudicated, _adjudicated())
    st.register_type_strategy(Contract, payer_rules().map(lambda r: r.contract))
    st.register_type_strategy(CarveOut, st.builds(
        CarveOut, code=st.sampled_from([CPT(c) for c in CYCLE_CODES]),
        price=_cents(100, 10_000)))
    st.register_type_strategy(MultipleProcedureReduction, st.builds(
        MultipleProcedureReduction, codes=codes, rate=_rate(25, 75)))
    st.register_type_strategy(BenefitMaximum, st.builds(
        BenefitMaximum, name=st.sampled_from(("visits", "therapy")), codes=codes,
        units=st.integers(0, 30)))
    st.register_type_strategy(ServiceTypeRule, st.builds(
        ServiceTypeRule, codes=codes, service_type=st.sampled_from(("98", "30", "MH"))))
    st.register_type_strategy(MaximumUse, st.builds(
        MaximumUse, st.sampled_from(("visits", "therapy")),
        st.integers(0, 30).map(Decimal)))
    st.register_type_strategy(
        Accumulators,
        st.builds(Accumulators, deductible=_cents(0, 10_000),
                  family_deductible=_cents(0, 10_000), out_of_pocket=_cents(0, 10_000),
                  family_out_of_pocket=_cents(0, 10_000)),
    )


def lenient(rules: PayerRules) -> PayerRules:
    """``rules`` with every edit lifted and every code priced: how the payer decides a
    claim on appeal, or when it corrects a payment (the generated cycles use it)."""
    contract = rules.contract
    if contract.percent_of_charge is None:
        contract = attrs.evolve(contract, percent_of_charge=Rate.percent(70))
    return attrs.evolve(
        rules, payer=attrs.evolve(rules.payer, timely_filing=TimelyFiling(days=3660)),
        contract=contract, coverage_period=Period(date(1900, 1, 1)), ncci=None, mue=None,
        maximums=(), non_covered=frozenset(), authorization_required=frozenset(),
    )
