"""Exercise 5 of seed 000: the loss against the number of passes
=============================================================

Trains a 2-4-1 network on XOR and plots ``loss_curve_`` (one loss per epoch, or
per iteration for L-BFGS) on a log scale: on the left for each hidden
activation under full-batch SGD (identity units never learn XOR: the network
is then linear), on the right for each solver with tanh units. Writes one PNG.

Run: ``python examples/plot_loss_curve.py [--out loss_curve.png]``
"""

import argparse
import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropClassifier
from skxor.seeds import XOR_X, XOR_Y

EPOCHS = 1000
ACTIVATIONS = ["logistic", "tanh", "relu", "identity"]
SOLVERS = {
    "sgd (lr 0.5, momentum 0.9)": dict(solver="sgd", learning_rate_init=0.5),
    "adam (lr 0.05)": dict(solver="adam", learning_rate_init=0.05),
    "lbfgs": dict(solver="lbfgs"),
}


def loss_curve(**params):
    """Fit a 2-4-1 network on XOR for EPOCHS passes and return its loss curve."""
    settings = dict(hidden_layer_sizes=(4,), solver="sgd", learning_rate_init=0.5,
                    alpha=0.0, max_iter=EPOCHS, tol=0.0, n_iter_no_change=EPOCHS,
                    random_state=0) | params
    with warnings.catch_warnings():
        # a fixed number of passes: stopping early would cut the curves short
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPBackpropClassifier(**settings).fit(XOR_X, XOR_Y)
    return clf.loss_curve_


def plot(out):
    figure, (by_activation, by_solver) = plt.subplots(1, 2, figsize=(11, 4.5),
                                                      sharey=True)
    for activation in ACTIVATIONS:
        curve = loss_curve(activation=activation)
        by_activation.plot(range(1, len(curve) + 1), curve, label=activation)
        print(f"{activation:>9} (sgd): final loss {curve[-1]:.3e}")
    print("identity units stay at log 2 = 0.693: a network of linear units is one\n"
          "linear function, and no line separates XOR's classes.")
    by_activation.set_title("Hidden activation (full-batch SGD)")
    for name, params in SOLVERS.items():
        curve = loss_curve(activation="tanh", **params)
        by_solver.plot(range(1, len(curve) + 1), curve, label=name)
        print(f"{name:>26} (tanh): final loss {curve[-1]:.3e} after {len(curve)} "
              f"{'iterations' if name == 'lbfgs' else 'epochs'}")
    by_solver.set_title("Solver (tanh units)")
    by_activation.set_xlabel("epoch")
    by_solver.set_xlabel("epoch (L-BFGS: iteration)")
    for axes in (by_activation, by_solver):
        axes.set_yscale("log")
        axes.grid(True, which="major", alpha=0.3)
        axes.legend()
    by_activation.set_ylabel("training log loss")
    figure.suptitle("XOR, 2-4-1 network: loss against the number of passes")
    figure.tight_layout()
    figure.savefig(out, dpi=100)
    print(f"wrote {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(  # sphinx-gallery runs the script without its docstring
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path,
                        default=Path(sys.argv[0]).with_name("loss_curve.png"))
    plot(parser.parse_args().out)
