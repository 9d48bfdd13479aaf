"""Fixtures for window tests: the bridge over a real database, with or without the demo."""

import pytest

from callassist.core import CallDesk
from ui.bridge import DeskBridge


@pytest.fixture
def bridge(desk: CallDesk, qapp) -> DeskBridge:
    """A bridge over the test's desk (complete profile, no prospects)."""
    del qapp
    return DeskBridge(desk)


@pytest.fixture
def demo_bridge(bridge: DeskBridge) -> DeskBridge:
    """A bridge over a database holding the demo sample; the test rep stays the rep."""
    bridge.desk.load_demo()
    return bridge


@pytest.fixture
def failures(bridge: DeskBridge) -> list[str]:
    """Every message the bridge reported to the rep during the test."""
    messages: list[str] = []
    bridge.failed.connect(messages.append)
    return messages
