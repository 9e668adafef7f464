"""Amounts in a receipt's lines: exact, as the valuation keeps them (to 10 places), never rounded there.

A receipt's last line (``Valuation.explain``) gives every figure as shown, each rounded once; the lines
before it show the exact intermediate figures, so that no line contradicts the shown one:

    f"App store: {store.cite()} × what the viewer paid {equals_exact(gross * store.value)}"
"""

from __future__ import annotations

from livemoney.core.money import Money, exact_text


def exact_amount(money: Money) -> str:
    """``money`` exact for a receipt line, without needless zeros yet to the minor unit: ``0.0049 USD``."""
    return f"{exact_text(money.exact())} {money.currency}"


def equals_exact(money: Money) -> str:
    """``= 0.0049 USD``: the result of a receipt line's sum, exact."""
    return f"= {exact_amount(money)}"
