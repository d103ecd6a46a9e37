"""
Learning-rate schedules compared: constant, cosine, warm-up, plateau and your own
=================================================================================

scikit-learn's Adam keeps one learning rate for the whole fit. skxor's ``lr_schedule``
changes it from epoch to epoch. This example fits the same network on the digits five times,
each with a different schedule, and plots the rate each schedule set and the validation loss
it led to.
"""

# %%
# The digits (8x8 images of handwritten digits, scaled to [0, 1]), with 30 % held out. The
# held-out part goes to ``fit`` as ``X_val``/``y_val``, so that the network records its loss on
# it after every epoch in ``validation_loss_curve_``.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from skxor import MLPBackpropClassifier

X, y = load_digits(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X / 16, y, test_size=0.3, stratify=y,
                                                  random_state=0)

# %%
# Five schedules for a (100,) ReLU network trained 60 epochs by Adam from
# ``learning_rate_init=0.01``:
#
# - none: scikit-learn's constant rate;
# - ``"cosine"``: from the initial rate towards zero at the last epoch, along half a cosine;
# - ``"cosine"`` after a linear ``warmup`` over the first 5 epochs;
# - ``"plateau"``: the rate divided by 5 each time the training loss has not improved by
#   ``tol`` for ``n_iter_no_change`` epochs, until it falls below 1e-6;
# - a callable: given the epoch (from 0) and the rate it returned for the epoch before, it
#   returns this epoch's rate. Here it halves the rate every 15 epochs.
EPOCHS = 60


def halve_every_15_epochs(epoch, lr):
    """A step decay: the rate it is given, halved at epochs 15, 30 and 45."""
    return lr / 2 if epoch and epoch % 15 == 0 else lr


SCHEDULES = {
    "constant (lr_schedule=None)": {},
    "cosine": {"lr_schedule": "cosine"},
    "cosine, warmup=5": {"lr_schedule": "cosine", "warmup": 5},
    "plateau (n_iter_no_change=3)": {"lr_schedule": "plateau", "n_iter_no_change": 3,
                                     "tol": 1e-3},
    "callable: halve every 15 epochs": {"lr_schedule": halve_every_15_epochs},
}

# %%
# Fit one network per schedule. ``tol=0`` and an infinite ``n_iter_no_change`` keep every fit
# but the plateau one from stopping early, so that all run the same 60 epochs (and would warn
# that they had not converged, which is expected here).
networks = {}
for name, schedule in SCHEDULES.items():
    params = {"hidden_layer_sizes": (100,), "max_iter": EPOCHS, "learning_rate_init": 0.01,
              "tol": 0.0, "n_iter_no_change": np.inf, "random_state": 0} | schedule
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        networks[name] = MLPBackpropClassifier(**params).fit(X_train, y_train,
                                                             X_val=X_val, y_val=y_val)
    losses = networks[name].validation_loss_curve_
    print(f"{name}: {networks[name].n_iter_} epochs, final validation loss {losses[-1]:.4f}, "
          f"lowest {min(losses):.4f}")

# %%
# On the left, ``learning_rate_curve_``: the rate at the start of each epoch. On the right,
# the validation loss after each epoch. The constant rate keeps the loss jumping from epoch to
# epoch; the schedules that lower the rate smooth it out as they do. They do not end lower
# here: on a problem this small, Adam at a constant rate is hard to beat
# (``benchmarks/bench_training.py`` in the repository compares them over 5 seeds).
figure, (rates, losses) = plt.subplots(1, 2, figsize=(12, 4.8))
for name, network in networks.items():
    epochs = range(1, network.n_iter_ + 1)
    rates.plot(epochs, network.learning_rate_curve_, label=name)
    losses.plot(epochs, network.validation_loss_curve_, label=name)
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
plt.show()
