"""The Getting-started tutorial (docs/getting_started.md) runs as written and prints what it shows.

Its Python blocks run in order, in one namespace, as a reader pastes them into one session;
the ``text`` block that follows a Python block is what that block prints.

The comparison is exact for words and loose for numbers. The fits are deterministic on one
machine, where the output matches the page to the character; but another BLAS sums in another
order, and over hundreds of epochs that can move a test row across the decision boundary or a
stopping epoch by a few. So every number printed must be within 0.02 (one or two of the 143
test rows, in an accuracy) or 2 % (a few epochs in a few hundred) of the number shown, and
everything between the numbers must be the same text. The page rounds what it prints (scores
to three decimals, probabilities to two) so that the text around the numbers is stable.

It fits about forty networks, so it runs with the whole suite, not in the fast lane.
"""

import contextlib
import io
import math
import re
import warnings
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PAGE = Path(__file__).parent.parent / "docs" / "getting_started.md"
CELL = re.compile(r"^```python\n(.*?)^```\n(?:\n```text\n(.*?)^```\n)?", re.S | re.M)
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def cells():
    """Each Python block of the page, with the output shown under it ("" where none is)."""
    return [(code, shown or "") for code, shown in CELL.findall(PAGE.read_text())]


def matches(printed, shown):
    """Whether ``printed`` is ``shown`` up to numbers within 0.02 or 2 % of the page's."""
    if NUMBER.split(printed) != NUMBER.split(shown):
        return False
    return all(math.isclose(float(ours), float(page), rel_tol=0.02, abs_tol=0.02)
               for ours, page in zip(NUMBER.findall(printed), NUMBER.findall(shown),
                                     strict=True))


def run(code, namespace):
    """Run one block in ``namespace``: what it printed, and every warning it raised."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), warnings.catch_warnings(record=True) as raised:
        warnings.simplefilter("always")
        exec(compile(code, str(PAGE), "exec"), namespace)
    return printed.getvalue(), raised


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Each block's code, the output the page shows, what it printed, and its warnings."""
    namespace = {"__name__": "tutorial"}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path_factory.mktemp("tutorial"))
        return [(code, shown, *run(code, namespace)) for code, shown in cells()]


def test_every_python_block_of_the_page_is_run():
    assert len(cells()) == PAGE.read_text().count("```python\n") > 0


@pytest.mark.parametrize("index", range(len(cells())))
def test_each_block_prints_what_the_page_shows(runs, index):
    code, shown, printed, _ = runs[index]
    assert matches(printed, shown), f"{code}\nprinted:\n{printed}\nthe page shows:\n{shown}"


def test_the_page_quotes_every_warning_its_code_raises(runs):
    page = PAGE.read_text()
    raised = [f"{warning.category.__name__}: {warning.message}"
              for *_, warnings_of_block in runs for warning in warnings_of_block]
    assert raised, "the page explains a ConvergenceWarning that no longer happens"
    for warning in raised:
        assert f"> {warning}" in page, warning


def test_a_changed_word_or_a_distant_number_does_not_match():
    shown = "scaled: 267 epochs, test accuracy 0.958\n"
    assert matches("scaled: 270 epochs, test accuracy 0.951\n", shown)
    assert not matches("scaled: 267 epochs, test loss 0.958\n", shown)
    assert not matches("scaled: 267 epochs, test accuracy 0.930\n", shown)
    assert not matches("scaled: 290 epochs, test accuracy 0.958\n", shown)
