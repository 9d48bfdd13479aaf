"""A realistic sample to try callassist on: a rep, prospects, two weeks of calls.

Everything goes through the services, exactly as if the rep had typed it, so the
sample obeys the same rules (validation, statuses, time-check decisions) as real
data. Every time is placed relative to the clock, in business hours of the
prospect's own zone, so the sample looks fresh whenever it is loaded; the
content itself is fixed, so two loads differ only by when they happened.

All people, companies, domains and numbers here are invented. The numbers are
valid for their country (phonenumbers refuses the US 555 range), and the UK and
Australian ones come from the ranges set aside for drama and examples.
"""

import random
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from callassist.cadence import Cadence
from callassist.clock import Clock, fixed_clock
from callassist.db.models import Prospect
from callassist.phones import display_phone, normalize_phone, region_of_zone
from callassist.records import ProfileRecord
from callassist.services import activity, profile, prospects
from callassist.services import cadences as cadence_service
from callassist.vocabulary import FollowUpKind, Outcome, PainKind, ProspectStatus
from callassist.wording import counted
from callassist.workdays import is_working_day

_SEED = 20260310
"""Seeds the only randomness (the minute research was done), so loads are identical."""

_REP_TIMEZONE = "America/Chicago"


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """How much the demo put into the database."""

    prospects: int
    attempts: int
    pains: int
    follow_ups: int

    def __str__(self) -> str:
        return ", ".join(
            counted(number, noun)
            for number, noun in (
                (self.prospects, "prospect"),
                (self.attempts, "attempt"),
                (self.pains, "pain"),
                (self.follow_ups, "follow-up"),
            )
        )


# -- the sample, as data ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Research:
    company: str
    person: str
    angle: str
    """Written to be said aloud: the voicemails quote it after "The reason for my call:"."""
    sources: tuple[str, ...]
    business_days_ago: int


@dataclass(frozen=True, slots=True)
class _Pain:
    kind: PainKind
    words: str
    asked: bool = False
    acknowledged: bool = False
    can_help: bool = False


@dataclass(frozen=True, slots=True)
class _TimeCheck:
    asked: bool
    minutes_available: int | None
    call_type: str
    immediate_need: bool = False


@dataclass(frozen=True, slots=True)
class _FollowUp:
    business_days_ahead: int
    """0 is today, 1 the next weekday."""
    at: str
    """Local time in the prospect's zone, "HH:MM"."""
    minutes: int
    kind: FollowUpKind
    reason: str


@dataclass(frozen=True, slots=True)
class _Step:
    """One attempt of a prospect's history; steps are listed oldest first."""

    business_days_ago: int
    at: str
    """Local time in the prospect's zone, "HH:MM"."""
    outcome: Outcome
    script: str | None = None
    """The message left: its text is written out as what the rep said."""
    notes: str = ""
    minutes: int = 1
    """How long the call lasted (ignored for outcomes logged afterwards)."""
    time_check: _TimeCheck | None = None
    pains: tuple[_Pain, ...] = ()
    follow_up: _FollowUp | None = None


@dataclass(frozen=True, slots=True)
class _Person:
    first_name: str
    last_name: str
    title: str
    company: str
    domain: str
    phone: str
    """As a rep would type it, read in ``region``."""
    region: str
    timezone: str
    tags: str
    notes: str
    research: _Research | None
    history: tuple[_Step, ...] = field(default=())

    @property
    def email(self) -> str:
        # "Tomás" mails as "tomas": most mail systems still choke on accents.
        plain = unicodedata.normalize("NFKD", self.first_name).encode("ascii", "ignore")
        return f"{plain.decode().lower()}@{self.domain}"


_REP = {
    "name": "Sam Rivera",
    "company": "Lanternline Answering",
    "phone": "(312) 780-4410",
    "email": "sam@lanternline.example",
}
_SIGNATURE = "\n".join(
    (
        "Sam Rivera",
        "Account Executive, Lanternline Answering",
        "(312) 780-4410 · sam@lanternline.example",
    )
)

# Outcomes logged in one go after the fact: nobody was on the line, so there
# is no call to time. Everything else runs as a call that starts and ends.
_LOGGED_AFTERWARDS = frozenset({Outcome.NO_ANSWER, Outcome.EMAIL_SENT, Outcome.BAD_NUMBER})

# The table is laid out by hand, one prospect per block; the formatter would
# put every field on a line of its own.
# fmt: off
_PEOPLE: tuple[_Person, ...] = (
    # -- US Eastern ---------------------------------------------------------
    _Person(
        "Priya", "Raman", "Owner", "Harborview Family Dental", "harborviewdental.example",
        "(617) 824-3391", "US", "America/New_York", "dental, referral",
        "Referred by Dr. Ames at Beacon Hill Ortho. Two locations, a third opening in spring.",
        _Research(
            "Family dental practice with two offices south of Boston; open late on Thursdays.",
            "Dentist and owner; bought the practice in 2019 and still sees patients four days "
            "a week. Posts about growing the hygiene team.",
            "your phones go to voicemail after six, and we can answer those evening calls live "
            "and book new patients straight into your schedule",
            ("https://harborviewdental.example/about", "https://news.example/harborview-third-office"),
            business_days_ago=9,
        ),
        (
            _Step(8, "09:40", Outcome.VOICEMAIL_LEFT, "voicemail_first"),
            _Step(7, "14:15", Outcome.VOICEMAIL_LEFT, "voicemail_missed_again"),
            _Step(6, "11:05", Outcome.VOICEMAIL_LEFT, "voicemail_third"),
            _Step(5, "10:30", Outcome.EMAIL_SENT, "email_after_voicemails"),
        ),
    ),
    _Person(
        "Marcus", "Boyle", "Office Manager", "Peachtree Pediatric Therapy", "peachtreepeds.example",
        "404-968-2217", "US", "America/New_York", "therapy, clinic",
        "Runs the front desk for three therapists. Came from the conference list.",
        _Research(
            "Pediatric speech and occupational therapy clinic in Atlanta, about 300 families.",
            "Office manager for six years; handles scheduling, billing and hiring.",
            "parents call to cancel and rebook in the evening, and we can take those calls and "
            "refill the slots before the morning",
            ("https://peachtreepeds.example/team",),
            business_days_ago=4,
        ),
        (
            _Step(
                3, "10:20", Outcome.RESCHEDULED,
                notes="Between two sessions, had five minutes. Booked a proper discovery call.",
                minutes=4,
                time_check=_TimeCheck(asked=True, minutes_available=5, call_type="discovery"),
                pains=(
                    _Pain(
                        PainKind.PRESENT,
                        "Parents leave cancellations on the machine at night and we find out "
                        "at 8 AM, when the slot is already lost.",
                        asked=True, acknowledged=True, can_help=True,
                    ),
                ),
                follow_up=_FollowUp(
                    2, "13:00", 20, FollowUpKind.MEETING,
                    "Discovery call he agreed to: the full 20 minutes, after his lunch.",
                ),
            ),
        ),
    ),
    _Person(
        "Elena", "Kowalski", "Founder & CEO", "Brightwire Digital", "brightwire.example",
        "919.834.5520", "US", "America/New_York", "agency",
        "Agency building websites for dental and vet practices; could resell to clients.",
        _Research(
            "Twelve-person marketing agency in Raleigh; websites and ads for about 40 clinics.",
            "Founded the agency in 2016 after running marketing for a veterinary group. "
            "Speaks at local small-business meetups.",
            "your clinic clients pay for ads that ring phones nobody answers after hours; we can "
            "answer those calls so your campaigns turn into booked appointments",
            ("https://brightwire.example/clients", "https://events.example/raleigh-smb-talks"),
            business_days_ago=5,
        ),
        (
            _Step(3, "15:10", Outcome.VOICEMAIL_LEFT, "voicemail_first"),
            _Step(
                2, "09:25", Outcome.CONNECTED,
                notes="She called back after my voicemail. Wants to see how a white-label "
                "setup would look for two of her clinics.",
                minutes=27,
                time_check=_TimeCheck(asked=True, minutes_available=30, call_type="discovery"),
                pains=(
                    _Pain(
                        PainKind.PAST,
                        "We lost a vet client last year; they blamed our ads, but the calls "
                        "were coming in and nobody picked up.",
                        asked=True, acknowledged=True, can_help=True,
                    ),
                    _Pain(
                        PainKind.PEERS,
                        "Another agency I know got fired by a whole dental group over "
                        "'bad leads' that were really missed calls.",
                        asked=True, acknowledged=True,
                    ),
                    _Pain(
                        PainKind.FUTURE,
                        "If the spring campaigns flop the same way, I could lose two more "
                        "accounts before summer.",
                        acknowledged=True, can_help=True,
                    ),
                ),
                follow_up=_FollowUp(
                    3, "11:00", 60, FollowUpKind.MEETING,
                    "Introduction with Elena and her account lead: white-label answering "
                    "for her clinic clients.",
                ),
            ),
        ),
    ),
    _Person(
        "Tomás", "Herrera", "Managing Partner", "Herrera & Lind Law", "herreralind.example",
        "(614) 827-3318", "US", "America/New_York", "legal",
        "Personal injury and family law; intake is done by the partners themselves.",
        _Research(
            "Six-lawyer firm in Columbus, personal injury and family law.",
            "Co-founded the firm; still answers intake calls himself on weekends.",
            "new clients call a law firm once, and we can make sure every first call is "
            "answered and booked even when your partners are in court",
            ("https://herreralind.example/our-team",),
            business_days_ago=3,
        ),
        (
            _Step(2, "11:50", Outcome.VOICEMAIL_LEFT, "voicemail_first"),
            _Step(
                1, "16:20", Outcome.VOICEMAIL_LEFT, "voicemail_missed_again",
                follow_up=_FollowUp(
                    1, "10:30", 5, FollowUpKind.CALL,
                    "Third and last voicemail, then the email.",
                ),
            ),
        ),
    ),
    _Person(
        "Grace", "Okafor", "Practice Administrator", "Coral Gate Veterinary",
        "coralgatevet.example",
        "(305) 842-6604", "US", "America/New_York", "veterinary",
        "From the Florida vet association list. No homework yet.",
        None,
    ),
    _Person(
        "Nathan", "Pierce", "Director of Operations", "Gotham Property Partners",
        "gothamproperty.example", "212 937 4471", "US", "America/New_York", "property",
        "Manages about 1,200 units in Brooklyn and Queens.",
        _Research(
            "Residential property manager, mostly mid-size buildings in Brooklyn and Queens.",
            "Ran maintenance dispatch before moving into operations; hiring a night coordinator.",
            "tenants report leaks and lockouts at night, and we can answer, triage and dispatch "
            "those calls so your coordinator sleeps",
            ("https://gothamproperty.example/careers",),
            business_days_ago=2,
        ),
    ),
    # -- US Central ---------------------------------------------------------
    _Person(
        "Hannah", "Lindqvist", "Owner", "Lakeshore Chiropractic", "lakeshorechiro.example",
        "(773) 916-2284", "US", "America/Chicago", "chiropractic",
        "Single-location clinic, owner answers her own phone between patients.",
        _Research(
            "Chiropractic clinic on the North Side, two doctors and a massage therapist.",
            "Owner and lead chiropractor; reviews mention she is hard to reach by phone.",
            "you are treating patients while your phone rings, and we can answer it, book the "
            "visit and text you a summary",
            ("https://lakeshorechiro.example", "https://reviews.example/lakeshore-chiropractic"),
            business_days_ago=10,
        ),
        (
            _Step(8, "10:10", Outcome.VOICEMAIL_LEFT, "voicemail_first"),
            _Step(6, "14:40", Outcome.NO_ANSWER, notes="No message; she'll see the missed call."),
            _Step(4, "09:15", Outcome.NO_ANSWER),
            _Step(2, "16:05", Outcome.NO_ANSWER),
            _Step(
                1, "11:30", Outcome.VOICEMAIL_LEFT, "voicemail_commitment_test",
                notes="Fifth call: left the commitment message and promised to call next.",
                # Due today, the working day after the message that promised it.
                follow_up=_FollowUp(
                    0, "16:30", 10, FollowUpKind.CALL,
                    "The last voicemail promised this call: keep the promise.",
                ),
            ),
        ),
    ),
    _Person(
        "Luis", "Ortega", "CEO", "Hill Country HVAC", "hillcountryhvac.example",
        "(512) 879-2245", "US", "America/Chicago", "home-services",
        "Emergency AC repair; summer is their busy season.",
        _Research(
            "Heating and cooling contractor in Austin with eight service vans.",
            "Second-generation owner; took over from his father in 2021.",
            "emergency calls go to whoever answers first, and we can answer yours around the "
            "clock and dispatch the on-call tech",
            ("https://hillcountryhvac.example/about",),
            business_days_ago=6,
        ),
        (
            _Step(
                4, "09:05", Outcome.CONNECTED,
                notes="Only had ten minutes but a real problem right now: covered the weekend "
                "gap, booked the full introduction for next week.",
                minutes=10,
                time_check=_TimeCheck(
                    asked=True, minutes_available=10, call_type="discovery", immediate_need=True
                ),
                pains=(
                    _Pain(
                        PainKind.PRESENT,
                        "We lost two emergency jobs last weekend because nobody picked up.",
                        asked=True, acknowledged=True, can_help=True,
                    ),
                    _Pain(
                        PainKind.PAST,
                        "Tried a cheap answering service two summers ago; they read a script "
                        "and booked techs into the wrong county.",
                        asked=True, acknowledged=True,
                    ),
                ),
                follow_up=_FollowUp(
                    5, "09:00", 60, FollowUpKind.CALL,
                    "Full introduction: weekend and night coverage before the summer rush.",
                ),
            ),
        ),
    ),
    _Person(
        "Rachel", "Nguyen", "Marketing Manager", "Northstar Growth Co", "northstargrowth.example",
        "(612) 843-7719", "US", "America/Chicago", "agency",
        "In-house marketing for a group of physical therapy clinics.",
        _Research(
            "Marketing arm of a group of nine physical therapy clinics in the Twin Cities.",
            "Runs paid search and the call-tracking reports.",
            "your call tracking shows the missed calls, and we can turn that number into "
            "booked evaluations",
            ("https://northstargrowth.example/team",),
            business_days_ago=1,
        ),
    ),
    _Person(
        "Derek", "Olsen", "Owner", "Gateway Insurance Group", "gatewayinsurance.example",
        "(314) 862-4403", "US", "America/Chicago", "insurance",
        "Independent agency, four producers.",
        _Research(
            "Independent insurance agency in St. Louis: home, auto and small business.",
            "Owner; on the board of the local agents' association.",
            "clients call after a car accident at any hour, and we can take the first notice of "
            "loss calmly and pass it to your team by morning",
            ("https://gatewayinsurance.example/about",),
            business_days_ago=7,
        ),
        (
            _Step(
                5, "13:35", Outcome.NOT_INTERESTED,
                notes="Already uses an answering service and is happy with it. Acknowledged; "
                "no push. Maybe check back in six months.",
                minutes=3,
                time_check=_TimeCheck(asked=False, minutes_available=None, call_type="discovery"),
                pains=(
                    _Pain(
                        PainKind.PRESENT,
                        "Honestly, we're covered. Our service has been fine for years.",
                        acknowledged=True,
                    ),
                ),
            ),
        ),
    ),
    _Person(
        "Monica", "Reyes", "Clinic Manager", "Music Row Physical Therapy", "musicrowpt.example",
        "(615) 928-3356", "US", "America/Chicago", "physio",
        "Sports and dance injuries; lots of evening bookings.",
        _Research(
            "Physical therapy clinic in Nashville specialising in musicians and dancers.",
            "Clinic manager; previously a front-desk lead at a hospital rehab unit.",
            "your patients book after rehearsals, late in the evening, and we can take those "
            "bookings live",
            ("https://musicrowpt.example/about",),
            business_days_ago=3,
        ),
    ),
    _Person(
        "Brian", "Fitch", "Office Manager", "Trinity Oaks Dental", "trinityoaksdental.example",
        "(214) 748-6612", "US", "America/Chicago", "dental",
        "From an old list; the title may be out of date.",
        None,
        (
            _Step(
                3, "15:45", Outcome.WRONG_PERSON,
                notes="Brian moved to billing. The new office manager is Carla; the front desk "
                "will pass on my number.",
                minutes=2,
            ),
        ),
    ),
    # -- US Mountain --------------------------------------------------------
    _Person(
        "Ruth", "Castillo", "Owner", "Sandia Smiles Dental", "sandiasmiles.example",
        "(505) 828-1788", "US", "America/Denver", "dental, referral",
        "Referred by Priya Raman's study club. Spanish and English practice.",
        _Research(
            "Bilingual family dentistry in Albuquerque, open Saturdays.",
            "Dentist and owner; active in a regional dental study club.",
            "half your new patients call on Saturday afternoon, and we can answer them in "
            "English or Spanish and book them in",
            ("https://sandiasmiles.example/equipo", "https://studyclub.example/members"),
            business_days_ago=4,
        ),
        (
            _Step(
                2, "13:10", Outcome.RESCHEDULED,
                notes="Asked if it was still a good time: fifteen minutes before her next "
                "patient. Proposed a full hour instead of rushing.",
                minutes=6,
                time_check=_TimeCheck(asked=True, minutes_available=15, call_type="introduction"),
                pains=(
                    _Pain(
                        PainKind.PAST,
                        "Last winter our old answering service double-booked a whole Saturday.",
                        asked=True, acknowledged=True, can_help=True,
                    ),
                    _Pain(
                        PainKind.FUTURE,
                        "When the new hygienist starts we'll have twice the slots to fill.",
                        can_help=True,
                    ),
                ),
                follow_up=_FollowUp(
                    3, "12:30", 60, FollowUpKind.MEETING,
                    "Introduction she accepted: a full hour at lunch, with her office lead.",
                ),
            ),
        ),
    ),
    _Person(
        "Kevin", "Marsh", "Operations Director", "Front Range Property Management",
        "frontrangepm.example", "(303) 847-5521", "US", "America/Denver", "property",
        "Manages HOAs and rentals along the Front Range.",
        _Research(
            "Property manager for HOAs and single-family rentals around Denver.",
            "Operations director; wrote a blog post about after-hours maintenance costs.",
            "your on-call staff take every midnight call, and we can screen them so only real "
            "emergencies wake anyone up",
            ("https://frontrangepm.example/blog/after-hours",),
            business_days_ago=2,
        ),
    ),
    _Person(
        "Alisha", "Grant", "Founder", "Wasatch Pet Hospital", "wasatchpet.example",
        "(801) 936-4417", "US", "America/Denver", "veterinary",
        "Number came from a directory listing.",
        _Research(
            "Small-animal hospital in Salt Lake City with urgent care until 10 PM.",
            "Veterinarian and founder; opened the hospital in 2018.",
            "pet owners panic and call in the evening, and we can answer calmly, triage and "
            "book urgent visits",
            ("https://wasatchpet.example",),
            business_days_ago=5,
        ),
        (
            _Step(
                4, "10:00", Outcome.BAD_NUMBER,
                notes="The listed number rings a fax line. Find the main line on the website.",
            ),
        ),
    ),
    _Person(
        "Owen", "Brandt", "CEO", "Summit Ridge Roofing", "summitridgeroofing.example",
        "(720) 858-3302", "US", "America/Denver", "home-services",
        "Storm season lead from a trade show badge scan.",
        None,
    ),
    # -- US Pacific ---------------------------------------------------------
    _Person(
        "Mei", "Tanaka", "Practice Owner", "Willamette Family Vet", "willamettevet.example",
        "(503) 894-2276", "US", "America/Los_Angeles", "veterinary",
        "Three vets, one location; hiring a receptionist.",
        _Research(
            "Family veterinary clinic in Portland; job post for a receptionist since January.",
            "Veterinarian and owner; also teaches at the community college.",
            "while you look for a receptionist, we can answer your phones so no client waits on "
            "hold",
            ("https://willamettevet.example/jobs", "https://jobs.example/willamette-receptionist"),
            business_days_ago=4,
        ),
        (
            _Step(3, "09:30", Outcome.VOICEMAIL_LEFT, "voicemail_first"),
            _Step(2, "13:45", Outcome.VOICEMAIL_LEFT, "voicemail_missed_again"),
            _Step(
                1, "10:55", Outcome.VOICEMAIL_LEFT, "voicemail_third",
                follow_up=_FollowUp(
                    1, "09:00", 5, FollowUpKind.EMAIL,
                    "Three voicemails, no reply: send the follow-up email.",
                ),
            ),
        ),
    ),
    _Person(
        "Jordan", "Blake", "Head of Client Services", "Pinecone Creative",
        "pineconecreative.example",
        "(206) 838-5519", "US", "America/Los_Angeles", "agency",
        "Agency for medical spas and dermatology clinics.",
        _Research(
            "Creative agency in Seattle; branding and lead generation for med spas.",
            "Head of client services; owns the relationships with the agency's 25 clinics.",
            "your clinics' leads call on weekends, and we can answer and book them so your "
            "campaigns get the credit",
            ("https://pineconecreative.example/work",),
            business_days_ago=6,
        ),
        (
            _Step(
                4, "11:15", Outcome.CONNECTED,
                notes="Good discovery call. Wants an intro with the owners of two med spas.",
                minutes=24,
                time_check=_TimeCheck(asked=True, minutes_available=25, call_type="discovery"),
                pains=(
                    _Pain(
                        PainKind.PRESENT,
                        "Our clients complain their leads go to voicemail every Saturday.",
                        asked=True, acknowledged=True, can_help=True,
                    ),
                    _Pain(
                        PainKind.PEERS,
                        "A friend's agency lost a med spa account worth forty thousand a year "
                        "over calls nobody answered.",
                        acknowledged=True,
                    ),
                ),
                follow_up=_FollowUp(
                    4, "10:00", 60, FollowUpKind.MEETING,
                    "Introduction with Jordan and two med spa owners.",
                ),
            ),
        ),
    ),
    _Person(
        "Sofia", "Marin", "Office Manager", "Bayside Dermatology", "baysidederm.example",
        "(619) 846-7730", "US", "America/Los_Angeles", "dermatology, clinic",
        "Long waitlist; cancellations are their biggest scheduling problem.",
        _Research(
            "Dermatology practice in San Diego with a three-month waitlist.",
            "Office manager; came from a large hospital scheduling team.",
            "every late cancellation is a lost slot, and we can call your waitlist and fill it "
            "the same evening",
            ("https://baysidederm.example/about",),
            business_days_ago=2,
        ),
    ),
    _Person(
        "Aaron", "Feld", "Partner", "Capitol Row Legal", "capitolrowlegal.example",
        "(916) 874-3345", "US", "America/Los_Angeles", "legal",
        "Employment law; small team, partners do intake.",
        _Research(
            "Employment law boutique in Sacramento, four attorneys.",
            "Partner; writes a newsletter on California workplace law.",
            "people call a lawyer the night they are let go, and we can take that first call "
            "with care and book the consultation",
            ("https://capitolrowlegal.example/newsletter",),
            business_days_ago=3,
        ),
    ),
    _Person(
        "Lily", "Chen", "COO", "Fogline Dental Group", "foglinedental.example",
        "(415) 967-2248", "US", "America/Los_Angeles", "dental",
        "Group of five offices; decision maker for vendors.",
        _Research(
            "Five dental offices around San Francisco under one management company.",
            "Chief operating officer; previously ran operations for a hotel group.",
            "five front desks each miss calls at lunch, and we can be one overflow line for all "
            "five offices",
            ("https://foglinedental.example/leadership", "https://news.example/fogline-fifth-office"),
            business_days_ago=1,
        ),
    ),
    # -- Canada -------------------------------------------------------------
    _Person(
        "Simon", "Leclerc", "Owner", "Danforth Physiotherapy", "danforthphysio.example",
        "(416) 849-3327", "CA", "America/Toronto", "physio",
        "Bilingual clinic; asked about French-speaking receptionists at a trade show.",
        _Research(
            "Physiotherapy clinic in Toronto's east end, five physiotherapists.",
            "Physiotherapist and owner; speaks French and English.",
            "your patients call in French and English, and we can answer in both and book "
            "them straight into your calendar",
            ("https://danforthphysio.example/fr",),
            business_days_ago=3,
        ),
    ),
    _Person(
        "Ava", "Morrison", "Director", "Queen West Digital", "queenwestdigital.example",
        "647-938-4419", "CA", "America/Toronto", "agency",
        "Small agency; met at a Toronto marketing meetup.",
        _Research(
            "Digital agency in Toronto focused on local service businesses.",
            "Director; co-hosts the meetup where we met.",
            "your service clients lose the calls your ads bring in, and we can answer them "
            "under each client's name",
            ("https://queenwestdigital.example",),
            business_days_ago=2,
        ),
    ),
    # -- United Kingdom -----------------------------------------------------
    _Person(
        "Oliver", "Hart", "Practice Manager", "Camden Lane Dental", "camdenlanedental.example",
        "020 7946 0123", "GB", "Europe/London", "dental",
        "Private practice; evening appointments three days a week.",
        _Research(
            "Private dental practice in Camden with late openings.",
            "Practice manager; previously at a large NHS practice.",
            "your evening patients ring while the team is with patients, and we can answer and "
            "book them without anyone leaving the chair",
            ("https://camdenlanedental.example/team",),
            business_days_ago=5,
        ),
    ),
    _Person(
        "Imogen", "Shaw", "Managing Director", "Northern Quarter Lettings",
        "nqlettings.example", "0161 496 0412", "GB", "Europe/London", "property",
        "Lettings agency for student and young-professional flats.",
        _Research(
            "Lettings and property management agency in central Manchester.",
            "Managing director; founded the agency after a decade in estate agency.",
            "tenants ring about boilers and keys at night, and we can handle those calls and "
            "send the right contractor",
            ("https://nqlettings.example/about",),
            business_days_ago=4,
        ),
    ),
    # -- Germany ------------------------------------------------------------
    _Person(
        "Jonas", "Weber", "Managing Director", "Spree Praxisservice", "spreepraxis.example",
        "030 23125456", "DE", "Europe/Berlin", "clinic, agency",
        "Runs reception services for medical practices; possible partner rather than client.",
        _Research(
            "Berlin company providing reception and billing services to medical practices.",
            "Managing director; English-speaking, looking for an overnight partner.",
            "your practices need English-speaking overnight cover, and we can be that partner",
            ("https://spreepraxis.example/en",),
            business_days_ago=6,
        ),
    ),
    # -- Australia ----------------------------------------------------------
    _Person(
        "Chloe", "Bennett", "Owner", "Harbour Street Physio", "harbourstreetphysio.example",
        "02 5550 4127", "AU", "Australia/Sydney", "physio",
        "Early starter: call her before 9 AM Sydney time.",
        _Research(
            "Physiotherapy clinic in Sydney's inner west, open from 7 AM.",
            "Physiotherapist and owner; answers the phone herself before the first patient.",
            "you answer your own phone before clinic, and we can take those calls so your "
            "mornings are for patients",
            ("https://harbourstreetphysio.example",),
            business_days_ago=3,
        ),
        (
            _Step(
                1, "08:10", Outcome.RESCHEDULED,
                notes="Cold call: asked for a short moment, she had five minutes before her "
                "first patient. Booked a discovery call instead.",
                minutes=4,
                time_check=_TimeCheck(asked=False, minutes_available=5, call_type="discovery"),
                pains=(
                    _Pain(
                        PainKind.PRESENT,
                        "I'm on the phone from seven till my first patient, every single day.",
                        asked=True, acknowledged=True, can_help=True,
                    ),
                ),
                follow_up=_FollowUp(
                    2, "07:40", 20, FollowUpKind.CALL,
                    "Discovery call before her first patient: the full 20 minutes.",
                ),
            ),
        ),
    ),
    _Person(
        "Liam", "Foster", "Operations Manager", "Coastal Care Clinics", "coastalcare.example",
        "02 7010 3382", "AU", "Australia/Sydney", "clinic",
        "Group of GP clinics; name from a LinkedIn search, nothing else yet.",
        None,
    ),
)
# fmt: on


# -- what the rep said --------------------------------------------------------


def _spoken(phone: str | None) -> str:
    # The national format already groups the digits the way people say them;
    # the pauses are what a slow, clear voicemail sounds like.
    return " ... ".join(re.findall(r"\d+", display_phone(phone)))


def _message(script: str, person: _Person, rep: ProfileRecord) -> str:
    """The words of a voicemail or email as the rep delivered them."""
    number = _spoken(rep.phone)
    reason = (
        person.research.angle
        if person.research
        else f"I have an idea that could help {person.company}"
    )
    first = person.first_name
    if script == "voicemail_first":
        return (
            f"Hi {first}, this is {rep.name} with {rep.company}.\n"
            f"The reason for my call: {reason}.\n"
            f"I'd like to tell you more. My number is {number}.\n"
            f"Again, that's {number}. Thanks, {first}."
        )
    if script == "voicemail_missed_again":
        return (
            f"Hi {first}, it's {rep.name} from {rep.company} again. "
            "Looks like we're on opposite schedules!\n"
            f"I'm still keen to talk. In short: {reason}.\n"
            f"You can reach me at {number}.\n"
            f"Once more, {number}. Talk soon."
        )
    if script == "voicemail_third":
        return (
            f"Hi {first}, {rep.name} at {rep.company}, trying you one more time.\n"
            f"The short version: {reason}.\n"
            f"I'll also send you a short email so you have it in writing. "
            f"My number is {number}.\n"
            f"That's {number}."
        )
    if script == "voicemail_commitment_test":
        return (
            f"Hi {first}, it's {rep.name} with {rep.company}. I've tried you a few times now; "
            "maybe you're testing my commitment, and that's fair.\n"
            f"I'll call you again tomorrow. If another time suits you better, "
            f"I'm at {number}. That's {number}."
        )
    if script == "email_after_voicemails":
        return (
            f"Subject: Following up on my calls, {first}\n\n"
            f"Hi {first},\n\n"
            "I've left you a few voicemails over the last few days, so I thought I'd put "
            "the message in writing.\n\n"
            f"I'm {rep.name} with {rep.company}.\n"
            f"The reason for my calls: {reason}.\n\n"
            "If it's worth a conversation, reply to this email or call me at "
            f"{rep.phone_display}.\n\n"
            f"{rep.signature}"
        )
    raise ValueError(f"the demo has no words for script {script!r}")


# -- placing events in time ---------------------------------------------------


def _business_day(start: date, offset: int, country: str | None) -> date:
    """The working day of ``country`` ``offset`` working days from ``start`` (negative: before)."""
    # Reps do not dial on days off, so a sample with calls on a Saturday or on
    # Christmas Day would look wrong.
    step = 1 if offset > 0 else -1
    day = start
    for _ in range(abs(offset)):
        day += timedelta(days=step)
        while not is_working_day(day, country):
            day += timedelta(days=step)
    return day


def _local(now: datetime, zone_name: str, business_days: int, clock_time: str) -> datetime:
    """``clock_time`` in ``zone_name``, ``business_days`` working days from today there."""
    zone = ZoneInfo(zone_name)
    day = _business_day(now.astimezone(zone).date(), business_days, region_of_zone(zone_name))
    return datetime.combine(day, time.fromisoformat(clock_time), tzinfo=zone)


# -- seeding ------------------------------------------------------------------


@dataclass(slots=True)
class _Seeder:
    session: Session
    now: datetime
    rep: ProfileRecord
    rng: random.Random
    attempts: int = 0
    pains: int = 0
    follow_ups: int = 0

    def person(self, index: int, person: _Person) -> None:
        raw = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "title": person.title,
            "company": person.company,
            "website": f"https://{person.domain}",
            "email": person.email,
            "phone": person.phone,
            "timezone": person.timezone,
            "tags": person.tags,
            "notes": person.notes,
        }
        values = prospects.validate_prospect(raw, person.region)
        # Imported as one list three weeks ago, a minute apart: before any
        # research or call, whatever the rest of the sample says.
        created = self.now - timedelta(days=21) + timedelta(minutes=index)
        prospect_id = prospects.add_prospect(self.session, fixed_clock(created), values).id
        if person.research is not None:
            self.research(prospect_id, person)
        for step in person.history:
            self.step(prospect_id, person, step)

    def research(self, prospect_id: int, person: _Person) -> None:
        assert person.research is not None
        research = person.research
        minute = self.rng.randrange(8 * 60, 16 * 60, 5)
        done = _local(self.now, _REP_TIMEZONE, -research.business_days_ago, "00:00")
        done += timedelta(minutes=minute)
        if person.history:
            # Homework comes before the first dial, whatever the data says.
            first = _local(
                self.now,
                person.timezone,
                -person.history[0].business_days_ago,
                person.history[0].at,
            )
            done = min(done, first - timedelta(minutes=25))
        prospects.update_research(
            self.session,
            fixed_clock(done),
            prospect_id,
            company_summary=research.company,
            person_profile=research.person,
            angle=research.angle,
            source_links=research.sources,
            researched_at=done,
        )

    def step(self, prospect_id: int, person: _Person, step: _Step) -> None:
        at = _local(self.now, person.timezone, -step.business_days_ago, step.at)
        text = _message(step.script, person, self.rep) if step.script else None
        self.attempts += 1
        if step.outcome in _LOGGED_AFTERWARDS:
            attempt_id = activity.log_attempt(
                self.session,
                fixed_clock(at),
                prospect_id,
                step.outcome,
                at=at,
                notes=step.notes,
                script_name=step.script,
                rendered_text=text,
            ).id
        else:
            attempt_id = self.call(prospect_id, step, at, text)
        if step.follow_up is not None:
            follow_up = step.follow_up
            activity.add_follow_up(
                self.session,
                prospect_id,
                due_at=_local(
                    self.now, person.timezone, follow_up.business_days_ahead, follow_up.at
                ),
                minutes=follow_up.minutes,
                kind=follow_up.kind,
                reason=follow_up.reason,
                attempt_id=attempt_id,
            )
            self.follow_ups += 1

    def call(self, prospect_id: int, step: _Step, at: datetime, text: str | None) -> int:
        """Play a call as the window would: start, time check, pains, finish."""
        attempt_id = activity.start_call(self.session, fixed_clock(at), prospect_id).id
        if step.time_check is not None:
            check = step.time_check
            activity.record_time_check(
                self.session,
                attempt_id,
                asked=check.asked,
                minutes_available=check.minutes_available,
                call_type=self.rep.call_type(check.call_type),
                immediate_need=check.immediate_need,
            )
        for number, pain in enumerate(step.pains, start=1):
            # Spread the notes over the call so they read in the order heard.
            heard = at + timedelta(minutes=step.minutes) * number / (len(step.pains) + 1)
            noted = activity.add_pain(
                self.session,
                fixed_clock(heard),
                prospect_id,
                pain.kind,
                pain.words,
                attempt_id=attempt_id,
            )
            if pain.asked or pain.acknowledged or pain.can_help:
                activity.update_pain(
                    self.session,
                    noted.id,
                    asked=pain.asked,
                    acknowledged=pain.acknowledged,
                    can_help=pain.can_help,
                )
            self.pains += 1
        activity.finish_attempt(
            self.session,
            fixed_clock(at + timedelta(minutes=step.minutes)),
            attempt_id,
            step.outcome,
            notes=step.notes,
            script_name=step.script,
            rendered_text=text,
        )
        return attempt_id


def seed_demo(session: Session, clock: Clock) -> DemoSummary:
    """Fill an empty database with the sample; the caller owns the transaction.

    Deterministic: the same prospects, words and histories every time, with
    every date placed relative to ``clock()``.
    """
    current = profile.get_profile(session)
    # The sample's histories name the call types it was made with.
    call_types = current.call_types + tuple(
        default
        for default in profile.DEFAULT_CALL_TYPES
        if default.name not in {known.name for known in current.call_types}
    )
    if current.is_complete:
        # A rep who has just typed in their details (the first run asks before it
        # offers the demo) keeps them: the sample's messages are then in their name.
        rep = profile.update_profile(session, call_types=call_types)
    else:
        rep = profile.update_profile(
            session,
            name=_REP["name"],
            company=_REP["company"],
            phone_e164=normalize_phone(_REP["phone"], "US"),
            email=_REP["email"],
            signature=_SIGNATURE,
            timezone=_REP_TIMEZONE,
            business_hours=(time(9, 0), time(17, 0)),
            call_types=call_types,
        )
    seeder = _Seeder(session, clock(), rep, random.Random(_SEED))
    for index, person in enumerate(_PEOPLE):
        seeder.person(index, person)
    return DemoSummary(
        prospects=len(_PEOPLE),
        attempts=seeder.attempts,
        pains=seeder.pains,
        follow_ups=seeder.follow_ups,
    )


DEMO_ENROLLMENTS = 8
"""How many untouched demo prospects start a cadence, so today's queue has work in it."""


def enroll_demo(session: Session, clock: Clock, cadences: Mapping[str, Cadence]) -> None:
    """Put the first untouched prospects in the bundled cadences, alternating them."""
    names = [name for name in ("three_voicemails", "persistence") if name in cadences]
    if not names:
        return
    fresh = session.scalars(
        select(Prospect.id)
        .where(Prospect.status == ProspectStatus.NEW)
        .order_by(Prospect.id)
        .limit(DEMO_ENROLLMENTS)
    )
    for index, prospect_id in enumerate(fresh):
        cadence_service.enroll(session, clock, prospect_id, cadences[names[index % len(names)]])
