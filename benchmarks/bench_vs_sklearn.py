"""Side-by-side speed of MLPBackpropClassifier and sklearn's MLPClassifier.

Both estimators get the same data, parameters and epoch counts (tol=0 and
n_iter_no_change=max_iter, so neither stops early), and are timed alternately,
A B A B, in one process. For each configuration the table gives both medians,
the median of the per-pair ratios ours/sklearn, our achieved GFLOP/s and its
fraction of NumPy's GEMM throughput on the same shapes measured in the same
run, the peak memory each allocates (tracemalloc), and both training
accuracies, so that a speed-up that learns less shows.

Run: python benchmarks/bench_vs_sklearn.py [--quick] [--pairs N]
"""

import argparse
import gc
import platform
import statistics
import time
import tracemalloc
import warnings
from dataclasses import dataclass, field

import numpy as np
import sklearn
from sklearn.datasets import load_digits, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

import skxor
from skxor import MLPBackpropClassifier


@dataclass
class Case:
    """One benchmark configuration."""

    name: str
    X: np.ndarray
    y: np.ndarray
    params: dict
    per: str = "fit"          # "fit", "pass" (divide by epochs) or "predict_proba"
    predict_X: np.ndarray | None = None
    epochs: int = field(init=False)

    def __post_init__(self):
        self.epochs = self.params.get("max_iter", 200)


def xor_case(passes):
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([0, 1, 1, 0])
    return Case("XOR full-batch sgd h4, per pass", X, y,
                dict(hidden_layer_sizes=(4,), solver="sgd", learning_rate_init=0.1,
                     max_iter=passes), per="pass")


def wide_cases(n_samples, epochs):
    X, y = make_classification(n_samples=n_samples, n_features=100, n_informative=60,
                               n_classes=10, random_state=0)
    cases = []
    for hidden in [(100,), (256, 256)]:
        for dtype in (np.float64, np.float32):
            cases.append(Case(
                f"{n_samples}x100, 10 classes, adam b200 h{hidden}, {np.dtype(dtype).name}",
                X.astype(dtype), y,
                dict(hidden_layer_sizes=hidden, solver="adam", batch_size=200,
                     max_iter=epochs)))
    return cases


def digits_cases(epochs, lbfgs_iterations):
    X, y = load_digits(return_X_y=True)
    X = X / 16
    return [
        Case("digits sgd b32 h100", X, y,
             dict(hidden_layer_sizes=(100,), solver="sgd", batch_size=32,
                  learning_rate_init=0.01, max_iter=epochs)),
        Case("digits lbfgs h100", X, y,
             dict(hidden_layer_sizes=(100,), solver="lbfgs", max_iter=lbfgs_iterations)),
    ]


def predict_case(n_rows):
    X, y = make_classification(n_samples=2000, n_features=100, n_informative=60,
                               n_classes=10, random_state=0)
    rows = np.random.RandomState(0).normal(size=(n_rows, 100))
    return Case(f"predict_proba on {n_rows:,} rows, h100", X, y,
                dict(hidden_layer_sizes=(100,), max_iter=5), per="predict_proba",
                predict_X=rows)


def make_estimator(cls, case):
    params = dict(tol=0.0, n_iter_no_change=case.epochs, random_state=0) | case.params
    return cls(**params)


def run_once(cls, case, fitted=None):
    """Do the work of a case once; return the fitted model."""
    if case.per == "predict_proba":
        fitted.predict_proba(case.predict_X)
        return fitted
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return make_estimator(cls, case).fit(case.X, case.y)


def timed(cls, case, fitted=None):
    """Seconds (per pass for "pass" cases) and the model of one run."""
    gc.collect()
    start = time.perf_counter()
    model = run_once(cls, case, fitted)
    seconds = time.perf_counter() - start
    return (seconds / case.epochs if case.per == "pass" else seconds), model


def peak_memory(cls, case, fitted=None):
    """Peak bytes allocated during one run, traced apart from the timed runs.

    tracemalloc slows every allocation, so it never runs while timing.
    """
    gc.collect()
    tracemalloc.start()
    run_once(cls, case, fitted)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def training_flops(case, model):
    """Floating-point operations of the work timed, from the layer shapes."""
    weights = sum(coef.size for coef in model.coefs_)
    if case.per == "predict_proba":
        return 2 * len(case.predict_X) * weights
    first_layer = model.coefs_[0].size
    # forward 2nP, weight gradients 2nP, deltas 2n(P - first layer)
    per_epoch = len(case.X) * (6 * weights - 2 * first_layer)
    if case.per == "pass":
        return None  # four rows: the time is Python overhead, not arithmetic
    n_passes = model.n_iter_ if case.params.get("solver") != "lbfgs" else None
    return per_epoch * n_passes if n_passes else None


def gemm_gflops(case, model, repeats=5):
    """NumPy matmul throughput on the forward shapes of this case."""
    dtype = case.X.dtype
    batch = {"predict_proba": 200_000, "pass": len(case.X)}.get(
        case.per, case.params.get("batch_size", min(200, len(case.X))))
    batch = min(batch, 20_000)
    operands = [(np.ones((batch, coef.shape[0]), dtype), np.ones(coef.shape, dtype))
                for coef in model.coefs_]
    flops = sum(2 * batch * b.shape[0] * b.shape[1] for _, b in operands)
    best = min(_time(lambda: [a @ b for a, b in operands]) for _ in range(repeats))
    return flops / best / 1e9


def _time(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def run_case(case, pairs):
    """Alternate sklearn and skxor; return the table row's figures."""
    estimators = (MLPClassifier, MLPBackpropClassifier)
    fitted = {}
    if case.per == "predict_proba":
        fitted = {cls: run_once(cls, Case(case.name, case.X, case.y, case.params))
                  for cls in estimators}
    times = {cls: [] for cls in estimators}
    models = {}
    for _ in range(pairs):
        for cls in estimators:
            seconds, models[cls] = timed(cls, case, fitted.get(cls))
            times[cls].append(seconds)
    peaks = {cls: peak_memory(cls, case, fitted.get(cls)) for cls in estimators}
    ratios = [ours / theirs for ours, theirs in zip(times[MLPBackpropClassifier],
                                                    times[MLPClassifier], strict=True)]
    ours_median = statistics.median(times[MLPBackpropClassifier])
    flops = training_flops(case, models[MLPBackpropClassifier])
    achieved = flops / ours_median / 1e9 if flops else None
    gemm = gemm_gflops(case, models[MLPBackpropClassifier])
    accuracy = {cls: models[cls].score(case.X, case.y) for cls in estimators}
    return dict(name=case.name, sklearn=statistics.median(times[MLPClassifier]),
                ours=ours_median, ratio=statistics.median(ratios), achieved=achieved,
                gemm=gemm, peak_sklearn=peaks[MLPClassifier],
                peak_ours=peaks[MLPBackpropClassifier],
                accuracy_sklearn=accuracy[MLPClassifier],
                accuracy_ours=accuracy[MLPBackpropClassifier])


def format_seconds(seconds):
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def print_table(rows):
    print("| configuration | sklearn median | skxor median | ratio (median of pairs) "
          "| skxor GFLOP/s | of GEMM | peak MiB sklearn / skxor | train acc sklearn / skxor |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        achieved = "n/a" if row["achieved"] is None else f"{row['achieved']:.1f}"
        share = ("n/a" if row["achieved"] is None
                 else f"{row['achieved'] / row['gemm']:.0%} of {row['gemm']:.0f}")
        print(f"| {row['name']} | {format_seconds(row['sklearn'])} | "
              f"{format_seconds(row['ours'])} | {row['ratio']:.2f} | {achieved} | {share} | "
              f"{row['peak_sklearn'] / 2**20:.1f} / {row['peak_ours'] / 2**20:.1f} | "
              f"{row['accuracy_sklearn']:.3f} / {row['accuracy_ours']:.3f} |")


def main(quick, pairs):
    if quick:
        cases = [xor_case(500), *wide_cases(5000, 2), *digits_cases(3, 30),
                 predict_case(50_000)]
    else:
        cases = [xor_case(2000), *wide_cases(20_000, 5), *digits_cases(10, 100),
                 predict_case(200_000)]
    print(f"skxor {skxor.__version__}, scikit-learn {sklearn.__version__}, "
          f"NumPy {np.__version__}, Python {platform.python_version()}, "
          f"{platform.machine()}; {pairs} A/B pairs per row{' (--quick)' if quick else ''}\n")
    print_table([run_case(case, pairs) for case in cases])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smaller data and fewer epochs: about a minute")
    parser.add_argument("--pairs", type=int, default=5, help="A/B pairs per row")
    arguments = parser.parse_args()
    main(arguments.quick, arguments.pairs)
