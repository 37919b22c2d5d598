"""The ICD-10-CM tabular list's instructions, as values a coding check reads.

The tabular list tells the coder more than which codes exist (ICD-10-CM Official
Guidelines, section I.A): an **Excludes1** note says two conditions are never coded
together (I.A.12.a); **code first** at a manifestation and **use additional code** at an
etiology say a code needs its partner, etiology first (I.A.13); a **7th character** is
required where the tabular lists one, with the placeholder ``X`` filling the empty
positions before it (I.A.4, I.A.5). :class:`TabularInstructions` holds these notes as the
caller passes them (the ``icd10cm`` extra loads the FY2026 tabular:
:func:`claimcore.codes.icd10cm_data.load_icd10cm_tabular`); the checks themselves are
:func:`claimcore.coding.tabular_findings`, used by ``code_encounter`` and the scrub.

A note applies to the code it sits on and to every code below it (an Excludes1 note on
``E11`` applies to ``E11.9``); its references are the codes and ranges it names:

>>> note = TabularNote.parse("E11", NoteKind.EXCLUDES1, "type 1 diabetes mellitus (E10.-)")
>>> note.references
(CodeRange(first='E10', last='E10'),)
>>> note.applies_to(ICD10CM("E11.9")), note.refers_to(ICD10CM("E10.9"))
(True, True)
>>> TabularNote.parse("N18.6", NoteKind.USE_ADDITIONAL_CODE,
...                   "code to identify dialysis status (Z99.2)").references
(CodeRange(first='Z992', last='Z992'),)
>>> [str(r) for r in TabularNote.parse("I12", NoteKind.USE_ADDITIONAL_CODE,
...     "code to identify the stage of chronic kidney disease (N18.1-N18.4, N18.9)").references]
['N18.1-N18.4', 'N18.9']
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

import attrs

from claimcore._validate import instance, members, text, to_tuple
from claimcore.codes.icd10 import ICD10CM
from claimcore.errors import ValidationError

__all__ = [
    "CodeRange",
    "NoteKind",
    "SeventhCharacterRule",
    "TabularInstructions",
    "TabularNote",
]

_NO_CONTROL: Final = re.compile(r"[^\x00-\x1f\x7f]*")
_STORED: Final = re.compile(r"[A-Z][0-9A-Z]{2}[0-9A-Z]{0,4}")
# A code as a note writes it: E10, E10.-, P70.2, N18.1, F17.-, T36.0X1; a range joins
# two with a hyphen (O10-O11, N18.1-N18.6).
_CODE: Final = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4}|\.-)?"
_REFERENCE: Final = re.compile(rf"(?<![0-9A-Za-z])({_CODE})(?:-({_CODE}))?(?![0-9A-Za-z])")


_PARTIAL: Final = re.compile(r"\bwith \.[0-9A-Z]")
_CONDITIONAL: Final = re.compile(
    r"\bif (?:applicable|known|present|any|appropriate|desired|needed)\b", re.IGNORECASE)


def _stored(written: str) -> str:
    return written.replace(".-", "").replace(".", "")


@attrs.frozen
class CodeRange:
    """Codes from ``first`` to ``last`` (stored forms), each with every code below it.

    ``E10`` alone is ``E10``-``E10``: the category and all its codes (the tabular's
    ``E10.-``). ``N18.1``-``N18.6`` holds ``N18.1`` to ``N18.6`` and their children.
    """

    first: str
    last: str

    def __attrs_post_init__(self) -> None:
        for name in ("first", "last"):
            value = getattr(self, name)
            text(value, f"$.{name}", max_len=7, pattern=_STORED,
                 expected="a stored ICD-10-CM code (E119)", rule="code-range-format")
        if self.last[: len(self.first)] < self.first:
            raise ValidationError("must not come before $.first", path="$.last",
                                  rule="code-range-order")

    @classmethod
    def of(cls, written: str) -> CodeRange:
        """A range from a note's spelling: ``E10.-``, ``P70.2`` or ``N18.1-N18.6``."""
        first, _, last = written.partition("-") if "-" in written.replace(".-", "") else (
            written, "", "")
        return cls(_stored(first), _stored(last or first))

    def covers(self, code: ICD10CM | str) -> bool:
        """Whether ``code`` (or a stored form) is in the range or below a code in it."""
        key = code.code if isinstance(code, ICD10CM) else code
        return key[: len(self.first)] >= self.first and key[: len(self.last)] <= self.last

    def __str__(self) -> str:
        first, last = str(ICD10CM(self.first)), str(ICD10CM(self.last))
        return first if first == last else f"{first}-{last}"


class NoteKind(enum.StrEnum):
    """The tabular instructions claimcore checks (CMS tabular XML element in brackets)."""

    EXCLUDES1 = "excludes1"
    """``<excludes1>``: never coded together with the codes it names (I.A.12.a)."""
    CODE_FIRST = "code_first"
    """``<codeFirst>``: a manifestation; the etiology it names is coded, and first."""
    USE_ADDITIONAL_CODE = "use_additional_code"
    """``<useAdditionalCode>``: an etiology; a code it names goes with it, after it."""

    @property
    def label(self) -> str:
        """How the tabular prints it (``Excludes1``, ``Code first``, ``Use additional code``)."""
        return _LABELS[self]


_LABELS: Final[Mapping[NoteKind, str]] = MappingProxyType({
    NoteKind.EXCLUDES1: "Excludes1",
    NoteKind.CODE_FIRST: "Code first",
    NoteKind.USE_ADDITIONAL_CODE: "Use additional code",
})


def _ranges(value: Iterable[CodeRange]) -> tuple[CodeRange, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class TabularNote:
    """One instruction of the tabular: where it sits, what kind, its text, what it names.

    ``scope`` is the code (or block, or chapter) the note sits on; it applies to every
    code in the scope. ``references`` are the codes the text names; a note that names
    none (``code first any associated condition``) cannot be checked and is kept for
    reading only.
    """

    scope: CodeRange
    kind: NoteKind
    text: str
    references: tuple[CodeRange, ...] = attrs.field(converter=_ranges)

    def __attrs_post_init__(self) -> None:
        instance(self.scope, CodeRange, "$.scope")
        instance(self.kind, NoteKind, "$.kind")
        text(self.text, "$.text", max_len=2000, pattern=_NO_CONTROL,
             expected="text without control characters", rule="note-format")
        members(self.references, CodeRange, "$.references")

    @classmethod
    def parse(cls, scope: str, kind: NoteKind, note: str) -> TabularNote:
        """A note from its tabular text; the codes and ranges it names are read from it.

        ``scope`` is a code (``E11``, ``E11.9``), a block (``E08-E13``) or a range.
        """
        text(note, "$.text", max_len=4000, pattern=re.compile(r"[\s\S]+"))
        found = [CodeRange.of(m.group(0)) for m in _REFERENCE.finditer(note)]
        if _PARTIAL.search(note):  # "(E08-E13 with .42)": a range we cannot hold exactly
            found = []
        return cls(scope=CodeRange.of(scope), kind=kind, text=" ".join(note.split()),
                   references=tuple(dict.fromkeys(found)))

    @property
    def at(self) -> str:
        """Where the note sits, as the tabular prints it (``E11``, ``E08-E13``)."""
        return str(self.scope)

    @property
    def conditional(self) -> bool:
        """Whether the note says it applies only sometimes (``if applicable``, ``if known``).

        A check cannot know whether the condition holds, so it does not ask for the
        partner of a conditional note.
        """
        return _CONDITIONAL.search(self.text) is not None

    @property
    def checkable(self) -> bool:
        """Whether a check can hold the encounter to the note: it names codes and is not
        conditional."""
        return bool(self.references) and not self.conditional

    def applies_to(self, code: ICD10CM) -> bool:
        """Whether the note governs ``code`` (it sits on it or above it)."""
        return self.scope.covers(code)

    def refers_to(self, code: ICD10CM) -> bool:
        """Whether ``code`` is one the note names."""
        return any(r.covers(code) for r in self.references)


def _characters(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[
        tuple[str, str], ...]:
    pairs = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((str(k), str(v)) for k, v in pairs))


@attrs.frozen(kw_only=True)
class SeventhCharacterRule:
    """A ``<sevenChrDef>``: the codes of ``scope`` need a 7th character from ``characters``.

    ``characters`` pairs each allowed character with its meaning (``A``, ``initial
    encounter for closed fracture``); ``note`` is the tabular's ``<sevenChrNote>``.
    """

    scope: str
    characters: tuple[tuple[str, str], ...] = attrs.field(converter=_characters)
    note: str = ""

    def __attrs_post_init__(self) -> None:
        text(self.scope, "$.scope", max_len=6, pattern=_STORED,
             expected="a stored ICD-10-CM code (S72)", rule="code-format")
        if not self.characters:
            raise ValidationError("must list at least one character", path="$.characters",
                                  rule="seventh-character-empty")
        for i, (char, meaning) in enumerate(self.characters):
            text(char, f"$.characters[{i}][0]", max_len=1, pattern=re.compile("[0-9A-Z]"),
                 expected="one digit or uppercase letter", rule="seventh-character-format")
            text(meaning, f"$.characters[{i}][1]", max_len=500, pattern=_NO_CONTROL,
                 expected="text without control characters", rule="note-format")
        text(self.note, "$.note", max_len=2000, min_len=0, pattern=_NO_CONTROL,
             expected="text without control characters", rule="note-format")

    def allows(self, char: str) -> bool:
        """Whether ``char`` is one of the rule's 7th characters."""
        return any(c == char for c, _ in self.characters)

    def meaning(self, char: str) -> str | None:
        """What 7th character ``char`` means here, or ``None``."""
        return next((m for c, m in self.characters if c == char), None)


def _notes(value: Iterable[TabularNote]) -> tuple[TabularNote, ...]:
    return to_tuple(value)


def _rules(value: Iterable[SeventhCharacterRule]) -> tuple[SeventhCharacterRule, ...]:
    return to_tuple(value)


def _codes(value: Iterable[str]) -> frozenset[str]:
    return frozenset(ICD10CM(v).code if not isinstance(v, ICD10CM) else v.code for v in value)


@attrs.frozen(kw_only=True)
class TabularInstructions:
    """The instructions of one tabular release: notes, 7th-character rules, unspecified codes.

    ``unspecified`` holds the codes whose title says ``unspecified`` (stored forms): a
    coding check flags one when the encounter also carries a specific code beside it.
    Lookups walk a code's own prefixes (``E119``, ``E11``), so a note is found from any
    code below it in one hash per level.
    """

    name: str
    version: str
    notes: tuple[TabularNote, ...] = attrs.field(default=(), converter=_notes, repr=False)
    seventh_characters: tuple[SeventhCharacterRule, ...] = attrs.field(
        default=(), converter=_rules, repr=False)
    unspecified: frozenset[str] = attrs.field(default=frozenset(), converter=_codes,
                                              repr=False)
    _by_code: dict[str, tuple[TabularNote, ...]] = attrs.field(
        init=False, repr=False, eq=False, hash=False)
    _ranges: tuple[TabularNote, ...] = attrs.field(init=False, repr=False, eq=False,
                                                   hash=False)
    _seventh: dict[str, SeventhCharacterRule] = attrs.field(
        init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        text(self.name, "$.name", max_len=200)
        text(self.version, "$.version", max_len=50)
        members(self.notes, TabularNote, "$.notes")
        members(self.seventh_characters, SeventhCharacterRule, "$.seventh_characters")
        by_code: dict[str, list[TabularNote]] = {}
        ranges: list[TabularNote] = []
        for note in self.notes:
            if note.scope.first == note.scope.last:
                by_code.setdefault(note.scope.first, []).append(note)
            else:  # blocks and chapters: a few hundred, scanned
                ranges.append(note)
        seventh: dict[str, SeventhCharacterRule] = {}
        for i, rule in enumerate(self.seventh_characters):
            if rule.scope in seventh:
                raise ValidationError(f"two 7th-character rules for {ICD10CM(rule.scope)}",
                                      path=f"$.seventh_characters[{i}]",
                                      rule="seventh-character-duplicate")
            seventh[rule.scope] = rule
        object.__setattr__(self, "_by_code", {k: tuple(v) for k, v in by_code.items()})
        object.__setattr__(self, "_ranges", tuple(ranges))
        object.__setattr__(self, "_seventh", seventh)

    def __repr__(self) -> str:
        return (f"TabularInstructions(name={self.name!r}, version={self.version!r}, "
                f"notes={len(self.notes)}, seventh_characters={len(self.seventh_characters)})")

    def notes_for(self, code: ICD10CM, kind: NoteKind | None = None) -> tuple[TabularNote, ...]:
        """The notes that govern ``code``, nearest first (its own, its parents', its block's)."""
        instance(code, ICD10CM, "$.code")
        key = code.code
        found: list[TabularNote] = []
        for end in range(len(key), 2, -1):
            found.extend(self._by_code.get(key[:end], ()))
        found.extend(n for n in self._ranges if n.scope.covers(key))
        return tuple(n for n in found if kind is None or n.kind is kind)

    def seventh_character(self, code: ICD10CM) -> SeventhCharacterRule | None:
        """The 7th-character rule that governs ``code`` (the nearest above it), if any."""
        instance(code, ICD10CM, "$.code")
        key = code.code[:6]
        for end in range(min(len(key), 6), 2, -1):
            rule = self._seventh.get(key[:end])
            if rule is not None:
                return rule
        return None

    def is_unspecified(self, code: ICD10CM) -> bool:
        """Whether the tabular titles ``code`` as unspecified."""
        return code.code in self.unspecified
