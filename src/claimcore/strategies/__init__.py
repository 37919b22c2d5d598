"""Public Hypothesis strategies for every claimcore value, and for whole revenue cycles.

Install with ``pip install claimcore[hypothesis]``. The strategies produce only valid
values. Once claimcore is installed, Hypothesis loads :func:`_hypothesis_setup_hook`
through its ``hypothesis`` entry point, so ``st.from_type(Money)`` (and every other
public type) works in your own test suite without importing this module.

>>> from hypothesis import given
>>> from claimcore.strategies import money
>>> @given(money())
... def test_money_is_whole_cents(m): assert m.amount == m.amount.quantize(Decimal("0.01"))
"""

from __future__ import annotations

from decimal import Decimal  # noqa: F401  (used by the doctest above)

from claimcore.strategies._adjudication import *  # noqa: F403
from claimcore.strategies._adjudication import __all__ as _adjudication_all
from claimcore.strategies._claims import *  # noqa: F403
from claimcore.strategies._claims import __all__ as _claims_all
from claimcore.strategies._codes import *  # noqa: F403
from claimcore.strategies._codes import __all__ as _codes_all
from claimcore.strategies._core import *  # noqa: F403
from claimcore.strategies._core import __all__ as _core_all
from claimcore.strategies._coverage import *  # noqa: F403
from claimcore.strategies._coverage import __all__ as _coverage_all
from claimcore.strategies._cycle import *  # noqa: F403
from claimcore.strategies._cycle import __all__ as _cycle_all
from claimcore.strategies._fhir import *  # noqa: F403
from claimcore.strategies._fhir import __all__ as _fhir_all
from claimcore.strategies._front import *  # noqa: F403
from claimcore.strategies._front import __all__ as _front_all
from claimcore.strategies._ledger import *  # noqa: F403
from claimcore.strategies._ledger import __all__ as _ledger_all
from claimcore.strategies._x12 import *  # noqa: F403
from claimcore.strategies._x12 import __all__ as _x12_all
from claimcore.strategies._x12_277 import *  # noqa: F403
from claimcore.strategies._x12_277 import __all__ as _x12_277_all
from claimcore.strategies._x12_in import *  # noqa: F403
from claimcore.strategies._x12_in import __all__ as _x12_in_all
from claimcore.strategies._x12_stream import *  # noqa: F403
from claimcore.strategies._x12_stream import __all__ as _x12_stream_all

__all__ = [
    *_core_all, *_front_all, *_coverage_all, *_codes_all, *_claims_all, *_ledger_all,
    *_cycle_all, *_x12_all, *_x12_277_all, *_x12_in_all, *_x12_stream_all, *_fhir_all,
    *_adjudication_all,
]

_MODULES: tuple[str, ...] = (
    "_core", "_front", "_coverage", "_codes", "_claims", "_ledger", "_cycle", "_x12",
    "_x12_277", "_x12_in", "_x12_stream", "_fhir", "_adjudication",
)



def _register_all() -> None:
    """Register a strategy for every public claimcore type with ``st.from_type``."""
    import importlib

    for name in _MODULES:
        importlib.import_module(f"claimcore.strategies.{name}")._register()


_register_all()
