"""
The loss pass by pass on XOR: hidden activations and solvers compared
=====================================================================

The first XOR notebook ends with an exercise: plot the loss against the number of passes.
skxor keeps that curve in ``loss_curve_``: one loss per epoch, or per iteration for L-BFGS.
This example trains a 2-4-1 network on XOR with each hidden activation, then with each solver,
and plots the curves on a log scale.
"""

# %%
# Every network gets the same budget, 1,000 passes over the four rows, and runs all of them:
# ``tol=0`` and ``n_iter_no_change=1000`` keep training from stopping when the loss stalls,
# which would cut the curves short. Without an L2 penalty (``alpha=0``) the loss can fall
# towards zero.
import warnings

import matplotlib.pyplot as plt
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropClassifier
from skxor.seeds import XOR_X, XOR_Y

PASSES = 1000


def loss_curve(**params):
    """Fit a 2-4-1 network on XOR for PASSES passes and return its loss curve."""
    settings = dict(hidden_layer_sizes=(4,), solver="sgd", learning_rate_init=0.5,
                    alpha=0.0, max_iter=PASSES, tol=0.0, n_iter_no_change=PASSES,
                    random_state=0) | params
    with warnings.catch_warnings():
        # a fixed number of passes: not converging before the last one is expected
        warnings.simplefilter("ignore", ConvergenceWarning)
        network = MLPBackpropClassifier(**settings).fit(XOR_X, XOR_Y)
    return network.loss_curve_


# %%
# First the hidden activation, under full-batch SGD with momentum. Identity units stay at the
# loss of a coin toss, log 2 = 0.693: a network of linear units is one linear function, and
# no line separates XOR's classes.
ACTIVATIONS = ["logistic", "tanh", "relu", "identity"]
by_activation = {activation: loss_curve(activation=activation) for activation in ACTIVATIONS}
for activation, curve in by_activation.items():
    print(f"{activation:>9} (sgd): final loss {curve[-1]:.3e}")

# %%
# Then the solver, with tanh units. L-BFGS, a quasi-Newton method, reaches a loss near zero
# in a few dozen iterations, and stops there; Adam and SGD are still creeping down after
# 1,000 epochs.
SOLVERS = {
    "sgd (lr 0.5, momentum 0.9)": dict(solver="sgd", learning_rate_init=0.5),
    "adam (lr 0.05)": dict(solver="adam", learning_rate_init=0.05),
    "lbfgs": dict(solver="lbfgs"),
}
by_solver = {name: loss_curve(activation="tanh", **params) for name, params in SOLVERS.items()}
for name, curve in by_solver.items():
    unit = "iterations" if name == "lbfgs" else "epochs"
    print(f"{name:>26} (tanh): final loss {curve[-1]:.3e} after {len(curve)} {unit}")

# %%
# Both sets of curves side by side, on the same log scale.
figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True)
for axes, curves in ((left, by_activation), (right, by_solver)):
    for name, curve in curves.items():
        axes.plot(range(1, len(curve) + 1), curve, label=name)
    axes.set_yscale("log")
    axes.grid(True, which="major", alpha=0.3)
    axes.legend()
left.set_title("Hidden activation (full-batch SGD)")
left.set_xlabel("epoch")
left.set_ylabel("training log loss")
right.set_title("Solver (tanh units)")
right.set_xlabel("epoch (L-BFGS: iteration)")
figure.suptitle("XOR, 2-4-1 network: the loss against the number of passes")
figure.tight_layout()
plt.show()
