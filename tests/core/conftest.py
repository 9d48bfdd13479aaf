"""Fixtures of the core's tests: a command run on the test's database, a rep, a prospect."""

import io

import pytest
from cli_runs import Run

from callassist.cli import main


@pytest.fixture
def cli(db_path, clock):
    def run(*argv: str) -> Run:
        out, err = io.StringIO(), io.StringIO()
        status = main(["--db", str(db_path), *argv], clock=clock, out=out, err=err)
        return Run(status, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def rep(cli):
    assert (
        cli(
            "profile",
            "--name",
            "Sam Rivera",
            "--company",
            "Northwind Answering",
            "--phone",
            "312-555-0142",
            "--email",
            "sam@northwind.example",
            "--timezone",
            "America/Chicago",
        ).status
        == 0
    )


@pytest.fixture
def dana(desk):
    """A Denver prospect with a direct line and an email; test files may define their own."""
    return desk.add_prospect(
        first_name="Dana",
        last_name="Whitfield",
        company="Mesa Dental",
        email="dana@mesa.example",
        phone="(505) 828-1788",
        tags="dental",
    )
