"""
Dropout against overfitting on a small training set
===================================================

A network with many more weights than training samples can memorise them: its training loss
falls towards zero while its loss on new data turns back up. ``dropout`` switches off a random
part of the hidden units at every training step, so that no unit can rely on the others. This
example trains the same wide network on 200 handwritten digits with and without dropout, and
follows both losses epoch by epoch.
"""

# %%
# 20 digits of each class for training, 200 in all; the other 1,597 digits are the
# validation set. Passed to ``fit`` as ``X_val``/``y_val``, they are scored after every epoch,
# in ``validation_loss_curve_`` and ``validation_scores_``, without taking part in training.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropClassifier

X, y = load_digits(return_X_y=True)
X = X / 16
rng = np.random.RandomState(0)
train = np.concatenate([rng.choice(np.flatnonzero(y == digit), 20, replace=False)
                        for digit in range(10)])
held_out = np.setdiff1d(np.arange(len(y)), train)
X_train, y_train, X_val, y_val = X[train], y[train], X[held_out], y[held_out]
print(f"{len(X_train)} training digits, {len(X_val)} validation digits")

# %%
# Two hidden layers of 128 ReLU units, about 25,000 weights for 200 samples, trained 120
# epochs by Adam at ``learning_rate_init=0.005``: once without dropout, once with half the
# hidden units dropped at each step (``dropout=0.5``). ``tol=0`` and ``n_iter_no_change=120``
# keep both running all 120 epochs (and silence the warning that they did not converge).
EPOCHS = 120
networks = {}
for rate in (0.0, 0.5):
    network = MLPBackpropClassifier(hidden_layer_sizes=(128, 128), dropout=rate,
                                    learning_rate_init=0.005, max_iter=EPOCHS, tol=0.0,
                                    n_iter_no_change=EPOCHS, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        networks[rate] = network.fit(X_train, y_train, X_val=X_val, y_val=y_val)
    losses = network.validation_loss_curve_
    print(f"dropout={rate}: final validation loss {losses[-1]:.3f}, lowest {min(losses):.3f} "
          f"(epoch {np.argmin(losses) + 1}); validation accuracy "
          f"{network.validation_scores_[-1]:.3f}")

# %%
# On the left, the losses (dotted: training; solid: validation). Without dropout, the
# training loss falls to almost nothing while the validation loss bottoms out after about
# 20 epochs and climbs from there: the network memorises its 200 samples. With dropout the
# training loss stays higher, since each step trains a thinned network, and the validation
# loss keeps falling for longer and ends lower. On the right, the validation accuracy, which
# ends about a point higher with dropout.
figure, (losses, scores) = plt.subplots(1, 2, figsize=(11, 4.5))
for (rate, network), colour in zip(networks.items(), ["tab:red", "tab:blue"], strict=True):
    epochs = range(1, network.n_iter_ + 1)
    losses.plot(epochs, network.loss_curve_, color=colour, linestyle=":",
                label=f"dropout={rate}, training")
    losses.plot(epochs, network.validation_loss_curve_, color=colour,
                label=f"dropout={rate}, validation")
    scores.plot(epochs, network.validation_scores_, color=colour, label=f"dropout={rate}")
losses.set_yscale("log")
losses.set_title("Log loss (training: of each step's thinned network, with L2)")
scores.set_title("Validation accuracy")
for axes in (losses, scores):
    axes.set_xlabel("epoch")
    axes.grid(True, alpha=0.3)
    axes.legend()
figure.suptitle("Digits, 20 per class, (128, 128) ReLU network: dropout against overfitting")
figure.tight_layout()
plt.show()
