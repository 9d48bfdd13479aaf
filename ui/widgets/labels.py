"""A label that names a field, for a screen reader as well as for the eye."""

from PySide6.QtWidgets import QLabel, QWidget


def field_label(text: str, field: QWidget) -> QLabel:
    """A label for ``field``: its buddy, so a screen reader says the label with the field.

    A form row given a layout (a field with buttons beside it) gets a label with
    no buddy; a combo box or spin box read out on Linux is then only its value.
    """
    label = QLabel(text)
    label.setBuddy(field)
    return label
