"""Fixtures of the core's tests: a command run on the test's database, and a rep."""

import io

import pytest
from cli_runs import Run

from callassist.cli import main


@pytest.fixture
def cli(db_location, clock):
    def run(*argv: str) -> Run:
        out, err = io.StringIO(), io.StringIO()
        status = main(["--db", str(db_location), *argv], clock=clock, out=out, err=err)
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
