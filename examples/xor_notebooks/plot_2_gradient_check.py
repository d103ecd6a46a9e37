"""
Check every gradient of a 2-2-1 network against finite differences
==================================================================

The second XOR notebook builds a 2-2-1 network, tanh hidden units and a sigmoid output, and
checks each derivative of its backward pass by nudging one weight at a time and watching the
loss move. ``skxor.check_gradients`` does the same for any ``MLPBackpropClassifier``. This
example starts from the notebook's own weights, checks all nine parameters, then trains
1,000 passes as the notebook does.
"""

# %%
# ``skxor.seeds.seed_001_network`` returns the notebook's network with its starting weights
# (drawn after ``np.random.seed(2)``: weights N(0, 0.1²), biases 0.1), set to train by
# full-batch gradient descent on the squared error at learning rate 10. The notebook lists the
# XOR rows in its own order, kept here.
import warnings

import matplotlib.pyplot as plt
from sklearn.exceptions import ConvergenceWarning

from skxor import check_gradients
from skxor.seeds import SEED_001_X, SEED_001_Y, seed_001_network

print(SEED_001_X, SEED_001_Y)

# %%
# ``check_gradients`` compares the backpropagated gradient of each parameter with the
# central difference ``(loss(w + eps) - loss(w - eps)) / (2 eps)``, at the weights ``fit``
# would start from. ``max_params=None`` checks every parameter (on large networks it samples).
# Look at the last column: the two agree to about 1e-9, far inside the tolerance.
result = check_gradients(seed_001_network(), SEED_001_X, SEED_001_Y, max_params=None)
print(result)

# %%
# Now train. The notebook runs exactly 1,000 passes and prints the loss every 100; the
# network here does the same (a ``ConvergenceWarning`` would only say that the loss is still
# falling after the last pass). The first loss is the one the notebook prints before its first
# update, so the loss after ``k`` passes is ``loss_curve_[k]``.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    network = seed_001_network(max_iter=1_000).fit(SEED_001_X, SEED_001_Y)
print(f"Starting loss: {network.loss_curve_[0]!r}")
print("Loss every 100 passes (learning rate 10):")
for loss in network.loss_curve_[::100]:
    print(f"  {loss}")
print(f"A2 = {network.predict_proba(SEED_001_X)[:, 1].round(3)}")
print(f"Y  = {SEED_001_Y}")

# %%
# The notebook's own loss falls more slowly: 0.0441 after 100 passes, against 0.0072 here.
# Its backward pass multiplies by ``1 - tanh(A1)**2`` where ``A1`` already is ``tanh(Z1)``,
# so its hidden-layer gradient is slightly wrong. The finite differences above confirm the
# derivative ``1 - A1**2`` that skxor uses. On the left, the check's worst relative error per
# block of parameters against the tolerance; on the right, the loss curve with the notebook's
# value after 100 passes.
blocks = [f"layer {row.layer}\n{row.kind}" for row in result.rows]
figure, (errors, losses) = plt.subplots(1, 2, figsize=(11, 4.2))
errors.bar(blocks, [row.max_rel_error for row in result.rows], color="tab:blue")
errors.axhline(result.tolerance, color="tab:red", linestyle="--",
               label=f"tolerance {result.tolerance:.0e}")
errors.set_yscale("log")
errors.set_ylim(1e-12, 1e-3)
errors.set_ylabel("largest relative error")
errors.set_title("Backprop against finite differences")
errors.legend()
losses.plot(range(len(network.loss_curve_)), network.loss_curve_,
            label="skxor (derivative 1 - A1**2)")
losses.scatter([100], [0.0441], color="tab:red", zorder=3,
               label="the notebook after 100 passes\n(its derivative 1 - tanh(A1)**2)")
losses.set_yscale("log")
losses.set_xlabel("passes done")
losses.set_ylabel("squared error")
losses.set_title("Training at learning rate 10")
losses.legend(loc="upper right")
for axes in (errors, losses):
    axes.grid(True, alpha=0.3)
figure.suptitle("The 2-2-1 XOR network of the second notebook")
figure.tight_layout()
plt.show()
