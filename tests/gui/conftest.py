"""Fixtures for window tests: the bridge over a real database, with or without the demo."""

import gc
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QSettings

from callassist.core import CallDesk
from ui.background import collect_garbage_on_this_thread
from ui.bridge import DeskBridge
from ui.mainwindow import MainWindow


@pytest.fixture(scope="session", autouse=True)
def garbage_collected_on_the_window_thread(qapp) -> Iterator[None]:
    """As the window runs: each test's widgets left in reference cycles are destroyed
    here, on the window's thread, never by a worker that happened to allocate."""
    collector = collect_garbage_on_this_thread(qapp)
    yield
    collector.stop()
    gc.enable()


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


@pytest.fixture
def settings(tmp_path) -> QSettings:
    """The window's own settings file, private to the test."""
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def open_window(qtbot, settings) -> Callable[[DeskBridge], MainWindow]:
    """Opens the main window on a bridge at 1280x800, shown and active, as a rep sees it."""

    def open_on(bridge: DeskBridge) -> MainWindow:
        shown = MainWindow(bridge, settings)
        qtbot.addWidget(shown)
        shown.resize(1280, 800)
        with qtbot.waitActive(shown):
            shown.show()
            shown.activateWindow()
        # The queue's first look is worked out in a worker: a rep sees it a moment later.
        qtbot.waitUntil(lambda: not shown.queue.is_looking())
        return shown

    return open_on


@pytest.fixture
def window(open_window, demo_bridge) -> MainWindow:
    """The main window on the demo sample."""
    return open_window(demo_bridge)


@pytest.fixture(autouse=True)
def empty_clipboard(qapp) -> Iterator[None]:
    """Each test ends with nothing on the clipboard.

    What a test copies would otherwise outlive it, and the clipboard's text is
    Python-made data that Qt only frees as the process ends, after Python has
    gone: a segmentation fault once every test passed.
    """
    yield
    qapp.clipboard().clear()
