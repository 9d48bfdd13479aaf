"""The end-of-day review: the dialog, its figures and its outcome chooser."""

from ui.dialogs.review.dialog import DAY_REVIEW_KEYS, ReviewDialog

__all__ = ["DAY_REVIEW_KEYS", "ReviewDialog"]
