"""Validation sets: held-out data that scores the network after every epoch.

A validation set comes either from the user (``fit(..., X_val=, y_val=)``) or
from a stratified split of the training data for early stopping. Either way
it reports the accuracy and the loss of the current parameters.
"""

import numpy as np
from sklearn.model_selection import train_test_split

from ._losses import LOSSES


class ValidationSet:
    """Held-out samples with indicator targets, scored against parameters.

    Parameters
    ----------
    network : Network
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    target : ndarray of shape (n_samples, n_outputs)
        Indicator targets, as the network is trained on.
    sample_weight : ndarray of shape (n_samples,) or None
    """

    def __init__(self, network, X, target, sample_weight):
        self.network = network
        self.X = X
        self.target = target
        self.sample_weight = sample_weight

    def __call__(self, params):
        """Accuracy and loss (without the L2 penalty) of ``params`` on this set.

        Returns
        -------
        score, loss : float
        """
        network = self.network
        coefs, intercepts = network.unpack(params)
        output = network.predict(coefs, intercepts, self.X)
        weights = (None if self.sample_weight is None
                   else self.sample_weight / self.sample_weight.sum())
        loss = LOSSES[network.loss].value(output, self.target, weights,
                                          network.output_activation)
        score = indicator_accuracy(output, self.target, self.sample_weight,
                                   network.output_activation)
        return score, loss


def split_off(network, data, rng, validation_fraction):
    """Hold out ``validation_fraction`` of ``data`` for early stopping.

    The split is stratified whenever every class allows it (see
    ``_stratify_labels``).

    Returns
    -------
    train_data : tuple
        ``(X, target, sample_weight)`` left to train on.
    validation : ValidationSet
    """
    X, target, sample_weight = data
    n_val, n_train = split_sizes(X.shape[0], validation_fraction)
    if n_val < 2 or n_train < 1:
        raise ValueError(
            f"The validation set of early_stopping would hold {n_val} of the "
            f"{X.shape[0]} samples; it needs at least 2 and must leave some to "
            "train on. Change validation_fraction, add samples, or set "
            "early_stopping=False.")
    arrays = [X, target] + ([] if sample_weight is None else [sample_weight])
    parts = train_test_split(*arrays, test_size=n_val, random_state=rng,
                             stratify=_stratify_labels(
                                 target, network.output_activation, n_val))
    train, held_out = parts[0::2], parts[1::2]
    if sample_weight is None:
        train, held_out = [*train, None], [*held_out, None]
    return tuple(train), ValidationSet(network, *held_out)


def split_sizes(n_samples, validation_fraction):
    """Validation and training sizes of the early-stopping split."""
    n_val = int(np.ceil(validation_fraction * n_samples))
    return n_val, n_samples - n_val


def _stratify_labels(target, output_activation, n_val):
    """Class of each sample when a stratified split is possible, else None.

    Multilabel targets are never stratified; single-label ones are whenever
    every class has two samples and both parts can hold every class.
    """
    if output_activation == "softmax":
        labels = target.argmax(axis=1)
    elif target.shape[1] == 1:
        labels = target.ravel()
    else:
        return None
    counts = np.bincount(labels.astype(int))
    counts = counts[counts > 0]
    n_train = target.shape[0] - n_val
    if counts.min() < 2 or min(n_val, n_train) < counts.size:
        return None
    return labels


def indicator_accuracy(output, target, sample_weight, output_activation):
    """Accuracy of network outputs against indicator targets (subset accuracy)."""
    if output_activation == "softmax":
        correct = output.argmax(axis=1) == target.argmax(axis=1)
    else:
        correct = ((output > 0.5) == (target > 0.5)).all(axis=1)
    return float(np.average(correct, weights=sample_weight))
