"""A number key for each way a call can end: the same keys wherever an outcome is asked."""

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from callassist.vocabulary import Channel, Outcome
from callassist.wording import OUTCOME_WORDS

CALL_OUTCOMES: tuple[Outcome, ...] = tuple(
    outcome for outcome in Outcome if outcome.channel is Channel.CALL
)
"""The outcomes a call can have, in key order (1 = connected ... 7 = bad number)."""

BUTTONS_PER_ROW = 4


@dataclass(frozen=True, slots=True)
class OutcomeKeys:
    """A button and a number key for each call outcome, laid out in a grid."""

    grid: QGridLayout
    buttons: dict[Outcome, QPushButton]
    actions: list[QAction]


def outcome_keys(
    owner: QWidget, pick: Callable[[Outcome], None], *, name_prefix: str, action_text: str
) -> OutcomeKeys:
    """Buttons "1  Connected" ... "7  Bad number" and their keys, added to ``owner``.

    The same numbers wherever a call's outcome is asked (the outcome bar, the
    day's review), so the rep's fingers already know them. A key works only
    while ``owner`` has the focus: digits typed elsewhere stay digits.
    """
    grid = QGridLayout()
    buttons: dict[Outcome, QPushButton] = {}
    actions: list[QAction] = []
    for number, outcome in enumerate(CALL_OUTCOMES, start=1):
        label = OUTCOME_WORDS[outcome]
        # No "&" mnemonic: Alt+digit belongs to the time check's quick minutes.
        button = QPushButton(f"{number}  {label}")
        button.setObjectName(f"{name_prefix}{outcome.value}")
        button.setAccessibleName(label)
        button.setToolTip(f"{label} (key {number})")
        button.clicked.connect(lambda _=False, chosen=outcome: pick(chosen))
        grid.addWidget(button, (number - 1) // BUTTONS_PER_ROW, (number - 1) % BUTTONS_PER_ROW)
        buttons[outcome] = button
        action = QAction(f"{action_text}{label}", owner)
        action.setShortcut(QKeySequence(str(number)))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _=False, chosen=outcome: pick(chosen))
        owner.addAction(action)
        actions.append(action)
    return OutcomeKeys(grid, buttons, actions)
