"""A 90 % prediction band from one network: quantile regression with ``loss="quantile"``
=====================================================================================

The data are heteroscedastic: ``y = sin(x) + (0.2 + 0.5 |x|) e`` with e standard
normal, so the spread of y grows away from x = 0. One
``MLPBackpropRegressor(loss="quantile", quantile=[0.05, 0.5, 0.95])`` learns
the three conditional quantiles at once, one output each; ``predict``
returns them as three sorted columns. The picture shows the training points,
the predicted 5 %-95 % band and median, and the true quantiles (dashed),
``sin(x) +/- 1.645 (0.2 + 0.5 |x|)``. Prints the band's coverage of fresh
points, overall and near x = 0 and at the edges, where the band must be
narrow and wide, and writes one PNG.

Run: ``python examples/plot_quantile_band.py [--out quantile_band.png]``
"""

import argparse
import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropRegressor

Z_95 = 1.6449
"""The standard normal's 95 % quantile."""


def sample(n_samples, seed):
    rng = np.random.RandomState(seed)
    x = rng.uniform(-3, 3, size=(n_samples, 1))
    return x, np.sin(x[:, 0]) + (0.2 + 0.5 * np.abs(x[:, 0])) * rng.standard_normal(n_samples)


def report_coverage(model):
    x, y = sample(20000, seed=1)
    low, _, high = model.predict(x).T
    inside = (y >= low) & (y <= high)
    centre, edges = np.abs(x[:, 0]) < 0.5, np.abs(x[:, 0]) > 2.5
    print(f"coverage of fresh points: {inside.mean():.3f} (|x| < 0.5: "
          f"{inside[centre].mean():.3f}, |x| > 2.5: {inside[edges].mean():.3f})")
    print(f"mean band width: |x| < 0.5: {np.mean(high - low, where=centre):.2f}, "
          f"|x| > 2.5: {np.mean(high - low, where=edges):.2f}")


def plot(out):
    x, y = sample(2000, seed=0)
    model = MLPBackpropRegressor(loss="quantile", quantile=[0.05, 0.5, 0.95],
                                 hidden_layer_sizes=(64, 64), learning_rate_init=0.01,
                                 max_iter=300, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x, y)
    report_coverage(model)
    grid = np.linspace(-3, 3, 400).reshape(-1, 1)
    low, median, high = model.predict(grid).T
    spread = Z_95 * (0.2 + 0.5 * np.abs(grid[:, 0]))
    figure, axes = plt.subplots(figsize=(9, 5.4))
    axes.scatter(x[:, 0], y, s=4, color="0.6", alpha=0.5, label="training points")
    axes.fill_between(grid[:, 0], low, high, color="tab:blue", alpha=0.25,
                      label="predicted 5 %-95 % band")
    axes.plot(grid[:, 0], median, color="tab:blue", label="predicted median")
    for sign in (-1, 1):
        axes.plot(grid[:, 0], np.sin(grid[:, 0]) + sign * spread, "k--", linewidth=1,
                  label="true 5 % and 95 % quantiles" if sign < 0 else None)
    axes.set_xlabel("x")
    axes.set_ylabel("y")
    axes.set_title('MLPBackpropRegressor(loss="quantile", quantile=[0.05, 0.5, 0.95])')
    axes.legend(loc="upper left")
    figure.tight_layout()
    figure.savefig(out, dpi=100)
    print(f"wrote {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(  # sphinx-gallery runs the script without its docstring
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path,
                        default=Path(sys.argv[0]).with_name("quantile_band.png"))
    plot(parser.parse_args().out)
