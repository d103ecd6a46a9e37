"""Every example runs as a user would run it, and shows what it says it shows."""

import contextlib
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

pytestmark = pytest.mark.slow  # runs scripts: the whole suite only, not the fast lane

EXAMPLES = Path(__file__).parent.parent / "examples"


# Examples whose fits run in joblib workers: scikit-learn passes the caller's
# warning filters on to its workers from 1.7 on, so before that the workers
# print the ConvergenceWarnings that the example silenced.
IN_WORKERS = {"grid_search.py", "distributed_grid_search.py"}


def run_example(name, tmp_path, *args):
    environment = dict(os.environ, MPLBACKEND="Agg")
    result = subprocess.run([sys.executable, str(EXAMPLES / name), *args], cwd=tmp_path,
                            env=environment, capture_output=True, text=True,
                            timeout=300, check=True)
    if SKLEARN_VERSION >= (1, 7) or name not in IN_WORKERS:
        assert result.stderr == ""
    return result.stdout


def numbers_after(label, text):
    return [float(value) for value in re.findall(rf"{label}\s*\[?([-\d.e]+)", text)]


def assert_is_a_real_picture(path):
    import matplotlib.image

    pixels = matplotlib.image.imread(path)
    assert pixels.shape[0] > 300 and pixels.shape[1] > 500
    distinct_colours = np.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0)
    assert len(distinct_colours) > 50


def test_xor_trask_predicts_xor_and_works_exercise_4(tmp_path):
    output = run_example("xor_trask.py", tmp_path)
    predictions = numbers_after("predicted", output)
    assert [round(p) for p in predictions] == [0, 1, 1, 0]
    assert len(re.findall(r"without \[\d, \d\]: predicts \d, XOR is \d", output)) == 4


def test_xor_gradient_check_starts_at_the_notebooks_loss_and_trains(tmp_path):
    output = run_example("xor_gradient_check.py", tmp_path)
    assert "Starting loss: 0.12519375208599626" in output
    assert "PASSED: 9 of 9 parameters" in output
    losses = [float(line) for line in output.splitlines()
              if re.fullmatch(r"\s+\d\.\d+(e-\d+)?", line)]
    assert len(losses) == 10 and losses == sorted(losses, reverse=True)
    assert "A2 = [0.984 0.985 0.012 0.011]" in output


def test_xor_layers_learns_xor_at_every_depth(tmp_path):
    output = run_example("xor_layers.py", tmp_path)
    outputs = numbers_after("output", output)
    assert [round(p) for p in outputs] == [0, 1, 1, 0] * 3


def test_plot_loss_curve_writes_a_picture_and_shows_linear_units_fail(tmp_path):
    output = run_example("plot_loss_curve.py", tmp_path, "--out", "curve.png")
    assert_is_a_real_picture(tmp_path / "curve.png")
    identity_loss = numbers_after(r"identity \(sgd\): final loss", output)[0]
    assert identity_loss == pytest.approx(math.log(2), abs=1e-3)
    assert numbers_after(r"lbfgs \(tanh\): final loss", output)[0] < 1e-6


def test_dropout_example_keeps_the_validation_loss_lower(tmp_path):
    output = run_example("plot_dropout.py", tmp_path, "--out", "dropout.png")
    assert_is_a_real_picture(tmp_path / "dropout.png")
    final = dict(re.findall(r"dropout=([\d.]+): final validation loss ([\d.]+)", output))
    assert float(final["0.5"]) < float(final["0.0"])


def test_lr_schedules_example_plots_five_schedules_that_all_learn(tmp_path):
    output = run_example("plot_lr_schedules.py", tmp_path, "--out", "lr_schedules.png")
    assert_is_a_real_picture(tmp_path / "lr_schedules.png")
    final = dict(re.findall(r"^(.+?): \d+ epochs, final validation loss ([\d.]+)", output,
                            re.M))
    assert list(final) == ["constant (lr_schedule=None)", "cosine", "cosine, warmup=5",
                           "plateau (n_iter_no_change=3)", "callable: halve every 15 epochs"]
    assert all(float(loss) < 0.15 for loss in final.values()), final


def test_quantile_band_example_covers_about_90_percent_and_widens_with_the_noise(tmp_path):
    output = run_example("plot_quantile_band.py", tmp_path, "--out", "quantile_band.png")
    assert_is_a_real_picture(tmp_path / "quantile_band.png")
    coverage = re.search(r"coverage of fresh points: ([\d.]+) \(\|x\| < 0.5: ([\d.]+), "
                         r"\|x\| > 2.5: ([\d.]+)\)", output)
    overall, centre, edges = map(float, coverage.groups())
    assert abs(overall - 0.90) < 0.03 and abs(centre - 0.90) < 0.05 and abs(edges - 0.90) < 0.05
    widths = re.search(r"mean band width: \|x\| < 0.5: ([\d.]+), \|x\| > 2.5: ([\d.]+)",
                       output)
    narrow, wide = map(float, widths.groups())
    assert wide > 3 * narrow


def test_regression_example_shows_robust_losses_ignoring_outliers(tmp_path):
    output = run_example("regression.py", tmp_path, "--out", "regression.png")
    assert_is_a_real_picture(tmp_path / "regression.png")
    off = {name.strip(): float(value) for name, value in re.findall(
        r"^\s*(.+?): mean distance to the true curve ([\d.]+)$", output, re.M)}
    assert len(off) == 4
    for robust in ("absolute_error", "huber (threshold 0.5)"):
        assert off[robust] < off["squared_error"] / 2, off


def test_plot_decision_boundary_writes_a_picture_of_growing_capacity(tmp_path):
    output = run_example("plot_decision_boundary.py", tmp_path, "--out", "regions.png")
    assert_is_a_real_picture(tmp_path / "regions.png")
    accuracy = {(name, int(units)): float(score) for name, units, score in re.findall(
        r"(XOR|two moons),\s+(\d+) hidden units: training accuracy ([\d.]+)", output)}
    assert accuracy[("XOR", 1)] < 1 and accuracy[("XOR", 4)] == 1
    assert accuracy[("two moons", 16)] > accuracy[("two moons", 1)]


def test_grid_search_ranks_the_grid_and_draws_its_heat_map(tmp_path):
    output = run_example("grid_search.py", tmp_path, "--out", "heat.png")
    assert_is_a_real_picture(tmp_path / "heat.png")
    assert len(re.findall(r"^\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+ ± ", output, re.M)) == 25
    assert numbers_after("held-out accuracy", output)[0] >= 0.85


def test_progress_bar_draws_nested_bars_and_stops_at_the_target(tmp_path):
    pytest.importorskip("rich")
    pytest.importorskip("sklearn.callback")
    output = run_example("progress_bar.py", tmp_path)
    assert len(re.findall(r"random start #\d .* 100%", output)) == 3
    assert output.count("candidate-split-evaluation | MLPBackpropClassifier") == 6
    accuracies = numbers_after("training accuracy", output)
    stopped_after = int(numbers_after("stopped after", output)[0])
    assert accuracies[-1] >= 0.99 > accuracies[-2] and stopped_after < 200


def test_pictures_go_next_to_the_script_by_default(tmp_path):
    script = tmp_path / "plot_loss_curve.py"
    script.write_text((EXAMPLES / "plot_loss_curve.py").read_text())
    subprocess.run([sys.executable, str(script)], cwd=tmp_path / "..", check=True,
                   env=dict(os.environ, MPLBACKEND="Agg"), capture_output=True)
    assert_is_a_real_picture(tmp_path / "loss_curve.png")
    assert "examples/*.png" in (EXAMPLES.parent / ".gitignore").read_text()


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


@pytest.mark.dask
@pytest.mark.usefixtures("dask_dashboard_default_port_taken")
def test_distributed_grid_search_matches_the_serial_scores(tmp_path):
    """Also while another service holds Dask's default dashboard port: no warning."""
    pytest.importorskip("distributed")
    output = run_example("distributed_grid_search.py", tmp_path)
    assert re.search(r"serial \(n_jobs=1\): 80 fits in [\d.]+ s", output)
    assert re.search(r"dask \(2 workers at tcp://127\.0\.0\.1:\d+\): 80 fits", output)
    assert "same CV scores as the serial run: True" in output
