"""
One, two or three hidden layers on XOR: only hidden_layer_sizes changes
=======================================================================

The third XOR notebook rewrites the first one's network as ``Layer`` and ``Network``
classes, so that sigmoid layers of any width can be stacked. In skxor the depth and widths
are one parameter, ``hidden_layer_sizes``. This example trains the first notebook's network
(sigmoid units, squared error, full-batch gradient descent, a constant third input as the bias)
with hidden layers (6,), (4, 4) and (8, 8, 8), and compares how fast each learns.
"""

# %%
# ``skxor.seeds.trask_network`` takes ``hidden_layer_sizes`` like any
# ``MLPBackpropClassifier``. Each network trains for 5,000 passes, every one of them: the
# notebook's networks stop after a fixed number of passes, not when the loss levels off, so a
# ``ConvergenceWarning`` would say nothing new and is silenced.
import warnings

import matplotlib.pyplot as plt
from sklearn.exceptions import ConvergenceWarning

from skxor.seeds import XOR_X, XOR_Y, trask_network, with_bias_column

HIDDEN_LAYERS = [(6,), (4, 4), (8, 8, 8)]
PASSES = 5_000
inputs = with_bias_column(XOR_X)

networks = {}
for hidden in HIDDEN_LAYERS:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        networks[hidden] = trask_network(hidden_layer_sizes=hidden, max_iter=PASSES).fit(
            inputs, XOR_Y)

# %%
# All three learn XOR: every output is within 0.02 of its target. The deeper networks have
# more weights and end at a lower loss.
for hidden, network in networks.items():
    sizes = " -> ".join(str(size) for size in (3, *hidden, 1))
    n_weights = sum(weights.size for weights in network.coefs_)
    print(f"Network {sizes}, {PASSES:,} passes: {n_weights} weights, "
          f"final loss {network.loss_:.2e}")
    for row, target, p in zip(XOR_X, XOR_Y, network.predict_proba(inputs)[:, 1], strict=True):
        print(f"  {row.tolist()} target {target}  output {p:.4f}")

# %%
# The loss curves, on log-log axes. Each network first sits on a plateau, where its outputs
# hover around the mean target, then drops once its hidden units split the inputs apart. The
# single hidden layer leaves its plateau first; the deeper networks take longer to start and
# then fall faster. The (8, 8, 8) network jumps about as it leaves the plateau: a learning
# rate of 4 makes large steps.
figure, axes = plt.subplots(figsize=(8, 4.5))
for hidden, network in networks.items():
    axes.plot(range(1, PASSES + 1), network.loss_curve_, label=f"hidden_layer_sizes={hidden}")
axes.set_xscale("log")
axes.set_yscale("log")
axes.set_xlabel("pass")
axes.set_ylabel("squared error")
axes.set_title("XOR, sigmoid networks of one to three hidden layers")
axes.grid(True, which="major", alpha=0.3)
axes.legend()
plt.show()
