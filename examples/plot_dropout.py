"""Dropout against overfitting: training and validation loss with and without it
=============================================================================

A wide network, (256, 256) ReLU units, trains for 300 epochs of Adam on 20
digits per class and is scored after every epoch on the rest of the digits
(``X_val``/``y_val``). Without dropout the training loss falls to nothing while
the validation loss turns back up: the network memorises its 200 samples. With
``dropout=0.5`` the validation loss keeps lower. Prints the final figures and
writes one PNG.

Run: ``python examples/plot_dropout.py [--out dropout.png]``
"""

import argparse
import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropClassifier

RATES = [0.0, 0.5]


def digits_split():
    """20 training digits per class; every other digit held out."""
    X, y = load_digits(return_X_y=True)
    X = X / 16
    rng = np.random.RandomState(0)
    train = np.concatenate([rng.choice(np.flatnonzero(y == label), 20, replace=False)
                            for label in range(10)])
    held_out = np.setdiff1d(np.arange(len(y)), train)
    return X[train], y[train], X[held_out], y[held_out]


def fit(rate, X_train, y_train, X_val, y_val):
    clf = MLPBackpropClassifier(hidden_layer_sizes=(256, 256), max_iter=300, tol=0.0,
                                n_iter_no_change=300, dropout=rate, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 300 epochs, on purpose
        return clf.fit(X_train, y_train, X_val=X_val, y_val=y_val)


def plot(out):
    X_train, y_train, X_val, y_val = digits_split()
    figure, (losses, scores) = plt.subplots(1, 2, figsize=(11, 4.5))
    for rate, colour in zip(RATES, ["tab:red", "tab:blue"], strict=True):
        clf = fit(rate, X_train, y_train, X_val, y_val)
        epochs = range(1, clf.n_iter_ + 1)
        label = f"dropout={rate}"
        losses.plot(epochs, clf.loss_curve_, color=colour, linestyle=":",
                    label=f"{label}, training")
        losses.plot(epochs, clf.validation_loss_curve_, color=colour,
                    label=f"{label}, validation")
        scores.plot(epochs, clf.validation_scores_, color=colour, label=label)
        print(f"dropout={rate}: final validation loss {clf.validation_loss_curve_[-1]:.3f}, "
              f"lowest {min(clf.validation_loss_curve_):.3f}; validation accuracy "
              f"{clf.validation_scores_[-1]:.3f}")
    losses.set_yscale("log")
    losses.set_title("Log loss (training: of each batch's thinned network, with L2)")
    scores.set_title("Validation accuracy")
    for axes in (losses, scores):
        axes.set_xlabel("epoch")
        axes.grid(True, alpha=0.3)
        axes.legend()
    figure.suptitle("Digits, 20 per class, (256, 256) ReLU network: dropout against overfitting")
    figure.tight_layout()
    figure.savefig(out, dpi=100)
    print(f"wrote {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(  # sphinx-gallery runs the script without its docstring
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(sys.argv[0]).with_name("dropout.png"))
    plot(parser.parse_args().out)
