"""The call timer's time: a monotonic "now", and a tick each second while a call runs.

Monotonic, not the desk's clock, so a clock change mid-call cannot bend the
elapsed time. Injectable: a test hands the call panel a clock it moves on by
hand, and each move ticks at once instead of waiting on a real second.
"""

import time

from PySide6.QtCore import QObject, QTimer, Signal

from callassist.clock import Monotonic

TICK_MS = 1000


class CallClock(QObject):
    """Seconds from ``monotonic`` and a ``ticked`` signal once a second between start and stop."""

    ticked = Signal()

    def __init__(
        self, parent: QObject | None = None, monotonic: Monotonic = time.monotonic
    ) -> None:
        super().__init__(parent)
        self._monotonic = monotonic
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.ticked)

    def now(self) -> float:
        return self._monotonic()

    def start(self) -> None:
        self._tick.start()

    def stop(self) -> None:
        self._tick.stop()
