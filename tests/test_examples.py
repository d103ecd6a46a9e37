"""Every example runs as a user runs it, shows what it says it shows, and leaves nothing behind.

A test runs ``python examples/SECTION/plot_NAME.py`` in an empty directory with matplotlib's
backend set to ``figure_saving_backend``: where a user's ``plt.show()`` opens a window, it
saves ``figure_1.png``, ``figure_2.png``, ... there. A run prints no warning and no path of
this machine, and writes no other file. The gallery's structure (sections, titles, text
between cells, no command-line options) is checked without running anything.
"""

import ast
import contextlib
import importlib.util
import math
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn_version import SKLEARN_VERSION

TESTS = Path(__file__).parent
EXAMPLES = TESTS.parent / "examples"
ALL_EXAMPLES = sorted(path.relative_to(EXAMPLES).as_posix() for path in EXAMPLES.rglob("*.py"))

# Examples whose fits run in other processes: scikit-learn passes the caller's
# warning filters on to its workers from 1.7 on, so before that the workers
# print the ConvergenceWarnings that the example silenced.
IN_WORKERS = {"scale/plot_1_dask_grid_search.py"}


def run_example(name, tmp_path):
    """Run one example; return what it printed and the pictures it showed."""
    environment = dict(os.environ, MPLBACKEND="module://figure_saving_backend",
                       PYTHONPATH=os.pathsep.join(filter(None, [
                           str(TESTS), os.environ.get("PYTHONPATH")])))
    result = subprocess.run([sys.executable, str(EXAMPLES / name)], cwd=tmp_path,
                            env=environment, capture_output=True, text=True,
                            timeout=300, check=True)
    if SKLEARN_VERSION >= (1, 7) or name not in IN_WORKERS:
        assert result.stderr == ""
    for machine_path in (str(tmp_path), str(EXAMPLES.parent), sys.prefix):
        assert machine_path not in result.stdout
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == [f"figure_{n}.png" for n in range(1, len(written) + 1)]
    return result.stdout, [tmp_path / picture for picture in written]


def numbers_after(label, text):
    return [float(value) for value in re.findall(rf"{label}\s*\[?([-\d.e]+)", text)]


def assert_are_real_pictures(paths, count):
    import matplotlib.image

    assert len(paths) == count
    for path in paths:
        pixels = matplotlib.image.imread(path)
        assert pixels.shape[0] > 300 and pixels.shape[1] > 500
        distinct_colours = np.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0)
        assert len(distinct_colours) > 50


# The gallery's structure


def _load_docs_conf():
    spec = importlib.util.spec_from_file_location("skxor_docs_conf",
                                                  TESTS.parent / "docs" / "conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_section_has_a_header_and_a_place_in_the_gallery_order():
    sections = sorted(path.name for path in EXAMPLES.iterdir() if path.is_dir()
                      and path.name != "__pycache__")
    assert sorted(_load_docs_conf().GALLERY_SECTIONS) == sections
    for section in sections:
        assert (EXAMPLES / section / "GALLERY_HEADER.rst").is_file(), section
    assert not list(EXAMPLES.glob("*.py")), "an example belongs in a section"


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_an_example_reads_no_command_line_options(name):
    source = (EXAMPLES / name).read_text()
    assert "argparse" not in source and "sys.argv" not in source


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_an_example_is_a_titled_notebook_with_text_before_each_cell(name):
    source = (EXAMPLES / name).read_text()
    title, underline, *_ = ast.get_docstring(ast.parse(source)).splitlines()
    assert len(underline) == len(title) and set(underline) == {"="}, name
    cells = source.split("\n# %%\n")[1:]
    assert len(cells) >= 3, name
    for cell in cells:
        assert cell.startswith("# "), f"{name}: a cell without text before its code"


def test_an_example_is_named_for_its_place_in_its_section():
    for name in ALL_EXAMPLES:
        assert re.fullmatch(r"[a-z_]+/plot_\d_[a-z0-9_]+\.py", name), name


# Getting started


@pytest.mark.slow
def test_first_classifier_gets_mlpclassifiers_fold_scores_and_draws_two_pictures(tmp_path):
    output, pictures = run_example("getting_started/plot_1_first_classifier.py", tmp_path)
    assert_are_real_pictures(pictures, 2)
    assert numbers_after("test accuracy:", output)[0] > 0.9
    folds = dict(re.findall(r"(\w+): fold accuracies (\[.*\])", output))
    assert folds["MLPBackpropClassifier"] == folds["MLPClassifier"]


@pytest.mark.slow
def test_decision_regions_need_four_units_for_xor_and_more_for_the_moons(tmp_path):
    output, pictures = run_example("getting_started/plot_2_decision_regions.py", tmp_path)
    assert_are_real_pictures(pictures, 1)
    accuracy = {(name, int(units)): float(score) for name, units, score in re.findall(
        r"(XOR|two moons),\s+(\d+) hidden units: training accuracy ([\d.]+)", output)}
    assert accuracy[("XOR", 1)] < 1 and accuracy[("XOR", 4)] == 1
    assert accuracy[("two moons", 16)] > accuracy[("two moons", 1)]


@pytest.mark.slow
def test_grid_search_ranks_the_grid_and_draws_its_heat_map(tmp_path):
    output, pictures = run_example("getting_started/plot_3_grid_search.py", tmp_path)
    assert_are_real_pictures(pictures, 1)
    assert len(re.findall(r"^\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+ ± ", output, re.M)) == 25
    assert numbers_after("held-out accuracy", output)[0] >= 0.85


@pytest.mark.slow
def test_tabular_estimators_fit_a_raw_table_and_predict_an_unseen_level(tmp_path):
    output, pictures = run_example("getting_started/plot_4_tables.py", tmp_path)
    assert_are_real_pictures(pictures, 2)
    accuracy = numbers_after("test accuracy:", output)[0]
    assert accuracy > numbers_after("always predicting 'stays':", output)[0]
    assert 0 < numbers_after(r"P\(churn\) of the new customer:", output)[0] < 1
    assert numbers_after("test R²:", output)[0] > 0.5


# The XOR notebooks' networks


@pytest.mark.slow
def test_trask_network_predicts_xor_and_gets_each_left_out_row_wrong(tmp_path):
    output, pictures = run_example("xor_notebooks/plot_1_trask_network.py", tmp_path)
    assert_are_real_pictures(pictures, 1)
    predictions = numbers_after("predicted", output)
    assert [round(p) for p in predictions] == [0, 1, 1, 0]
    left_out = re.findall(r"without \[\d, \d\]: predicts (\d), XOR is (\d)", output)
    assert len(left_out) == 4 and all(guess != xor for guess, xor in left_out)


@pytest.mark.slow
def test_gradient_check_starts_at_the_notebooks_loss_and_trains(tmp_path):
    output, pictures = run_example("xor_notebooks/plot_2_gradient_check.py", tmp_path)
    assert_are_real_pictures(pictures, 1)
    assert "Starting loss: 0.12519375208599626" in output
    assert "PASSED: 9 of 9 parameters" in output
    losses = [float(line) for line in output.splitlines()
              if re.fullmatch(r"\s+\d\.\d+(e-\d+)?", line)]
    assert len(losses) == 10 and losses == sorted(losses, reverse=True)
    assert "A2 = [0.984 0.985 0.012 0.011]" in output


@pytest.mark.slow
def test_deeper_networks_learn_xor_at_every_depth(tmp_path):
    output, pictures = run_example("xor_notebooks/plot_3_deeper_networks.py", tmp_path)
    assert_are_real_pictures(pictures, 1)
    outputs = numbers_after("output", output)
    assert [round(p) for p in outputs] == [0, 1, 1, 0] * 3


@pytest.mark.slow
def test_loss_curves_show_that_linear_units_never_learn_xor(tmp_path):
    output, pictures = run_example("xor_notebooks/plot_4_loss_curves.py", tmp_path)
    assert_are_real_pictures(pictures, 1)
    identity_loss = numbers_after(r"identity \(sgd\): final loss", output)[0]
    assert identity_loss == pytest.approx(math.log(2), abs=1e-3)
    assert numbers_after(r"lbfgs \(tanh\): final loss", output)[0] < 1e-6


# Training


@pytest.mark.slow
def test_lr_schedules_example_plots_five_schedules_that_all_learn(tmp_path):
    output, pictures = run_example("training/plot_1_lr_schedules.py", tmp_path)
    assert_are_real_pictures(pictures, 1)
    final = dict(re.findall(r"^(.+?): \d+ epochs, final validation loss ([\d.]+)", output,
                            re.M))
    assert list(final) == ["constant (lr_schedule=None)", "cosine", "cosine, warmup=5",
                           "plateau (n_iter_no_change=3)", "callable: halve every 15 epochs"]
    assert all(float(loss) < 0.15 for loss in final.values()), final


@pytest.mark.slow
def test_dropout_example_keeps_the_validation_loss_lower(tmp_path):
    output, pictures = run_example("training/plot_2_dropout.py", tmp_path)
    assert_are_real_pictures(pictures, 1)
    final = dict(re.findall(r"dropout=([\d.]+): final validation loss ([\d.]+)", output))
    assert float(final["0.5"]) < float(final["0.0"])


@pytest.mark.slow
def test_progress_bars_print_whole_and_training_stops_at_the_target(tmp_path):
    pytest.importorskip("rich")
    pytest.importorskip("sklearn.callback")
    output, pictures = run_example("training/plot_3_progress_bars.py", tmp_path)
    assert_are_real_pictures(pictures, 1)
    assert len(re.findall(r"random start #\d .* 100%", output)) == 3
    cv_fits = re.findall(r"candidate-split-evaluation \| MLPBackpropClassifier - fit #\d .* 100%",
                         output)
    assert len(cv_fits) == 6 and "…" not in output
    accuracies = numbers_after("training accuracy", output)
    stopped_after = int(numbers_after("stopped after", output)[0])
    assert accuracies[-1] >= 0.99 > accuracies[-2] and stopped_after < 200


# Regression and intervals


@pytest.mark.slow
def test_robust_losses_stay_near_the_curve_despite_the_outliers(tmp_path):
    output, pictures = run_example("regression/plot_1_robust_losses.py", tmp_path)
    assert_are_real_pictures(pictures, 1)
    off = {name.strip(): float(value) for name, value in re.findall(
        r"^\s*(.+?): mean distance to the true curve ([\d.]+)$", output, re.M)}
    assert len(off) == 4
    for robust in ("absolute_error", "huber (threshold 0.5)"):
        assert off[robust] < off["squared_error"] / 2, off


@pytest.mark.slow
def test_quantile_band_covers_about_90_percent_and_widens_with_the_noise(tmp_path):
    output, pictures = run_example("regression/plot_2_quantile_band.py", tmp_path)
    assert_are_real_pictures(pictures, 1)
    coverage = re.search(r"coverage of fresh points: ([\d.]+) \(\|x\| < 0.5: ([\d.]+), "
                         r"\|x\| > 2.5: ([\d.]+)\)", output)
    overall, centre, edges = map(float, coverage.groups())
    assert abs(overall - 0.90) < 0.03 and abs(centre - 0.90) < 0.05 and abs(edges - 0.90) < 0.05
    widths = re.search(r"mean band width: \|x\| < 0.5: ([\d.]+), \|x\| > 2.5: ([\d.]+)",
                       output)
    narrow, wide = map(float, widths.groups())
    assert wide > 3 * narrow


# Scale


@pytest.fixture
def dask_dashboard_default_port_taken():
    """Port 8787, Dask's default dashboard port, held on loopback as another cluster would.

    If something already holds it, it stays taken all the same.
    """
    with socket.socket() as holder:
        with contextlib.suppress(OSError):
            holder.bind(("127.0.0.1", 8787))
            holder.listen()
        yield


@pytest.mark.slow
@pytest.mark.dask
@pytest.mark.usefixtures("dask_dashboard_default_port_taken")
def test_dask_grid_search_matches_the_serial_scores(tmp_path):
    """Also while another service holds Dask's default dashboard port: no warning."""
    pytest.importorskip("distributed")
    output, pictures = run_example("scale/plot_1_dask_grid_search.py", tmp_path)
    assert_are_real_pictures(pictures, 1)
    assert re.search(r"serial \(n_jobs=1\): 30 fits in [\d.]+ s", output)
    assert re.search(r"dask \(2 workers\): 30 fits in [\d.]+ s", output)
    assert "same CV scores as the serial run: True" in output


# Deployment


@pytest.mark.slow
def test_onnx_export_predicts_what_skxor_predicts(tmp_path):
    pytest.importorskip("skl2onnx")
    pytest.importorskip("onnxruntime")
    output, pictures = run_example("deployment/plot_1_onnx_export.py", tmp_path)
    assert_are_real_pictures(pictures, 1)
    assert "labels agree on 450 of 450 test digits" in output
    assert numbers_after("largest probability difference:", output)[0] < 1e-5
    assert "float64 graph: labels agree on 450 of 450" in output
    assert numbers_after("float64 graph: .* largest probability difference", output)[0] < 1e-12
