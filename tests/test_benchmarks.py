"""The benchmark scripts run and print their tables (they time nothing for the tests)."""

import importlib.util
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs scripts: the whole suite only, not the fast lane

SCRIPT = Path(__file__).parent.parent / "benchmarks" / "bench_vs_sklearn.py"


def test_benchmark_prints_a_row_per_configuration_with_matching_accuracies():
    # Both libraries do the same work from the same weights; float32 summation
    # order may move an accuracy in the third decimal.
    result = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--pairs", "1"],
                            capture_output=True, text=True, check=True, timeout=300)
    rows = [line for line in result.stdout.splitlines()
            if line.startswith("| ") and not line.startswith("| configuration")]
    assert len(rows) == 11
    for row in rows:
        sklearn_accuracy, ours_accuracy = re.search(
            r"\| ([\d.]+) / ([\d.]+) \|$", row).groups()
        assert abs(float(sklearn_accuracy) - float(ours_accuracy)) <= 0.01, row


def test_array_api_benchmark_prints_every_row_it_can_run_for_each_configuration():
    result = subprocess.run(
        [sys.executable, str(SCRIPT.parent / "bench_array_api.py"), "--quick", "--rounds", "1",
         "--rows", "400", "--large-rows", "2048"],
        capture_output=True, text=True, check=True, timeout=300)
    tables = re.findall(r"^\| row \|.*?(?=^$|\Z)", result.stdout, re.M | re.S)
    assert len(tables) == 6
    expected = ["sklearn", "skxor numpy"]
    if importlib.util.find_spec("torch"):
        expected += ["skxor torch:cpu", "torch loop cpu"]
    for table in tables:
        labels = [line.split("|")[1].strip() for line in table.splitlines()[2:]]
        assert labels[:len(expected)] == expected


def test_training_benchmark_prints_the_dtype_and_the_schedule_tables():
    result = subprocess.run([sys.executable, str(SCRIPT.parent / "bench_training.py"),
                             "--quick"], capture_output=True, text=True, check=True,
                            timeout=300)
    fits = re.findall(r"^\| (skxor, [^|]+|MLPClassifier, float64) \| [\d.]+ \| ([\d.]+)x \|",
                      result.stdout, re.M)
    assert [name.strip() for name, _ in fits] == [
        "skxor, float64 (X's dtype)", 'skxor, dtype="float32"', "MLPClassifier, float64"]
    problems = re.findall(r"^\| (digits|synthetic)[^|]*((?:\| [\d.]+ \([\d.]+\)[^|]* )+)\|$",
                          result.stdout, re.M)
    assert [name for name, _ in problems] == ["digits", "synthetic"]
    assert all(cells.count("(") == 3 for _, cells in problems)


def test_quantile_benchmark_prints_coverage_and_width_of_both_models_on_both_datasets():
    result = subprocess.run([sys.executable, str(SCRIPT.parent / "bench_quantile.py"),
                             "--quick"], capture_output=True, text=True, check=True,
                            timeout=300)
    rows = re.findall(r"^(synthetic|diabetes) +(skxor MLP \(quantile\)|HistGradientBoosting "
                      r"pair) +([\d.]+) +([\d.]+)$", result.stdout, re.M)
    assert [(data, model) for data, model, _, _ in rows] == [
        (data, model) for data in ("synthetic", "diabetes")
        for model in ("skxor MLP (quantile)", "HistGradientBoosting pair")]
    assert all(0 < float(coverage) <= 1 and float(width) > 0 for *_, coverage, width in rows)


def test_serving_benchmark_prints_both_sizes_for_every_predictor():
    result = subprocess.run([sys.executable, str(SCRIPT.parent / "bench_serving.py"),
                             "--calls", "20"], capture_output=True, text=True, check=True,
                            timeout=120)
    rows = re.findall(r"^\| (1|1000) \| ([^|]+) \|", result.stdout, re.M)
    predictors = {name.strip() for _, name in rows}
    assert {"skxor", "MLPClassifier"} <= predictors
    assert len(rows) == 2 * len(predictors)


def test_profile_script_times_every_part_of_a_step():
    script = runpy.run_path(str(SCRIPT.parent / "profile_parts.py"))
    _, network, optimizer, X, target, rows, _ = next(script["configurations"]())
    parts = script["step_parts"](network, optimizer, X, target, rows, number=1)
    assert {"forward", "backward", "optimizer update", "matrix products alone"} <= set(parts)
    assert all(microseconds > 0 for microseconds in parts.values())


def test_profile_script_watches_the_speed_of_one_matrix_product(capsys):
    script = runpy.run_path(str(SCRIPT.parent / "profile_parts.py"))
    script["watch_gemm"](0.01)
    assert re.fullmatch(r"\d+ µs\n", capsys.readouterr().out)


def test_lbfgs_rounding_script_compares_fifteen_fits(capsys):
    script = runpy.run_path(str(SCRIPT.parent / "lbfgs_rounding.py"))
    names = [name for name, _ in script["datasets"]()]
    assert names == ["moons", "circles", "linearly separable"]
    _, (X_train, _, y_train, _) = next(script["datasets"]())
    ours, theirs = script["both"](0.1, 20, X_train, y_train)
    assert script["weight_difference"](ours, theirs) < 1e-9


def test_snapshot_memory_script_reports_each_epochs_peak():
    pytest.importorskip("sklearn.callback", reason="callbacks need scikit-learn >= 1.9")
    result = subprocess.run([sys.executable, str(SCRIPT.parent / "snapshot_memory.py"),
                             "--epochs", "3"], capture_output=True, text=True, check=True,
                            timeout=120)
    assert len(re.findall(r"^epoch \d+: peak [\d.]+ MiB$", result.stdout, re.M)) == 3
    assert "3 epochs, 4 snapshots kept" in result.stdout
