"""The day review's printable page: written into the data folder, for the browser to print."""

from datetime import date
from pathlib import Path

from callassist import paths
from callassist.core import CallDesk
from callassist.errors import KnownError
from callassist.review import DayReview


def review_page_path(day: date) -> Path:
    """Where the printable page of ``day`` is written: the data folder's reviews/."""
    return paths.data_dir() / "reviews" / f"review-{day.isoformat()}.html"


def write_review_page(desk: CallDesk, review: DayReview) -> Path:
    """Write the page of ``review`` (private to the rep) and return where it went."""
    target = review_page_path(review.day)
    page = desk.review_html(review)
    try:
        paths.private_folder(target.parent)
        paths.write_private(target, page.encode("utf-8"))
    except OSError as error:
        raise KnownError(f"could not write {target}: {error.strerror or error}") from error
    return target
