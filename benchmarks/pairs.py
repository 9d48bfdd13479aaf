"""Timing callassist beside its floor, taken in turns so both meet the same machine.

On a shared two-core machine the speed drifts by tens of percent within a
minute; timing one side and then the other would fold that drift into the
ratio. So every measurement is a pair, ours then the floor's (A B A B ...),
and the ratio reported is the median of the per-pair ratios.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

Timed = Callable[[], float]
"""Runs once and returns the seconds its measured part took (set-up left out)."""


def timed(action: Callable[[], object]) -> Timed:
    """A :data:`Timed` that measures the whole of ``action``."""

    def run() -> float:
        start = time.perf_counter()
        action()
        return time.perf_counter() - start

    return run


@dataclass(frozen=True)
class Pairs:
    """What the paired runs of one row gave."""

    ours: tuple[float, ...]
    floor: tuple[float, ...]

    @property
    def ours_median(self) -> float:
        return statistics.median(self.ours)

    @property
    def floor_median(self) -> float:
        return statistics.median(self.floor)

    @property
    def ours_p95(self) -> float:
        ordered = sorted(self.ours)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def ratio(self) -> float:
        """Median of ours/floor over the pairs: the figure that survives a noisy machine."""
        pairs = zip(self.ours, self.floor, strict=True)
        return statistics.median(ours / floor if floor else float("inf") for ours, floor in pairs)


def paired(ours: Timed, floor: Timed, pairs: int, warm_up: bool = True) -> Pairs:
    """Run ``ours`` and ``floor`` in turns ``pairs`` times, after one untimed turn each."""
    if warm_up:
        ours()
        floor()
    our_times, floor_times = [], []
    for _ in range(pairs):
        our_times.append(ours())
        floor_times.append(floor())
    return Pairs(tuple(our_times), tuple(floor_times))


def averaged(action: Timed, times: int) -> Timed:
    """One measurement: the mean of ``times`` runs, for actions far below a millisecond."""

    def run() -> float:
        return sum(action() for _ in range(times)) / times

    return run
