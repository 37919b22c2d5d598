"""What the coverage modules share: the free-text rule for names, and the zero amount."""

from __future__ import annotations

import re
from typing import Final

from claimcore.money import Money

FREE_TEXT: Final = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")
FREE_TEXT_EXPECTED: Final = "printable ASCII without leading or trailing spaces"
ZERO: Final = Money.zero()
