"""The day's review: its figures, the week's activity and the next day's queue."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from callassist.desk.cadences import CadencesDesk
from callassist.desk.rep import RepDesk
from callassist.review import (
    DayActivity,
    DayReview,
    TeamReview,
    activity_by_day,
    render_html,
    review_day,
)
from callassist.services import profile as profiles


class ReviewDesk(CadencesDesk, RepDesk):
    """How the day went, and what tomorrow holds."""

    def review(self, day: date | None = None) -> DayReview:
        """The rep's figures of ``day`` (default: their today) and their next day's queue."""
        day = day or self.rep_today()
        tomorrow = self.queue(day + timedelta(days=1))
        with self._transaction(writes=False) as session:
            rep_zone = ZoneInfo(profiles.get_profile(session).timezone)
            rep_id = profiles.acting_rep_id(session)
            return review_day(session, day, rep_zone, tomorrow, rep_id=rep_id)

    def team_review(self, day: date | None = None) -> TeamReview:
        """Each rep's figures of ``day`` (default: this rep's today, in their zone), the
        team's totals, and the team's queue for the next day."""
        day = day or self.rep_today()
        tomorrow = self.queue(day + timedelta(days=1), team=True)
        with self._transaction(writes=False) as session:
            rep_zone = ZoneInfo(profiles.get_profile(session).timezone)
            return TeamReview(
                by_rep=tuple(
                    (rep, review_day(session, day, rep_zone, [], rep_id=rep.id))
                    for rep in profiles.list_reps(session)
                ),
                team=review_day(session, day, rep_zone, tomorrow, rep_id=None),
            )

    def activity(self, last_day: date, days: int = 7) -> list[DayActivity]:
        """The rep's dials, connects, voicemails and emails for ``days`` days ending on
        ``last_day``."""
        with self._transaction(writes=False) as session:
            rep_zone = ZoneInfo(profiles.get_profile(session).timezone)
            wanted = [last_day - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
            return activity_by_day(
                session, wanted, rep_zone, rep_id=profiles.acting_rep_id(session)
            )

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
