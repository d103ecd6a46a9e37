"""
A 3-4-1 sigmoid network learns XOR
==================================

The first of the XOR notebooks is Andrew Trask's well-known 11-line network: three inputs,
four hidden units and one output, all sigmoid, trained by full-batch gradient descent on the
squared error. Its third input is a constant 1 that plays the part of a bias.
``skxor.seeds.trask_network`` returns that network as an ``MLPBackpropClassifier``. This
example trains it, draws what it learnt, and works the notebook's exercise 4: train on three
of the four rows and predict the fourth.
"""

# %%
# The four XOR rows, with the constant third column that the notebook adds.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning

from skxor.seeds import XOR_X, XOR_Y, trask_network, with_bias_column

inputs = with_bias_column(XOR_X)
print(inputs)
print("targets:", XOR_Y)

# %%
# The notebook runs 60,000 passes over the four rows. 5,000 already bring every output within
# 0.02 of its target; the remaining passes only push the outputs closer to 0 and 1. Like the
# notebook, the network runs every pass it is given, so a ``ConvergenceWarning`` would only
# say that the loss was still falling: ``train`` silences it.
PASSES = 5_000


def train(rows):
    """The notebook's network, fitted on these rows of XOR for PASSES passes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return trask_network(max_iter=PASSES).fit(inputs[rows], XOR_Y[rows])


network = train(np.arange(4))
for row, target, p in zip(XOR_X, XOR_Y, network.predict_proba(inputs)[:, 1], strict=True):
    print(f"  {row.tolist()} target {target}  predicted [{p:.8f}]")

# %%
# Exercise 4: leave one row out, train on the other three, and predict the one left out.
left_out_networks = {}
for left_out in range(4):
    rows = np.delete(np.arange(4), left_out)
    left_out_networks[left_out] = train(rows)
    guess = left_out_networks[left_out].predict(inputs[[left_out]])[0]
    print(f"  without {XOR_X[left_out].tolist()}: predicts {guess}, XOR is {XOR_Y[left_out]}")

# %%
# Every left-out row comes out wrong. The pictures show why: each panel shades the network's
# output over the whole square between the four inputs. The first, trained on all four rows,
# is XOR. The others each learnt the simplest function that fits their three rows, a NAND, an
# OR, or "one input and not the other", and that function gives the fourth row the opposite
# of XOR. Three rows never pin XOR down: what a network says about data it has not seen is a
# guess shaped by the data it has.
grid_x, grid_y = np.meshgrid(np.linspace(-0.25, 1.25, 121), np.linspace(-0.25, 1.25, 121))
grid = with_bias_column(np.c_[grid_x.ravel(), grid_y.ravel()])
panels = [("all four rows", network, None)] + [
    (f"without {XOR_X[i].tolist()}", left_out_networks[i], i) for i in range(4)]

figure, axes_row = plt.subplots(1, len(panels), figsize=(15, 3.8), sharey=True,
                                layout="constrained")
for axes, (title, model, left_out) in zip(axes_row, panels, strict=True):
    output = model.predict_proba(grid)[:, 1].reshape(grid_x.shape)
    shading = axes.contourf(grid_x, grid_y, output, levels=np.linspace(0, 1, 11), cmap="PuOr")
    for i, (point, target) in enumerate(zip(XOR_X, XOR_Y, strict=True)):
        colour = "red" if i == left_out else "black"
        axes.text(*point, str(target), ha="center", va="center", color=colour,
                  fontweight="bold", bbox=dict(boxstyle="circle", facecolor="white",
                                               edgecolor=colour, linewidth=2))
    axes.set_title(title)
    axes.set_xlabel("input 1")
axes_row[0].set_ylabel("input 2")
figure.colorbar(shading, ax=axes_row, label="network output, P(class 1)")
figure.suptitle(f"The 3-4-1 sigmoid network after {PASSES:,} passes, trained on all of XOR "
                "and on three rows of it (circles: XOR's targets; red: the row left out)")
plt.show()
