"""Finding codes by words: the stemmer, the abbreviation table and the word index.

:meth:`claimcore.codes.CodeSet.search` uses these. Words are lower-cased, split at
anything that is not a letter or a digit, and cut to a stem by a small suffix stripper
(``diabetes`` and ``diabetic`` both become ``diabet``), the same way for the query and for
the descriptions, so a crude stem is enough: it only has to be the same on both sides.

>>> words("Type 2 diabetes mellitus, without complications")
('typ', '2', 'diabet', 'mellitus', 'without', 'complic')
>>> ABBREVIATIONS["htn"]
'hypertension'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs

from claimcore._validate import an_int, instance, text, to_tuple
from claimcore.codes._base import Code

__all__ = ["ABBREVIATIONS", "SearchHit", "words"]

ABBREVIATIONS: Final[Mapping[str, str]] = MappingProxyType({
    "afib": "atrial fibrillation",
    "adhd": "attention-deficit hyperactivity disorder",
    "bph": "benign prostatic hyperplasia",
    "cad": "coronary artery disease",
    "chf": "congestive heart failure",
    "ckd": "chronic kidney disease",
    "copd": "chronic obstructive pulmonary disease",
    "cva": "cerebral infarction",
    "dm": "diabetes mellitus",
    "dm1": "type 1 diabetes mellitus",
    "dm2": "type 2 diabetes mellitus",
    "dvt": "deep vein thrombosis",
    "esrd": "end stage renal disease",
    "gerd": "gastro-esophageal reflux disease",
    "hld": "hyperlipidemia",
    "htn": "hypertension",
    "mi": "myocardial infarction",
    "oa": "osteoarthritis",
    "osa": "obstructive sleep apnea",
    "ra": "rheumatoid arthritis",
    "t1dm": "type 1 diabetes mellitus",
    "t2dm": "type 2 diabetes mellitus",
    "tia": "transient cerebral ischemic attack",
    "uri": "upper respiratory infection",
    "uti": "urinary tract infection",
})
"""Common clinical abbreviations a query may use, each read as the words ICD-10-CM uses
(``htn`` as ``hypertension``, ``dm2`` as ``type 2 diabetes mellitus``). A small table of
our own; pass ``abbreviations=`` to :meth:`~claimcore.codes.CodeSet.search` to use yours."""

_SPLIT: Final = re.compile(r"[^0-9a-z]+")
# Longest first; each stripped once. Crude on purpose: it only has to cut the query and
# the descriptions the same way.
_SUFFIXES: Final = (
    "ational", "ically", "ations", "ation", "ities", "ating", "ments", "ness", "ment",
    "ings", "ions", "ives", "ious", "ated", "ical", "ancy", "ency", "ity", "ing", "ion",
    "ive", "ous", "ary", "ant", "ent", "ics", "ied", "al", "ic", "ed", "es", "ly", "s",
    "e",
)
_KEEP_S: Final = ("ss", "us", "is")
_MIN_STEM: Final = 3


def stem(word: str) -> str:
    """The stem of one lower-case word (``complications`` -> ``complic``)."""
    if word.isdigit() or len(word) <= _MIN_STEM:
        return word
    if word.endswith(_KEEP_S):
        return word
    if word.endswith("ies") and len(word) > _MIN_STEM + 2:
        return word[:-3] + "y"  # bodies -> body, as body itself
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def words(phrase: str, memo: dict[str, str] | None = None) -> tuple[str, ...]:
    """The distinct stems of ``phrase``, in order of first appearance.

    ``memo`` (word to stem) saves stemming a word twice when many phrases are read.
    """
    seen: dict[str, None] = {}
    for word in _SPLIT.split(phrase.lower()):
        if not word:
            continue
        if memo is None:
            seen.setdefault(stem(word), None)
            continue
        one = memo.get(word)
        if one is None:
            one = memo[word] = stem(word)
        seen.setdefault(one, None)
    return tuple(seen)


UNSPECIFIC: Final = frozenset(words(
    "unspecified not otherwise specified elsewhere classified site nos without other of "
    "and or the"
))
"""Stems that add no specificity to a description (``unspecified``, ``NOS``, ``other``,
``without``...): search ranks a code by how many of its other words it has, so that
``Headache, unspecified`` comes before ``Vascular headache, not elsewhere classified``."""


def _strs(value: object) -> tuple[str, ...]:
    return to_tuple(value)  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class SearchHit:
    """One answer of :meth:`~claimcore.codes.CodeSet.search`: a code and why it matched.

    ``matched`` holds the query's words (as written, abbreviations as read) found in the
    code's description or inclusion terms, ``of`` how many words the query had, ``source``
    the text they were found in (the description, or the inclusion term that matched
    more), ``billable`` whether the code may go on a claim, and ``why`` says it in words.
    """

    code: Code
    description: str
    billable: bool
    matched: tuple[str, ...] = attrs.field(converter=_strs)
    of: int
    source: str

    def __attrs_post_init__(self) -> None:
        instance(self.code, Code, "$.code")
        text(self.description, "$.description", max_len=500)
        an_int(self.of, "$.of", low=1)
        text(self.source, "$.source", max_len=500)

    @property
    def score(self) -> int:
        """How many of the query's words matched."""
        return len(self.matched)

    @property
    def why(self) -> str:
        """Why the code matched, in words."""
        where = ("its description" if self.source == self.description
                 else f"its inclusion term {self.source!r}")
        found = ", ".join(self.matched)
        return f"{self.score} of {self.of} words ({found}) in {where}"
