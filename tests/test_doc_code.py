"""The Python code of the README and of the user guide runs as a newcomer would paste it."""

import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted(page for page in (ROOT / "docs").rglob("*.md")
                                     if "_build" not in page.parts)]
BLOCKS = [(page, block) for page in PAGES
          for block in re.findall(r"^```python\n(.*?)^```", page.read_text(), re.S | re.M)]
# The blocks that stand alone; the others continue from a fitted ``clf``.
STANDALONE = list(dict.fromkeys(block for _, block in BLOCKS if "from skxor import" in block))
# The blocks that need a package the tests do not install, and the test that runs each.
NEEDS_MAPIE = [block for block in STANDALONE if "from mapie" in block]
EXTRAS = re.findall(r"^```python\n(.*?)^```", (ROOT / "docs" / "guide" / "extras.md").read_text(),
                    re.S | re.M)
# The extras page's snippets continue from its first block, the setup.
EXTRAS_SETUP, EXTRAS_SNIPPETS = EXTRAS[0], [block for block in EXTRAS[1:]
                                            if "from skxor import" not in block]


def run(block, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "documentation", "exec"), {"__name__": "documentation"})


def test_the_pages_have_their_standalone_examples():
    assert len(STANDALONE) == 15


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("block", [
    pytest.param(block, marks=[pytest.mark.slow] if "dask" in block else [],
                 id=block.splitlines()[0][:40])
    for block in STANDALONE if "set_callbacks" not in block and block not in NEEDS_MAPIE])
def test_a_block_runs(block, tmp_path, monkeypatch):
    run(block, tmp_path, monkeypatch)


def feature_lines():
    """Each row of the README's table of features: its name, and its lines of code."""
    section = (ROOT / "README.md").read_text().split("## What it adds")[1].split("\n## ")[0]
    rows = re.findall(r"^\| (.+?) \| (`.+`) \|$", section, re.M)
    return [(name, [line.strip("`") for line in code.split("<br>")]) for name, code in rows]


FEATURE_ROWS = feature_lines()
NEEDS = {"Callbacks": ("sklearn.callback", "rich"), "GPUs": ("torch",),
         "Data that outgrows": ("distributed",), "ONNX": ("skl2onnx",)}
"""The optional packages a row of the table needs, by the start of its name."""


def test_the_feature_table_has_a_row_per_feature():
    assert len(FEATURE_ROWS) == 14


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("lines", [
    pytest.param(lines, marks=[pytest.mark.slow] if "outgrows" in name else [],
                 id=name.split(" (")[0][:40]) for name, lines in FEATURE_ROWS])
def test_each_line_of_the_feature_table_runs_after_its_four(lines, request):
    for prefix, modules in NEEDS.items():
        if request.node.callspec.id.startswith(prefix):
            for module in modules:
                pytest.importorskip(module)
    (setup,) = [block for block in STANDALONE if "make_moons(n_samples=200" in block]
    namespace = {"__name__": "documentation"}
    exec(compile(setup, "README", "exec"), namespace)
    code = "\n".join(lines)
    if "cuda" in code and not __import__("torch").cuda.is_available():
        code = code.replace('"cuda"', '"cpu"')  # the same line, on the machine's CPU
    if "dask" in code:
        import distributed
        from conftest import local_cluster

        with local_cluster(1) as cluster, distributed.Client(cluster):
            exec(compile(code, "README", "exec"), namespace)
    else:
        exec(compile(code, "README", "exec"), namespace)


def test_the_callback_stops_training_at_its_target(tmp_path, monkeypatch, capsys):
    pytest.importorskip("sklearn.callback", reason="callbacks need scikit-learn >= 1.9")
    (block,) = [block for block in STANDALONE if "set_callbacks" in block]
    run(block, tmp_path, monkeypatch)
    epochs, accuracy = re.search(r"stopped after (\d+) epochs at accuracy ([\d.]+)",
                                 capsys.readouterr().out).groups()
    assert int(epochs) < 200 and float(accuracy) >= 0.99


def test_the_quantile_band_is_narrow_at_zero_and_wide_at_the_edge(tmp_path, monkeypatch,
                                                                     capsys):
    (block,) = [block for block in STANDALONE
                if 'loss="quantile"' in block and block not in NEEDS_MAPIE]
    run(block, tmp_path, monkeypatch)
    narrow, wide, score = map(float, re.search(r"\[([\d.]+) +([\d.]+)\] ([-\d.]+)",
                                               capsys.readouterr().out).groups())
    assert wide > 3 * narrow and 0 < score <= 1


def test_the_mapie_recipe_covers_close_to_the_level_it_asks_for(tmp_path, monkeypatch, capsys):
    pytest.importorskip("mapie", minversion="1.0")
    (block,) = NEEDS_MAPIE
    run(block, tmp_path, monkeypatch)
    coverage = float(re.search(r"coverage ([\d.]+)", capsys.readouterr().out).group(1))
    assert 0.85 <= coverage <= 0.95


def test_the_extras_page_has_a_setup_and_its_snippets():
    assert "from skxor import" in EXTRAS_SETUP
    assert len(EXTRAS_SNIPPETS) == 19


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("snippet", EXTRAS_SNIPPETS, ids=lambda block: block.splitlines()[0][:40])
def test_each_snippet_of_the_extras_page_runs_after_its_setup(snippet, tmp_path, monkeypatch):
    if "sklearn.callback" in snippet:
        pytest.importorskip("sklearn.callback", reason="callbacks need scikit-learn >= 1.9")
        pytest.importorskip("rich")
    run(EXTRAS_SETUP + snippet, tmp_path, monkeypatch)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_picture_a_page_shows_is_in_the_repository(page):
    text = page.read_text()
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text) + re.findall(
        r"^```\{figure\} (\S+)$", text, re.M)
    for picture in pictures:
        assert (page.parent / picture).is_file(), picture


def test_the_tabular_onnx_graph_predicts_what_the_page_example_fitted(tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("pandas")
    page = (ROOT / "docs" / "guide" / "tabular.md").read_text()
    example, onnx_block = re.findall(r"^```python\n(.*?)^```", page, re.S | re.M)
    namespace = {"__name__": "documentation"}
    monkeypatch.chdir(tmp_path)
    for block in (example, onnx_block):
        exec(compile(block, "documentation", "exec"), namespace)
    clf, table = namespace["clf"], namespace["table"]
    np.testing.assert_array_equal(namespace["labels"], clf.predict(table))
    np.testing.assert_allclose(namespace["probabilities"], clf.predict_proba(table), atol=1e-5)


def test_the_architecture_page_shows_rmsprop_as_the_module_holds_it():
    page = (ROOT / "docs" / "guide" / "architecture.md").read_text()
    module = (ROOT / "skxor" / "training" / "update_rules" / "rmsprop.py").read_text()
    shown = [block for block in re.findall(r"^```python\n(.*?)^```", page, re.S | re.M)
             if "class RMSProp" in block]
    assert shown == [module]
