"""The four verdicts a claim can get: their names, defined once for every layer.

=================================  ===========================================================
verdict                            meaning
=================================  ===========================================================
``reproduced``                     the stated method (conventional defaults where the paper is
                                   silent) gives a value that prints as reported
``reproduced_under_alternative``   the stated method does not; the smallest departure that
                                   does is named
``not_reproduced``                 no specification in the declared space does; the nearest
                                   value, its distance and its specification are given
``not_checkable``                  the table cannot speak to the claim (``quantity: null``)
=================================  ===========================================================

This module imports nothing, so the command line lists the verdicts without loading the
verification. How verdicts are shown (labels, colours) is the presentation layer's
(``presentation/_verdict_style.py``).
"""

from __future__ import annotations

import enum

__all__ = ["Verdict"]


class Verdict(str, enum.Enum):
    """The four verdicts; the value is the string used in reports and JSON.

    Examples
    --------
    >>> [v.value for v in Verdict][:2]
    ['reproduced', 'reproduced_under_alternative']
    """

    REPRODUCED = "reproduced"
    REPRODUCED_UNDER_ALTERNATIVE = "reproduced_under_alternative"
    NOT_REPRODUCED = "not_reproduced"
    NOT_CHECKABLE = "not_checkable"

    def __str__(self) -> str:
        return self.value
