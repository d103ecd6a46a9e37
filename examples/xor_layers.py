"""Seed 002: the Layer / Network refactor, with any number of hidden layers
========================================================================

The notebook ends with a Network class that stacks sigmoid layers of any
width. Here the same XOR problem (a constant third input as the bias, squared
error, full-batch gradient descent, 10,000 passes) is learnt by networks with
hidden layers (6,), (4, 4) and (8, 8, 8): only hidden_layer_sizes changes.

Run: ``python examples/xor_layers.py``
"""

import warnings

from sklearn.exceptions import ConvergenceWarning

from skxor.seeds import XOR_X, XOR_Y, trask_network, with_bias_column

HIDDEN_LAYERS = [(6,), (4, 4), (8, 8, 8)]


def train_and_show(hidden, passes):
    """Fit a sigmoid network with these hidden layers and print its outputs."""
    inputs = with_bias_column(XOR_X)
    clf = trask_network(hidden_layer_sizes=hidden, max_iter=passes)
    with warnings.catch_warnings():
        # a fixed number of passes, as in the notebook
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(inputs, XOR_Y)
    sizes = " -> ".join(str(size) for size in (3, *hidden, 1))
    print(f"Network {sizes}, {passes:,} passes: {sum(c.size for c in clf.coefs_)} "
          f"weights, final loss {clf.loss_:.2e}")
    proba = clf.predict_proba(inputs)[:, 1]
    for row, target, p in zip(XOR_X, XOR_Y, proba, strict=True):
        print(f"  {row.tolist()} target {target}  output {p:.4f}")


def main():
    for hidden in HIDDEN_LAYERS:
        train_and_show(hidden, 10_000)


if __name__ == "__main__":
    main()
