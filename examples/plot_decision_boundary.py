"""Decision regions of networks with 1, 2, 4 and 16 hidden units
=============================================================

One row for XOR, one for scikit-learn's two moons: each panel shades where a
tanh network trained with L-BFGS predicts each class, over the training
points. One hidden unit draws a single straight boundary, which cannot solve
XOR. Two units can, but from many starting weights training ends in a local
minimum, as it does here; four solve it. The moons want more units still.
Writes one PNG grid.

Run: ``python examples/plot_decision_boundary.py [--out decision_boundary.png]``
"""

import argparse
import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropClassifier
from skxor.seeds import XOR_X, XOR_Y

HIDDEN_UNITS = [1, 2, 4, 16]
REGIONS = ListedColormap(["#f4c7a1", "#a9c8ea"])
POINTS = ListedColormap(["#d2601a", "#1f5fa6"])


def datasets():
    """XOR and two moons, each with a little margin around its points."""
    moons_X, moons_y = make_moons(n_samples=200, noise=0.2, random_state=0)
    return {"XOR": (XOR_X.astype(float), XOR_Y), "two moons": (moons_X, moons_y)}


def draw_panel(axes, X, y, hidden_units):
    """Fit one network and shade its decision regions under the data."""
    clf = MLPBackpropClassifier(hidden_layer_sizes=(hidden_units,), activation="tanh",
                                solver="lbfgs", max_iter=2000, random_state=0)
    with warnings.catch_warnings():
        # one hidden unit cannot fit XOR; L-BFGS may say so, the picture shows it
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    low, high = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    grid_x, grid_y = np.meshgrid(np.linspace(low[0], high[0], 300),
                                 np.linspace(low[1], high[1], 300))
    regions = clf.predict(np.c_[grid_x.ravel(), grid_y.ravel()]).reshape(grid_x.shape)
    axes.contourf(grid_x, grid_y, regions, levels=[-0.5, 0.5, 1.5], cmap=REGIONS)
    axes.scatter(X[:, 0], X[:, 1], c=y, cmap=POINTS, s=40 if len(X) < 10 else 12,
                 edgecolors="white", linewidths=0.5)
    accuracy = clf.score(X, y)
    axes.set_title(f"{hidden_units} hidden unit{'s' * (hidden_units > 1)}: "
                   f"accuracy {accuracy:.2f}")
    return accuracy


def plot(out):
    data = datasets()
    figure, grid = plt.subplots(len(data), len(HIDDEN_UNITS), figsize=(13, 6.5))
    for row, (name, (X, y)) in zip(grid, data.items(), strict=True):
        for axes, units in zip(row, HIDDEN_UNITS, strict=True):
            accuracy = draw_panel(axes, X, y, units)
            print(f"{name:>9}, {units:>2} hidden units: training accuracy {accuracy:.3f}")
            axes.set_xlabel("feature 1")
        row[0].set_ylabel(f"{name}\nfeature 2")
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=POINTS(i),
                          label=f"class {i}") for i in (0, 1)]
    figure.legend(handles=handles, loc="upper left")
    figure.suptitle("Decision regions of a tanh network, by number of hidden units")
    figure.tight_layout(rect=(0, 0, 1, 0.95))
    figure.savefig(out, dpi=100)
    print(f"wrote {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(  # sphinx-gallery runs the script without its docstring
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path,
                        default=Path(sys.argv[0]).with_name("decision_boundary.png"))
    plot(parser.parse_args().out)
