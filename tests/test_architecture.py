"""The core stays Qt-free: it must run where no window can."""

import pkgutil
import subprocess
import sys

import callassist


def test_core_never_imports_qt_or_the_window():
    modules = sorted(
        info.name
        for info in pkgutil.walk_packages(callassist.__path__, "callassist.")
        if ".migrations" not in info.name and info.name != "callassist.__main__"
    )
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'ui'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert len(modules) > 10
    assert result.stdout.strip() == ""
