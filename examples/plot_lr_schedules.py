"""Learning-rate schedules for Adam: the rate of each epoch, and the loss it leads to
==================================================================================

Five fits of the same (100,) ReLU network on digits, each for at most 60
epochs of Adam from ``learning_rate_init=0.01``, differ only in
``lr_schedule``: none (scikit-learn's Adam, a constant rate), ``"cosine"``,
``"cosine"`` after a ``warmup`` of 5 epochs, ``"plateau"`` (the rate divided
by 5 each time the training loss stalls for 3 epochs, until it is below
1e-6), and a callable that halves the rate every 15 epochs. The left panel
is ``learning_rate_curve_``, each epoch's first rate; the right one the
validation loss after each epoch (``X_val``/``y_val``). The constant rate
keeps the loss jumping from epoch to epoch; the schedules that lower the
rate smooth it out as they do. They do not end lower here: on a problem this
small, Adam at a constant rate is hard to beat (``benchmarks/
bench_training.py`` compares over 5 seeds). Prints each fit's final and
lowest validation loss and writes one PNG.

Run: ``python examples/plot_lr_schedules.py [--out lr_schedules.png]``
"""

import argparse
import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from skxor import MLPBackpropClassifier

EPOCHS = 60


def halve_every_15_epochs(epoch, lr):
    """A step decay: the rate the schedule was given, halved at epochs 15, 30 and 45."""
    return lr / 2 if epoch and epoch % 15 == 0 else lr


SCHEDULES = {
    "constant (lr_schedule=None)": {},
    "cosine": {"lr_schedule": "cosine"},
    "cosine, warmup=5": {"lr_schedule": "cosine", "warmup": 5},
    "plateau (n_iter_no_change=3)": {"lr_schedule": "plateau", "n_iter_no_change": 3,
                                     "tol": 1e-3},
    "callable: halve every 15 epochs": {"lr_schedule": halve_every_15_epochs},
}


def fit(params, X_train, y_train, X_val, y_val):
    clf = MLPBackpropClassifier(**{"hidden_layer_sizes": (100,), "max_iter": EPOCHS,
                                   "learning_rate_init": 0.01, "tol": 0.0,
                                   "n_iter_no_change": np.inf, "random_state": 0, **params})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 60 epochs, on purpose
        return clf.fit(X_train, y_train, X_val=X_val, y_val=y_val)


def plot(out):
    X, y = load_digits(return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(X / 16, y, test_size=0.3, stratify=y,
                                                      random_state=0)
    figure, (rates, losses) = plt.subplots(1, 2, figsize=(12, 4.8))
    for name, params in SCHEDULES.items():
        clf = fit(params, X_train, y_train, X_val, y_val)
        epochs = range(1, clf.n_iter_ + 1)
        rates.plot(epochs, clf.learning_rate_curve_, label=name)
        losses.plot(epochs, clf.validation_loss_curve_, label=name)
        print(f"{name}: {clf.n_iter_} epochs, final validation loss "
              f"{clf.validation_loss_curve_[-1]:.4f}, lowest "
              f"{min(clf.validation_loss_curve_):.4f}")
    rates.set_yscale("log")
    rates.set_title("learning_rate_curve_: each epoch's first rate")
    losses.set_yscale("log")
    losses.set_ylim(0.05, 0.5)
    losses.set_title("Validation log loss after each epoch")
    for axes in (rates, losses):
        axes.set_xlabel("epoch")
        axes.grid(True, alpha=0.3)
    losses.legend()
    figure.suptitle("Digits, (100,) ReLU network, Adam from learning_rate_init=0.01")
    figure.tight_layout()
    figure.savefig(out, dpi=100)
    print(f"wrote {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(  # sphinx-gallery runs the script without its docstring
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path,
                        default=Path(sys.argv[0]).with_name("lr_schedules.png"))
    plot(parser.parse_args().out)
