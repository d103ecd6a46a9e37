"""
Robust losses against outliers: squared, absolute, Huber and Poisson
====================================================================

``MLPBackpropRegressor`` takes a ``loss``. The squared error, scikit-learn's only choice for
``MLPRegressor``, pulls the fit towards every point in proportion to how far off it is, so a
few wild points can bend it. This example fits a noisy curve with one point in ten lifted far
above it, once with each loss, and measures how far each fit lands from the true curve.
"""

# %%
# 300 points of ``y = 2 + sin(2x)`` with a little noise; one point in ten, at random, is an
# outlier lifted by 4 to 8.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropRegressor

rng = np.random.RandomState(0)
x = np.sort(rng.uniform(-3, 3, 300))
truth = 2 + np.sin(2 * x)
y = truth + rng.normal(scale=0.15, size=x.size)
outliers = rng.rand(x.size) < 0.1
y[outliers] += rng.uniform(4, 8, outliers.sum())
X = x.reshape(-1, 1)
print(f"{outliers.sum()} outliers among {x.size} points")

# %%
# The four losses. The squared error and the Poisson deviance grow without bound as a point
# gets further off, so the outliers' pull grows too. The absolute error pulls every point
# with the same force however far it is, and Huber's loss is squared up to
# ``huber_threshold`` and absolute beyond it. Each fit gets the same budget, 600 epochs of Adam
# on a (64, 64) tanh network; not every loss settles within it, so the warnings are silenced.
LOSSES = {
    "squared_error": dict(loss="squared_error"),
    "poisson": dict(loss="poisson"),
    "absolute_error": dict(loss="absolute_error"),
    "huber (threshold 0.5)": dict(loss="huber", huber_threshold=0.5),
}
predictions = {}
for name, loss in LOSSES.items():
    regressor = MLPBackpropRegressor(hidden_layer_sizes=(64, 64), activation="tanh",
                                     learning_rate_init=0.01, max_iter=600, random_state=0,
                                     **loss)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        predictions[name] = regressor.fit(X, y).predict(X)
    error = np.mean(np.abs(predictions[name] - truth))
    print(f"{name:>22}: mean distance to the true curve {error:.3f}")

# %%
# Look at the region around each cluster of outliers: the squared-error and Poisson fits
# lift towards them, while the absolute-error and Huber fits stay on the curve, less than
# half as far from it on average.
figure, axes = plt.subplots(figsize=(10, 6.5))
axes.scatter(x[~outliers], y[~outliers], s=8, color="0.6", label="data")
axes.scatter(x[outliers], y[outliers], s=14, color="black", marker="x",
             label="outliers (1 in 10)")
axes.plot(x, truth, color="black", linewidth=2, linestyle="--", label="true curve 2 + sin(2x)")
for name, prediction in predictions.items():
    error = np.mean(np.abs(prediction - truth))
    axes.plot(x, prediction, linewidth=2, label=f"{name} ({error:.2f} off)")
axes.set_xlabel("x")
axes.set_ylabel("y")
axes.set_ylim(0, 10)
axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3)
axes.set_title("MLPBackpropRegressor, (64, 64) tanh units: each loss on data with outliers")
figure.tight_layout()
plt.show()
