"""
How many hidden units a boundary needs: decision regions with 1 to 16 units
===========================================================================

A network with one hidden layer builds its decision boundary out of its hidden units: each
unit splits the plane along one straight line, and the output unit combines the splits. This
example trains tanh networks with 1, 2, 4 and 16 hidden units on
two small problems, XOR and scikit-learn's two moons, and shades where each predicts each class.
"""

# %%
# The two data sets: XOR's four points (``skxor.seeds`` holds them), and 200 points of two
# interleaved half-moons with some noise.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropClassifier
from skxor.seeds import XOR_X, XOR_Y

moons_X, moons_y = make_moons(n_samples=200, noise=0.2, random_state=0)
datasets = {"XOR": (XOR_X.astype(float), XOR_Y), "two moons": (moons_X, moons_y)}
HIDDEN_UNITS = [1, 2, 4, 16]

# %%
# Each network trains with L-BFGS, which suits small data sets. ``draw_regions`` predicts the
# class of every point of a fine grid around the data and shades it; the training points go
# on top.
REGIONS = ListedColormap(["#f4c7a1", "#a9c8ea"])
POINTS = ListedColormap(["#d2601a", "#1f5fa6"])


def fit_network(X, y, hidden_units):
    network = MLPBackpropClassifier(hidden_layer_sizes=(hidden_units,), activation="tanh",
                                    solver="lbfgs", max_iter=2000, random_state=0)
    with warnings.catch_warnings():
        # one hidden unit cannot fit XOR, and L-BFGS says so: the picture shows it
        warnings.simplefilter("ignore", ConvergenceWarning)
        return network.fit(X, y)


def draw_regions(axes, network, X, y):
    low, high = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    grid_x, grid_y = np.meshgrid(np.linspace(low[0], high[0], 300),
                                 np.linspace(low[1], high[1], 300))
    regions = network.predict(np.c_[grid_x.ravel(), grid_y.ravel()]).reshape(grid_x.shape)
    axes.contourf(grid_x, grid_y, regions, levels=[-0.5, 0.5, 1.5], cmap=REGIONS)
    axes.scatter(X[:, 0], X[:, 1], c=y, cmap=POINTS, s=40 if len(X) < 10 else 12,
                 edgecolors="white", linewidths=0.5)


# %%
# One row per data set, one column per network size. Look at the XOR row: one unit draws a
# single straight line, which cannot separate XOR's classes. Two units are enough in
# principle, yet from these starting weights training ends in a local minimum; four units
# solve it. On the moons, four units follow the gap between the half-moons; sixteen fit every
# training point, with a boundary that bends around single points. That is overfitting, and
# only data the network has not seen can tell it apart from learning.
figure, grid = plt.subplots(len(datasets), len(HIDDEN_UNITS), figsize=(13, 6.5))
for row, (name, (X, y)) in zip(grid, datasets.items(), strict=True):
    for axes, units in zip(row, HIDDEN_UNITS, strict=True):
        network = fit_network(X, y, units)
        draw_regions(axes, network, X, y)
        accuracy = network.score(X, y)
        axes.set_title(f"{units} hidden unit{'s' * (units > 1)}: accuracy {accuracy:.2f}")
        axes.set_xlabel("feature 1")
        print(f"{name:>9}, {units:>2} hidden units: training accuracy {accuracy:.3f}")
    row[0].set_ylabel(f"{name}\nfeature 2")
handles = [plt.Line2D([], [], marker="o", linestyle="", color=POINTS(i), label=f"class {i}")
           for i in (0, 1)]
figure.legend(handles=handles, loc="upper left")
figure.suptitle("Decision regions of a tanh network, by number of hidden units")
figure.tight_layout(rect=(0, 0, 1, 0.95))
plt.show()

# %%
# Training accuracy only says how well a network fits the points it saw; to choose the
# number of units for new data, cross-validate, as
# :ref:`sphx_glr_auto_examples_getting_started_plot_3_grid_search.py` does.
