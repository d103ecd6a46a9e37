"""Seed 001: check every gradient of the 2-2-1 network, then train it
==================================================================

Starts from the notebook's own weights (np.random.seed(2), weights
N(0, 0.1**2), biases 0.1), prints the starting loss, compares the backprop
gradient of every parameter with central finite differences, then trains
1,000 full-batch passes at learning rate 10 and prints the loss every 100
passes, as the notebook does.

The notebook's loss falls more slowly (0.0441 after 100 passes, ours
0.0072): its backward pass multiplies by 1 - tanh(A1)**2 where A1 is already
tanh(Z1), so its hidden-layer gradient is slightly wrong. The finite
differences below confirm the derivative 1 - A1**2 that skxor uses.

Run: ``python examples/xor_gradient_check.py``
"""

import warnings

from sklearn.exceptions import ConvergenceWarning

from skxor import check_gradients
from skxor.seeds import SEED_001_X, SEED_001_Y, seed_001_network


def main():
    print("Seed 001's 2-2-1 network: tanh hidden units, sigmoid output, "
          "squared error")
    result = check_gradients(seed_001_network(), SEED_001_X, SEED_001_Y,
                             max_params=None)
    print("\nBackprop against central finite differences, at the starting weights:")
    print(result)

    with warnings.catch_warnings():
        # 1,000 passes exactly, as in the notebook
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = seed_001_network(max_iter=1_000).fit(SEED_001_X, SEED_001_Y)
    print(f"\nStarting loss: {clf.loss_curve_[0]!r}")
    print("Loss every 100 passes (learning rate 10):")
    for loss in clf.loss_curve_[::100]:
        print(f"  {loss}")
    proba = clf.predict_proba(SEED_001_X)[:, 1]
    print(f"\nA2 = {proba.round(3)}")
    print(f"Y  = {SEED_001_Y}")


if __name__ == "__main__":
    main()
