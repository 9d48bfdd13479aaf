"""Owner or CEO read from titles as CRMs write them (domain.md section 6)."""

import pytest

from callassist.cadence import CadenceLibrary, Step
from callassist.titles import holds_role


@pytest.fixture(scope="module")
def role_changed() -> Step:
    """The Persistence step that leaves the "your role may have changed" message."""
    persistence = CadenceLibrary(None).get("persistence")
    return next(step for step in persistence.steps if step.script == "voicemail_role_changed")


@pytest.mark.parametrize(
    ("title", "decides"),
    [
        ("Owner", True),
        ("CEO", True),
        ("Founder & CEO", True),
        ("Co-Founder/CTO", True),
        ("Co-Owner", True),
        ("Owner-Operator", True),
        ("President and COO", True),
        ("Chief Executive Officer", True),
        ("Business Owner", True),
        ("Founder and President", True),
        ("Head of Sales & Co-Founder", True),
        ("President of Acme Dental", True),
        ("ceo", True),
        ("Vice President of Sales", False),
        ("Senior Vice-President", False),
        ("VP", False),
        ("Assistant to the President", False),
        ("Executive Assistant to the CEO", False),
        ("VP, Office of the President", False),
        ("Executive Director", False),
        ("Owner's assistant", False),
        ("Owner\u2019s Assistant", False),
        ("Former Owner", False),
        ("Deputy CEO", False),
        ("Practice Manager", False),
        ("Chief Technology Officer", False),
        ("Ownership Analyst", False),
        ("", False),
    ],
)
def test_the_role_changed_message_skips_only_whoever_decides(role_changed, title, decides):
    assert role_changed.applies_to(title) is not decides


def test_the_persistence_walk_is_one_step_shorter_for_the_decider():
    persistence = CadenceLibrary(None).get("persistence")
    full = len(persistence.steps)
    assert len(persistence.steps_for("Co-Owner")) == full - 1
    assert len(persistence.steps_for("Vice President of Sales")) == full


@pytest.mark.parametrize(
    ("title", "roles", "holds"),
    [
        ("Office Manager", ["office manager"], True),
        ("Manager, Front Office", ["office manager"], False),
        ("Dentist and Office Manager", ["office manager"], True),
        ("Owner", [], False),
        ("Owner", ["", "  "], False),
    ],
)
def test_a_rep_s_own_roles_are_read_the_same_way(title, roles, holds):
    assert holds_role(title, roles) is holds
