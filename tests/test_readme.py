"""The README's Python code runs as a newcomer would paste it."""

import re
from pathlib import Path

import pytest

README = (Path(__file__).parent.parent / "README.md").read_text()
BLOCKS = re.findall(r"^```python\n(.*?)^```", README, re.S | re.M)
# The blocks that stand alone; the others continue from a fitted ``clf``.
STANDALONE = [block for block in BLOCKS if "from skxor import" in block]


def run(block, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "README.md", "exec"), {"__name__": "readme"})


def test_the_readme_has_its_standalone_examples():
    assert len(STANDALONE) == 8


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("block", [block for block in STANDALONE
                                   if "set_callbacks" not in block],
                         ids=lambda block: block.splitlines()[0][:40])
def test_readme_block_runs(block, tmp_path, monkeypatch):
    run(block, tmp_path, monkeypatch)


def test_readme_callback_stops_training_at_its_target(tmp_path, monkeypatch, capsys):
    pytest.importorskip("sklearn.callback", reason="callbacks need scikit-learn >= 1.9")
    (block,) = [block for block in STANDALONE if "set_callbacks" in block]
    run(block, tmp_path, monkeypatch)
    epochs, accuracy = re.search(r"stopped after (\d+) epochs at accuracy ([\d.]+)",
                                 capsys.readouterr().out).groups()
    assert int(epochs) < 200 and float(accuracy) >= 0.99


def test_readme_quantile_band_is_narrow_at_zero_and_wide_at_the_edge(tmp_path, monkeypatch,
                                                                     capsys):
    (block,) = [block for block in STANDALONE if 'loss="quantile"' in block]
    run(block, tmp_path, monkeypatch)
    narrow, wide, score = map(float, re.search(r"\[([\d.]+) +([\d.]+)\] ([-\d.]+)",
                                               capsys.readouterr().out).groups())
    assert wide > 3 * narrow and 0 < score <= 1


def test_every_picture_the_readme_shows_is_in_the_repository():
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert pictures
    for picture in pictures:
        assert (Path(__file__).parent.parent / picture).is_file(), picture
