"""The XOR notebooks' data and networks, as ``MLPBackpropClassifier`` settings.

Seed 000 (Trask's 11-line network), seed 001 (the 2-2-1 network with a
finite-difference check of every gradient) and seed 002 (the ``Layer`` /
``Network`` refactor) train small networks on XOR. The functions here return
those networks ready to ``fit``, so the demo, the examples and the tests all
use one definition.
"""

import numpy as np

from ._classifier import MLPBackpropClassifier

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
"""The four XOR inputs."""

XOR_Y = np.array([0, 1, 1, 0])
"""Their XOR labels."""

SEED_001_X = np.array([[0, 1], [1, 0], [0, 0], [1, 1]])
"""Seed 001's inputs, in the notebook's order (its ``A0`` transposed)."""

SEED_001_Y = np.array([1, 1, 0, 0])
"""Seed 001's labels."""

SEED_001_START_LOSS = 0.12519375208599626
"""The loss seed 001 prints before its first update."""


def with_bias_column(X):
    """Append the constant input 1 that seeds 000 and 002 use instead of biases.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)

    Returns
    -------
    X_bias : ndarray of shape (n_samples, n_features + 1)
    """
    X = np.asarray(X, dtype=float)
    return np.hstack([X, np.ones((X.shape[0], 1))])


def trask_network(hidden_layer_sizes=(4,), max_iter=60_000, random_state=1):
    """Seed 000's network: sigmoid units, squared error, full-batch gradient descent.

    The notebook adds the summed gradient of ``1/2 sum (y - t)**2`` over the
    four samples; our loss is the mean, so a learning rate of 4 takes the same
    steps. Weights start ``U[-1, 1]`` as ``2 * np.random.random(...) - 1`` does.
    Like the notebook it runs all ``max_iter`` passes: ``n_iter_no_change`` is
    set so that a stalling loss never ends training early. Fit it on
    ``with_bias_column(XOR_X)``.

    Returns
    -------
    clf : MLPBackpropClassifier
    """
    return MLPBackpropClassifier(
        hidden_layer_sizes=hidden_layer_sizes, activation="sigmoid", solver="sgd",
        loss="squared_error", weight_init="uniform", learning_rate_init=4.0,
        momentum=0.0, alpha=0.0, max_iter=max_iter, tol=0.0, n_iter_no_change=max_iter,
        random_state=random_state)


def seed_001_initial_weights():
    """Seed 001's starting weights, as ``(coefs, intercepts)`` in our layout.

    The notebook calls ``np.random.seed(2)``, draws ``W0 = randn(2, 2) * 0.1``
    and ``W1 = randn(1, 2) * 0.1`` and sets every bias to 0.1. Its matrices
    are (units, inputs); ``coefs_`` are (inputs, units), hence the transposes.
    """
    notebook_rng = np.random.RandomState(2)
    hidden_weights = notebook_rng.randn(2, 2) * 0.1
    output_weights = notebook_rng.randn(1, 2) * 0.1
    return [hidden_weights.T, output_weights.T], [np.full(2, 0.1), np.full(1, 0.1)]


def seed_001_network(max_iter=1_000):
    """Seed 001's 2-2-1 tanh network with a sigmoid output, from its own weights.

    Squared error, full-batch gradient descent at learning rate 10, no
    momentum, no L2 penalty. ``warm_start=True`` makes the first fit start
    from the assigned notebook weights.

    Returns
    -------
    clf : MLPBackpropClassifier
    """
    clf = MLPBackpropClassifier(
        hidden_layer_sizes=(2,), activation="tanh", solver="sgd", loss="squared_error",
        learning_rate_init=10.0, momentum=0.0, alpha=0.0, max_iter=max_iter, tol=0.0,
        warm_start=True, random_state=0)
    clf.coefs_, clf.intercepts_ = seed_001_initial_weights()
    return clf
