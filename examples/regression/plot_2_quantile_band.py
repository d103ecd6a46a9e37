"""
A 90 % prediction band from one network: quantile regression
============================================================

A prediction says where y is expected; a band says how far it may stray. With
``loss="quantile"`` and ``quantile=[0.05, 0.5, 0.95]``, one ``MLPBackpropRegressor`` learns
three conditional quantiles at once, one output each: between the 5 % and 95 % quantiles lies
a band that should hold 90 % of new points, narrow where the data are tight and wide where they
spread. This example fits such a band and checks its coverage on fresh data.
"""

# %%
# Data whose spread grows away from x = 0: ``y = sin(x) + (0.2 + 0.5 |x|) e``, with e standard
# normal. ``sample`` draws from it, so that the band can later be checked on points the
# network has not seen.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning

from skxor import MLPBackpropRegressor


def sample(n_samples, seed):
    rng = np.random.RandomState(seed)
    x = rng.uniform(-3, 3, size=(n_samples, 1))
    noise = (0.2 + 0.5 * np.abs(x[:, 0])) * rng.standard_normal(n_samples)
    return x, np.sin(x[:, 0]) + noise


x, y = sample(2000, seed=0)

# %%
# One network, three outputs. ``predict`` returns one column per quantile level, each row
# sorted so that the band never crosses itself: below, the 5 %, 50 % and 95 % quantiles at
# x = 0 and at x = 2.9. The fit runs 300 epochs of Adam, a fixed budget, and the warning
# that it has not fully converged is silenced.
model = MLPBackpropRegressor(loss="quantile", quantile=[0.05, 0.5, 0.95],
                             hidden_layer_sizes=(64, 64), learning_rate_init=0.01,
                             max_iter=300, random_state=0)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    model.fit(x, y)
print(model.predict([[0.0], [2.9]]).round(2))

# %%
# Does the band hold 90 % of new points? Count them on 20,000 fresh draws, overall, near
# x = 0 where the band must be narrow, and at the edges where it must be wide. All three come
# out within a few points of 0.90, and the band is several times wider at the edges.
x_new, y_new = sample(20000, seed=1)
low, _, high = model.predict(x_new).T
inside = (y_new >= low) & (y_new <= high)
centre, edges = np.abs(x_new[:, 0]) < 0.5, np.abs(x_new[:, 0]) > 2.5
print(f"coverage of fresh points: {inside.mean():.3f} (|x| < 0.5: "
      f"{inside[centre].mean():.3f}, |x| > 2.5: {inside[edges].mean():.3f})")
print(f"mean band width: |x| < 0.5: {np.mean(high - low, where=centre):.2f}, "
      f"|x| > 2.5: {np.mean(high - low, where=edges):.2f}")

# %%
# The band against the truth: the dashed lines are the true 5 % and 95 % quantiles,
# ``sin(x) ± 1.645 (0.2 + 0.5 |x|)`` (1.645 is the standard normal's 95 % quantile). The
# predicted band follows them, least closely at the far left, where its upper edge runs
# low.
Z_95 = 1.6449
grid = np.linspace(-3, 3, 400).reshape(-1, 1)
low, median, high = model.predict(grid).T
spread = Z_95 * (0.2 + 0.5 * np.abs(grid[:, 0]))
figure, axes = plt.subplots(figsize=(9, 5.4))
axes.scatter(x[:, 0], y, s=4, color="0.6", alpha=0.5, label="training points")
axes.fill_between(grid[:, 0], low, high, color="tab:blue", alpha=0.25,
                  label="predicted 5 %-95 % band")
axes.plot(grid[:, 0], median, color="tab:blue", label="predicted median")
for sign in (-1, 1):
    axes.plot(grid[:, 0], np.sin(grid[:, 0]) + sign * spread, "k--", linewidth=1,
              label="true 5 % and 95 % quantiles" if sign < 0 else None)
axes.set_xlabel("x")
axes.set_ylabel("y")
axes.set_title('MLPBackpropRegressor(loss="quantile", quantile=[0.05, 0.5, 0.95])')
axes.legend(loc="upper left")
figure.tight_layout()
plt.show()
