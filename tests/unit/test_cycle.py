"""The patient account: its derived stage, its balances, and closing settled claims."""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
import pytest

from claimcore.charges import Charge
from claimcore.claims import ClaimStatus, EditContext, acknowledge, mark_ready, scrub, submit, void
from claimcore.codes import CPT, ICD10CM, ClaimStatusCode, PlaceOfService
from claimcore.coding import CodedEncounter, Diagnosis
from claimcore.cycle import (
    END_STAGES,
    AccountStage,
    PatientAccount,
    account_balances,
    claim_settled,
    close_settled_claims,
)
from claimcore.eligibility import (
    BenefitInfo,
    BenefitRow,
    EligibilityInquiry,
    EligibilityResponse,
    verify,
)
from claimcore.encounters import (
    DischargeDisposition,
    EncounterClass,
    discharge,
    plan_encounter,
    start,
)
from claimcore.errors import ValidationError
from claimcore.ids import MedicalRecordNumber, PayerClaimNumber
from claimcore.ledger import Ledger, WriteOffReason
from claimcore.periods import Period
from claimcore.posting import (
    post_patient_payment,
    post_remittance,
    refund_credit,
    secondary_claim,
    send_to_collections,
    write_off,
)
from tests.unit.test_posting import (
    BEACON,
    DOS,
    MRN,
    PATIENT,
    PRIMARY,
    SECONDARY,
    acme_payment,
    adj,
    charged,
    make_claim,
    payment,
    remittance,
    svc,
    usd,
)

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
COVERAGES = {MRN: (PRIMARY, SECONDARY)}


def test_the_stage_follows_the_account_from_registration_to_paid_in_full() -> None:
    """Each step's result moves the derived stage one place on, to paid in full."""
    account = PatientAccount(patient=PATIENT, coverages=(PRIMARY, SECONDARY))
    seen = [account.stage]
    response = EligibilityResponse(plan_period=Period(date(2026, 1, 1), date(2026, 12, 31)),
                                   benefits=[BenefitRow(info=BenefitInfo.ACTIVE_COVERAGE)])
    checked = verify(EligibilityInquiry(coverage=PRIMARY, service_on=DOS), response, on=DOS)
    account = attrs.evolve(account, verifications=(checked,))
    seen.append(account.stage)
    visit = start(plan_encounter(id="ENC-1", patient=MRN,
                                 encounter_class=EncounterClass.AMBULATORY,
                                 place_of_service=PlaceOfService("11")), at=AT)
    account = attrs.evolve(account, encounters=(visit,))
    seen.append(account.stage)
    visit = discharge(visit, at=AT.replace(hour=10), disposition=DischargeDisposition.HOME)
    account = attrs.evolve(account, encounters=(visit,))
    seen.append(account.stage)
    coded = CodedEncounter(encounter=visit, diagnoses=[Diagnosis(code=ICD10CM("E11.9"),
                                                                 sequence=1)])
    account = attrs.evolve(account, coded=(coded,))
    seen.append(account.stage)
    charge = Charge(id="ENC-1-1", code=CPT("99214"), unit_price=usd("175.00"),
                    service_date=DOS, entered_on=DOS)
    account = attrs.evolve(account, charges=(charge,))
    seen.append(account.stage)
    claim = make_claim()
    account = attrs.evolve(account, claims=(claim,), ledger=charged(claim))
    seen.append(account.stage)
    first = post_remittance(account.ledger, account.claims, remittance([acme_payment()]),
                            coverages=COVERAGES)
    account = attrs.evolve(account, claims=first.claims, ledger=first.ledger)
    seen.append(account.stage)
    second = secondary_claim(first.claims[0], acme_payment(), SECONDARY, at=AT.replace(day=20))
    second = acknowledge(submit(mark_ready(
        second, scrub(second, context=EditContext(as_of=date(2026, 3, 20))),
        at=AT.replace(day=20)), at=AT.replace(day=20)), at=AT.replace(day=20))
    sent = payment([], status=ClaimStatusCode.PROCESSED_AS_SECONDARY, charge="235.00",
                   adjustments=[adj("OA", "23", "157.00"), adj("PR", "2", "60.00")])
    last = post_remittance(account.ledger, (first.claims[0], second),
                           remittance([sent], payer=BEACON, trace="B1",
                                      paid_on=date(2026, 4, 2)),
                           coverages=COVERAGES)
    account = attrs.evolve(account, claims=last.claims, ledger=last.ledger)
    seen.append(account.stage)
    paid = post_patient_payment(account.ledger, patient=MRN, amount=usd("60.00"),
                                on=date(2026, 4, 20), reference="P-1")
    account = attrs.evolve(account, ledger=paid)
    seen.append(account.stage)

    assert seen == [
        AccountStage.REGISTERED, AccountStage.VERIFIED, AccountStage.ADMITTED,
        AccountStage.DISCHARGED, AccountStage.CODED, AccountStage.CHARGED,
        AccountStage.BILLED, AccountStage.ADJUDICATED, AccountStage.PATIENT_BILLED,
        AccountStage.PAID_IN_FULL,
    ]
    closed = close_settled_claims(account.claims, account.ledger, at=AT.replace(month=4, day=21))
    assert [c.status for c in closed] == [ClaimStatus.CLOSED, ClaimStatus.CLOSED]
    assert attrs.evolve(account, claims=closed).stage is AccountStage.PAID_IN_FULL


def patient_billed() -> PatientAccount:
    """A primary-only account with 78.00 left to the patient."""
    claim = make_claim()
    result = post_remittance(charged(claim), [claim], remittance([acme_payment()]))
    return PatientAccount(patient=PATIENT, coverages=(PRIMARY,), claims=result.claims,
                          ledger=result.ledger)


def test_a_charity_write_off_ends_the_account_as_written_off() -> None:
    """The 78.00 forgiven as charity care: receivables zero, stage written off."""
    account = patient_billed()
    assert account.stage is AccountStage.PATIENT_BILLED
    ledger = write_off(account.ledger, patient=MRN, encounter="ENC-1",
                       reason=WriteOffReason.CHARITY, on=date(2026, 4, 1), reference="CH-1")

    assert attrs.evolve(account, ledger=ledger).stage is AccountStage.WRITTEN_OFF


def test_a_hand_off_to_collections_ends_the_account_in_collections() -> None:
    """The 78.00 placed with an agency (bad debt): stage in collections."""
    account = patient_billed()
    ledger = send_to_collections(account.ledger, patient=MRN, on=date(2026, 9, 1),
                                 reference="COL-1")

    assert attrs.evolve(account, ledger=ledger).stage is AccountStage.IN_COLLECTIONS


def test_a_small_balance_write_off_still_ends_paid_in_full() -> None:
    """Courtesy write-offs (small balance) do not stop an account being paid in full."""
    account = patient_billed()
    ledger = post_patient_payment(account.ledger, patient=MRN, amount=usd("77.50"),
                                  on=date(2026, 4, 1), reference="P-2")
    ledger = write_off(ledger, patient=MRN, encounter="ENC-1",
                       reason=WriteOffReason.SMALL_BALANCE, on=date(2026, 4, 2),
                       reference="SB-1")

    assert attrs.evolve(account, ledger=ledger).stage is AccountStage.PAID_IN_FULL


def test_credit_held_for_the_patient_keeps_the_account_open() -> None:
    """Overpaid by 10.00: not paid in full until the credit is refunded."""
    account = patient_billed()
    ledger = post_patient_payment(account.ledger, patient=MRN, amount=usd("88.00"),
                                  on=date(2026, 4, 1), reference="P-3")
    over = attrs.evolve(account, ledger=ledger)
    assert over.stage is AccountStage.PATIENT_BILLED
    assert over.balances.credit == usd("10.00")
    refunded = refund_credit(ledger, patient=MRN, on=date(2026, 4, 2), reference="RF-1")

    assert attrs.evolve(account, ledger=refunded).stage is AccountStage.PAID_IN_FULL


def test_a_held_denial_keeps_the_claim_unsettled() -> None:
    """A denied claim with its balance held open is adjudicated but not settled."""
    claim = make_claim()
    denied = payment([svc("99214", "175.00", "0.00", adj("CO", "50", "175.00")),
                      svc("80053", "60.00", "0.00", adj("CO", "50", "60.00"))])
    result = post_remittance(charged(claim), [claim], remittance([denied]))
    account = PatientAccount(patient=PATIENT, claims=result.claims, ledger=result.ledger)

    assert not claim_settled(result.claims[0], result.ledger)
    assert account.stage is AccountStage.ADJUDICATED
    assert close_settled_claims(result.claims, result.ledger, at=AT.replace(month=4)) == (
        result.claims)


def test_voided_and_unsent_claims() -> None:
    """A voided claim counts as settled; a submitted one is billed, not settled."""
    claim = make_claim(status=ClaimStatus.SUBMITTED)
    ledger = charged(claim)
    assert not claim_settled(claim, ledger)
    assert PatientAccount(patient=PATIENT, claims=(claim,), ledger=ledger).stage is (
        AccountStage.BILLED)
    voided, _ = void(claim, at=AT.replace(day=4),
                     original_claim_number=PayerClaimNumber("ICN2603040001"))
    assert claim_settled(voided, ledger)
    draft = make_claim(status=ClaimStatus.DRAFT)
    assert PatientAccount(patient=PATIENT, claims=(draft,)).stage is AccountStage.CHARGED


def test_balances_account_for_every_cent() -> None:
    """charges = payer paid + patient paid + adjusted + written off + outstanding."""
    account = patient_billed()
    ledger = post_patient_payment(account.ledger, patient=MRN, amount=usd("30.00"),
                                  on=date(2026, 4, 1), reference="P-4")
    money = account_balances(ledger, MRN)

    assert (money.charges, money.payer_paid, money.patient_paid, money.adjusted,
            money.written_off, money.payers_owe, money.patient_owes, money.credit) == (
        usd("235.00"), usd("112.00"), usd("30.00"), usd("45.00"), usd("0.00"),
        usd("0.00"), usd("48.00"), usd("0.00"))
    assert money.charges == (money.payer_paid + money.patient_paid + money.adjusted
                             + money.written_off + money.outstanding)
    assert not money.settled
    assert account_balances(ledger, MedicalRecordNumber("OTHER1")).charges == usd("0.00")


def test_the_account_refuses_other_patients_and_hides_phi() -> None:
    """An encounter of another patient is refused; repr shows the masked MRN only."""
    other = plan_encounter(id="ENC-X", patient=MedicalRecordNumber("OTHER1"),
                           encounter_class=EncounterClass.AMBULATORY,
                           place_of_service=PlaceOfService("11"))
    with pytest.raises(ValidationError) as err:
        PatientAccount(patient=PATIENT, encounters=(other,))
    assert err.value.path == "$.encounters[0].patient"
    text = repr(patient_billed())
    assert "***7311" in text and "Reyes" not in text and "MRN00077311" not in text
    assert "stage=patient_billed" in text
    assert {AccountStage.PAID_IN_FULL, AccountStage.WRITTEN_OFF,
                          AccountStage.IN_COLLECTIONS} == END_STAGES
    assert PatientAccount(patient=PATIENT).ledger == Ledger()


def test_collections_with_a_payer_still_owing_is_in_collections() -> None:
    """Bad debt placed while a claim's payer part is settled but credit remains open."""
    account = patient_billed()
    ledger = send_to_collections(account.ledger, patient=MRN, on=date(2026, 9, 1),
                                 reference="COL-2")
    ledger = post_patient_payment(ledger, patient=MRN, amount=usd("5.00"),
                                  on=date(2026, 9, 5), reference="AG-1")

    assert attrs.evolve(account, ledger=ledger).stage is AccountStage.IN_COLLECTIONS
