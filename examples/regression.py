"""Why "huber" and "absolute_error" exist: one noisy curve, some outliers, every loss
==================================================================================

Fits MLPBackpropRegressor with each of its losses to ``y = 2 + sin(2x)`` plus
small noise, where one point in ten is an outlier lifted by 4 to 8. The squared
error (and the Poisson deviance, which also grows without bound) bends towards
the outliers; the absolute error and Huber's loss, whose pull per point is
bounded, follow the curve. Prints each fit's mean distance to the true curve
and writes one PNG.

Run: ``python examples/regression.py [--out regression.png]``
"""

import argparse
import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropRegressor

LOSSES = {
    "squared_error": dict(loss="squared_error"),
    "poisson": dict(loss="poisson"),
    "absolute_error": dict(loss="absolute_error"),
    "huber (threshold 0.5)": dict(loss="huber", huber_threshold=0.5),
}


def data(rng):
    """x, noisy y with one outlier in ten, and the true curve at x."""
    x = np.sort(rng.uniform(-3, 3, 300))
    truth = 2 + np.sin(2 * x)
    y = truth + rng.normal(scale=0.15, size=x.size)
    outliers = rng.rand(x.size) < 0.1
    y[outliers] += rng.uniform(4, 8, outliers.sum())
    return x.reshape(-1, 1), y, truth, outliers


def fit(x, y, params):
    reg = MLPBackpropRegressor(hidden_layer_sizes=(64, 64), activation="tanh", solver="adam",
                               learning_rate_init=0.01, max_iter=600, random_state=0,
                               **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed budget for every loss
        return reg.fit(x, y)


def plot(out):
    x, y, truth, outliers = data(np.random.RandomState(0))
    figure, axes = plt.subplots(figsize=(10, 6.5))
    axes.scatter(x[~outliers, 0], y[~outliers], s=8, color="0.6", label="data")
    axes.scatter(x[outliers, 0], y[outliers], s=14, color="black", marker="x",
                 label="outliers (1 in 10)")
    axes.plot(x[:, 0], truth, color="black", linewidth=2, linestyle="--",
              label="true curve 2 + sin(2x)")
    for name, params in LOSSES.items():
        prediction = fit(x, y, params).predict(x)
        error = np.mean(np.abs(prediction - truth))
        print(f"{name:>22}: mean distance to the true curve {error:.3f}")
        axes.plot(x[:, 0], prediction, linewidth=2, label=f"{name} ({error:.2f} off)")
    axes.set_xlabel("x")
    axes.set_ylabel("y")
    axes.set_ylim(0, 10)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3)
    axes.set_title("MLPBackpropRegressor, (64, 64) tanh units: each loss on data with outliers")
    figure.tight_layout()
    figure.savefig(out, dpi=100)
    print(f"wrote {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(  # sphinx-gallery runs the script without its docstring
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(sys.argv[0]).with_name("regression.png"))
    plot(parser.parse_args().out)
