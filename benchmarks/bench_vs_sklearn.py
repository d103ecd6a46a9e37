"""Side-by-side speed of skxor's MLPs and scikit-learn's: MLPClassifier and MLPRegressor.

Both estimators get the same data, parameters and epoch counts (tol=0 and
n_iter_no_change=max_iter, so neither stops early), and are timed alternately,
A B A B, in one process, in rounds: one pair of every configuration per round.
For each configuration the table gives both medians, the median of the
per-pair ratios ours/sklearn, our achieved GFLOP/s and its fraction of
NumPy's GEMM throughput, the peak memory each allocates (tracemalloc), and
both training scores (accuracy, or R² for the regressors), so that a speed-up
that learns less shows.

The GEMM throughput is that of the very matrix products the work does (the
forward, weight-gradient and delta products of every batch, at their shapes
and operand layouts), timed bare in every pair beside the two fits; the
fraction is the median over pairs of their time over ours.

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
from sklearn.datasets import load_digits, make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

import skxor
from skxor import MLPBackpropClassifier, MLPBackpropRegressor


@dataclass
class Case:
    """One benchmark configuration."""

    name: str
    X: np.ndarray
    y: np.ndarray
    params: dict
    per: str = "fit"          # "fit", "pass" (divide by epochs) or "predict_proba"
    predict_X: np.ndarray | None = None
    kind: str = "classifier"  # which pair of estimators: "classifier" or "regressor"
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


def regression_cases(epochs, wide_rows):
    """California-housing-sized data (20640 x 8), and a wide 100-feature problem."""
    housing_X, housing_y = make_regression(n_samples=20640, n_features=8, n_informative=8,
                                           noise=10.0, random_state=0)
    wide_X, wide_y = make_regression(n_samples=wide_rows, n_features=100, n_informative=60,
                                     noise=10.0, random_state=0)
    return [
        Case("regressor 20640x8 adam b200 h(100,)", housing_X, housing_y / housing_y.std(),
             dict(hidden_layer_sizes=(100,), solver="adam", batch_size=200, max_iter=epochs),
             kind="regressor"),
        Case(f"regressor {wide_rows}x100 adam b200 h(256, 256)", wide_X,
             wide_y / wide_y.std(),
             dict(hidden_layer_sizes=(256, 256), solver="adam", batch_size=200,
                  max_iter=epochs), kind="regressor"),
    ]


def predict_case(n_rows):
    X, y = make_classification(n_samples=2000, n_features=100, n_informative=60,
                               n_classes=10, random_state=0)
    rows = np.random.RandomState(0).normal(size=(n_rows, 100))
    return Case(f"predict_proba on {n_rows:,} rows, h100", X, y,
                dict(hidden_layer_sizes=(100,), max_iter=5), per="predict_proba",
                predict_X=rows)


def offset_buffer_case(n_rows):
    """X at an odd byte offset in its buffer, as Dask's workers and memory maps hand it over."""
    X, y = make_classification(n_samples=n_rows, n_features=20, random_state=0)
    raw = bytearray(X.nbytes + 8)
    shifted = np.frombuffer(memoryview(raw)[4:4 + X.nbytes], dtype=X.dtype)
    shifted = shifted.reshape(X.shape)
    shifted[...] = X
    return Case(f"{n_rows}x20 at an odd byte offset, adam b200 h(100,)", shifted, y,
                dict(hidden_layer_sizes=(100,), solver="adam", batch_size=200, max_iter=2))


DROPOUT = {"rate": 0.0}
"""skxor's dropout in the stochastic fits (``--dropout``); scikit-learn has none."""


def make_estimator(cls, case):
    params = dict(tol=0.0, n_iter_no_change=case.epochs, random_state=0) | case.params
    ours = cls in (MLPBackpropClassifier, MLPBackpropRegressor)
    if ours and DROPOUT["rate"] and params.get("solver", "adam") != "lbfgs":
        params["dropout"] = DROPOUT["rate"]
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


def gemm_workload(case, model):
    """The matrix products of the timed work alone, and their floating-point operations.

    Returns ``(run, flops)``: ``run()`` does, with ``np.dot`` into preallocated
    outputs, every product the timed work does (for training, one epoch's
    batches, each with its forward, weight-gradient and delta products, the
    operands transposed as backpropagation has them; for prediction, the
    forward products over all rows), or None where no GFLOP/s are reported.
    """
    rng = np.random.RandomState(0)
    dtype = case.X.dtype
    shapes = [coef.shape for coef in model.coefs_]
    if case.per == "predict_proba":
        rows, repeats = 20_000, len(case.predict_X) // 20_000
        products = [(rng.rand(rows, fan_in), rng.rand(fan_in, fan_out))
                    for fan_in, fan_out in shapes]
    elif training_flops(case, model) is not None:
        rows = case.params.get("batch_size", 200)
        repeats = -(-len(case.X) // rows)
        products = []
        for layer, (fan_in, fan_out) in enumerate(shapes):
            layer_input, delta = rng.rand(rows, fan_in), rng.rand(rows, fan_out)
            coef = rng.rand(fan_in, fan_out)
            products += [(layer_input, coef), (layer_input.T, delta)]
            if layer > 0:
                products.append((delta, coef.T))
    else:
        return None, None
    products = [(left.astype(dtype), right.astype(dtype),
                 np.empty((left.shape[0], right.shape[1]), dtype)) for left, right in products]

    def run():
        for _ in range(repeats):
            for left, right, out in products:
                np.dot(left, right, out=out)

    flops = repeats * sum(2 * left.shape[0] * left.shape[1] * right.shape[1]
                          for left, right, _ in products)
    return run, flops


PAIRS = {"classifier": (MLPClassifier, MLPBackpropClassifier),
         "regressor": (MLPRegressor, MLPBackpropRegressor)}
"""scikit-learn's estimator, then ours, for each kind of case."""


class CaseTimings:
    """The timings of one configuration, gathered one pair at a time."""

    def __init__(self, case):
        self.case = case
        self.theirs, self.ours = PAIRS[case.kind]
        self.fitted = {}
        if case.per == "predict_proba":
            self.fitted = {cls: run_once(cls, Case(case.name, case.X, case.y, case.params))
                           for cls in (self.theirs, self.ours)}
        self.times = {cls: [] for cls in (self.theirs, self.ours)}
        self.gemm_times = []
        self.models = {}
        self.gemm_run = self.gemm_flops = None

    def run_pair(self):
        """Time sklearn, then skxor, then the bare matrix products of the same work."""
        for cls in (self.theirs, self.ours):
            seconds, self.models[cls] = timed(cls, self.case, self.fitted.get(cls))
            self.times[cls].append(seconds)
        if len(self.times[self.ours]) == 1:
            self.gemm_run, self.gemm_flops = gemm_workload(self.case, self.models[self.ours])
        if self.gemm_run is not None:
            gc.collect()
            self.gemm_times.append(_time(self.gemm_run))

    def row(self):
        """The table row's figures: medians, median ratio, throughput, memory, scores."""
        case, models, pair = self.case, self.models, (self.theirs, self.ours)
        peaks = {cls: peak_memory(cls, case, self.fitted.get(cls)) for cls in pair}
        ours, theirs = self.times[self.ours], self.times[self.theirs]
        ratios = [mine / other for mine, other in zip(ours, theirs, strict=True)]
        flops = training_flops(case, models[self.ours])
        achieved = gemm = share = None
        if flops and self.gemm_times:
            achieved = flops / statistics.median(ours) / 1e9
            gemm = self.gemm_flops / statistics.median(self.gemm_times) / 1e9
            # achieved / GEMM throughput, pair by pair: the bare products' time over ours
            share = statistics.median(
                (flops / mine) / (self.gemm_flops / bare)
                for mine, bare in zip(ours, self.gemm_times, strict=True))
        score = {cls: models[cls].score(case.X, case.y) for cls in pair}
        return dict(name=case.name, sklearn=statistics.median(theirs),
                    ours=statistics.median(ours), ratio=statistics.median(ratios),
                    achieved=achieved, gemm=gemm, share=share,
                    peak_sklearn=peaks[self.theirs], peak_ours=peaks[self.ours],
                    accuracy_sklearn=score[self.theirs], accuracy_ours=score[self.ours])


def run_cases(cases, pairs):
    """Time every case in rounds, one pair of each per round; return the table rows.

    On a shared machine the load changes over minutes; in rounds, a slow
    spell touches one pair of many rows rather than every pair of one.
    """
    timings = [CaseTimings(case) for case in cases]
    for _ in range(pairs):
        for case_timings in timings:
            case_timings.run_pair()
    return [case_timings.row() for case_timings in timings]


def _time(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def format_seconds(seconds):
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def print_table(rows):
    print("| configuration | sklearn median | skxor median | ratio (median of pairs) "
          "| skxor GFLOP/s | of GEMM | peak MiB sklearn / skxor "
          "| train score (accuracy or R²) sklearn / skxor |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        achieved = "n/a" if row["achieved"] is None else f"{row['achieved']:.1f}"
        share = ("n/a" if row["achieved"] is None
                 else f"{row['share']:.0%} of {row['gemm']:.0f}")
        print(f"| {row['name']} | {format_seconds(row['sklearn'])} | "
              f"{format_seconds(row['ours'])} | {row['ratio']:.2f} | {achieved} | {share} | "
              f"{row['peak_sklearn'] / 2**20:.1f} / {row['peak_ours'] / 2**20:.1f} | "
              f"{row['accuracy_sklearn']:.3f} / {row['accuracy_ours']:.3f} |")


def main(quick, pairs, dropout=0.0):
    DROPOUT["rate"] = dropout
    if quick:
        cases = [xor_case(500), *wide_cases(5000, 2), *digits_cases(3, 30),
                 predict_case(50_000), *regression_cases(2, 5000), offset_buffer_case(200_000)]
    else:
        cases = [xor_case(2000), *wide_cases(20_000, 5), *digits_cases(10, 100),
                 predict_case(200_000), *regression_cases(5, 20_000),
                 offset_buffer_case(200_000)]
    print(f"skxor {skxor.__version__}, scikit-learn {sklearn.__version__}, "
          f"NumPy {np.__version__}, Python {platform.python_version()}, "
          f"{platform.machine()}; {pairs} rounds of A/B pairs{' (--quick)' if quick else ''}"
          f"{f'; skxor with dropout={dropout} in sgd/adam fits' if dropout else ''}\n")
    print_table(run_cases(cases, pairs))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smaller data and fewer epochs: about a minute")
    parser.add_argument("--pairs", type=int, default=9, help="rounds: A/B pairs per configuration")
    parser.add_argument("--dropout", type=float, default=0.0,
                        help="dropout rate of skxor's sgd/adam fits, to time its cost "
                             "(scores then differ from scikit-learn's)")
    arguments = parser.parse_args()
    main(arguments.quick, arguments.pairs, arguments.dropout)
