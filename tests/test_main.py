"""`python -m skxor`, the demo a new user runs first."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def demo_output():
    result = subprocess.run([sys.executable, "-m", "skxor"], capture_output=True,
                            text=True, check=True, timeout=120)
    assert result.stderr == ""
    return result.stdout


def test_demo_solves_xor_with_every_seed_network(demo_output):
    predicted = re.findall(r"-> class (\d)", demo_output)
    assert predicted == ["0", "1", "1", "0"] * 3


def test_demo_reports_epochs_and_final_loss_of_each_network(demo_output):
    assert re.findall(r"epochs: (\d+)", demo_output)[:2] == ["60000", "1000"]
    assert len(re.findall(r"final loss: \d\.\d+", demo_output)) == 3


def test_demo_grid_search_generalises(demo_output):
    accuracy = float(re.search(r"held-out accuracy of the best pipeline: ([\d.]+)",
                               demo_output).group(1))
    assert accuracy >= 0.9
    assert len(re.findall(r"rank \d+:", demo_output)) == 6


def test_demo_shows_the_one_line_import_swap(demo_output):
    assert "from skxor import MLPBackpropClassifier as MLPClassifier" in demo_output


def test_demo_says_what_xor_asks_of_a_network(demo_output):
    (line,) = [line for line in demo_output.splitlines() if line.startswith("1. XOR")]
    assert "exactly one" in line and "hidden layer" in line


def test_demo_ends_with_where_to_go_next(demo_output):
    last_lines = demo_output.splitlines()[-2:]
    assert last_lines[0].startswith("Next: the Getting-started tutorial, docs/getting_started.md")
    assert last_lines[1].startswith("done in")


def pages_named(line):
    """The documentation pages a line names, as paths under docs/ (``guide/index.md``)."""
    return re.findall(r"docs/([\w/]+\.(?:md|rst))\b", line)


def test_demo_points_where_the_tutorial_ends(demo_output):
    docs = ROOT / "docs"
    tutorial = (docs / "getting_started.md").read_text()
    next_steps = set(re.findall(r"\]\(([^)#]+)", tutorial.split("## Where to go next")[1]))
    (pointer,) = [line for line in demo_output.splitlines() if line.startswith("Next:")]
    named = pages_named(pointer)
    assert named[0] == "getting_started.md" and len(named) > 1
    for page in named:
        assert (docs / page).is_file(), page
    assert set(named[1:]) <= next_steps


def test_demo_says_that_it_silences_convergence_warnings(demo_output):
    assert "ConvergenceWarning), which the demo silences" in demo_output
