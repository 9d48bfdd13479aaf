"""The day's review: its figures, the week's activity and the next day's queue."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from callassist.desk.cadences import CadencesDesk
from callassist.desk.rep import RepDesk
from callassist.review import DayActivity, DayReview, activity_by_day, render_html, review_day
from callassist.services import profile as profiles


class ReviewDesk(CadencesDesk, RepDesk):
    """How the day went, and what tomorrow holds."""

    def review(self, day: date | None = None) -> DayReview:
        """The figures of ``day`` (default: the rep's today) and the next day's queue."""
        day = day or self.rep_today()
        tomorrow = self.queue(day + timedelta(days=1))
        with self._transaction(writes=False) as session:
            rep_zone = ZoneInfo(profiles.get_profile(session).timezone)
            return review_day(session, day, rep_zone, tomorrow)

    def activity(self, last_day: date, days: int = 7) -> list[DayActivity]:
        """Dials, connects, voicemails and emails for ``days`` days ending on ``last_day``."""
        with self._transaction(writes=False) as session:
            rep_zone = ZoneInfo(profiles.get_profile(session).timezone)
            wanted = [last_day - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
            return activity_by_day(session, wanted, rep_zone)

    def review_html(self, review: DayReview) -> str:
        """The review as a printable HTML page."""
        profile = self.profile()
        return render_html(
            review,
            week=self.activity(review.day),
            rep_name=profile.name,
            rep_zone=ZoneInfo(profile.timezone),
            generated=self.clock(),
            script_titles={script.name: script.title for script in self.scripts.list_scripts()},
        )
