"""The Python code of the README and of the user guide runs as a newcomer would paste it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted(page for page in (ROOT / "docs").rglob("*.md")
                                     if "_build" not in page.parts)]
BLOCKS = [(page, block) for page in PAGES
          for block in re.findall(r"^```python\n(.*?)^```", page.read_text(), re.S | re.M)]
# The blocks that stand alone; the others continue from a fitted ``clf``.
STANDALONE = list(dict.fromkeys(block for _, block in BLOCKS if "from skxor import" in block))


def run(block, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "documentation", "exec"), {"__name__": "documentation"})


def test_the_pages_have_their_standalone_examples():
    assert len(STANDALONE) == 8


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("block", [
    pytest.param(block, marks=[pytest.mark.slow] if "dask" in block else [],
                 id=block.splitlines()[0][:40])
    for block in STANDALONE if "set_callbacks" not in block])
def test_a_block_runs(block, tmp_path, monkeypatch):
    run(block, tmp_path, monkeypatch)


def test_the_callback_stops_training_at_its_target(tmp_path, monkeypatch, capsys):
    pytest.importorskip("sklearn.callback", reason="callbacks need scikit-learn >= 1.9")
    (block,) = [block for block in STANDALONE if "set_callbacks" in block]
    run(block, tmp_path, monkeypatch)
    epochs, accuracy = re.search(r"stopped after (\d+) epochs at accuracy ([\d.]+)",
                                 capsys.readouterr().out).groups()
    assert int(epochs) < 200 and float(accuracy) >= 0.99


def test_the_quantile_band_is_narrow_at_zero_and_wide_at_the_edge(tmp_path, monkeypatch,
                                                                     capsys):
    (block,) = [block for block in STANDALONE if 'loss="quantile"' in block]
    run(block, tmp_path, monkeypatch)
    narrow, wide, score = map(float, re.search(r"\[([\d.]+) +([\d.]+)\] ([-\d.]+)",
                                               capsys.readouterr().out).groups())
    assert wide > 3 * narrow and 0 < score <= 1


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_picture_a_page_shows_is_in_the_repository(page):
    for picture in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", page.read_text()):
        assert (page.parent / picture).is_file(), picture


def test_the_architecture_page_shows_rmsprop_as_the_module_holds_it():
    page = (ROOT / "docs" / "guide" / "architecture.md").read_text()
    module = (ROOT / "skxor" / "training" / "update_rules" / "rmsprop.py").read_text()
    shown = [block for block in re.findall(r"^```python\n(.*?)^```", page, re.S | re.M)
             if "class RMSProp" in block]
    assert shown == [module]
