"""Held-out sets: rows that score the network after every epoch, and how they are drawn.

A validation set comes either from the user (``fit(..., X_val=, y_val=)``)
or from early stopping's split of the training rows, drawn here as
scikit-learn's MLPs draw it. Either way ``ValidationSet`` reports the score
(by the estimator's ``scoring``) and the loss of the current parameters.
"""

import numpy as np
from sklearn import config_context
from sklearn.model_selection import train_test_split

from ..network.losses import normalized_weights
from ..network.primitives import to_numpy


class ValidationSet:
    """Held-out samples with their targets, scored against parameters.

    Parameters
    ----------
    network : Network
    score : callable
        ``score(validation_set, params, output, loss) -> float``, larger is
        better: the estimator's scoring (its default metric of ``output`` and
        ``host_target``, a scikit-learn scorer, or the negated ``loss``).
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    target : ndarray of shape (n_samples, n_outputs)
        Targets, as the network is trained on.
    sample_weight : ndarray of shape (n_samples,) or None
    labels : ndarray of shape (n_samples,) or (n_samples, n_outputs), optional
        The targets as the user gave them (class labels), for scorers.

    X, the targets and the weights may live in any array namespace, X's;
    ``output`` comes back to the host once per call, with host copies of
    the targets and weights beside it.
    """

    def __init__(self, network, score, X, target, sample_weight, labels=None):
        self.network = network
        self.score = score
        self.X = X
        self.target = target
        self.sample_weight = sample_weight
        self.labels = labels
        self.host_target = to_numpy(target)
        self.host_weight = to_numpy(sample_weight)

    def release(self):
        """Nothing to let go: these rows are in memory (see ``ChunkedValidationSet``)."""

    def __call__(self, params):
        """Score and loss (without the L2 penalty) of ``params`` on this set.

        Returns
        -------
        score, loss : float
        """
        network = self.network
        output = self.output(params)
        _, weights = normalized_weights(self.sample_weight)
        loss = network.loss.value(output, self.target, weights, network.output_activation)
        loss = float(network.loss.reported(loss, output.shape[1]))
        return self.score(self, params, to_numpy(output), loss), loss

    def output(self, params):
        """The network's output for ``X`` under ``params``, where the targets live."""
        return self.network.predict(self.network.unpack(params), self.X)


def held_out_rows(target, labels, rng, validation_fraction, stratify):
    """``(train_rows, held_out_rows)``: early stopping's split, as scikit-learn's MLPs draw it.

    The same rows as their split for the same ``rng``: with ``stratify``
    (the classifier) stratified for a single output column (binary targets),
    by the column's truth value, and not stratified for multiclass and
    multilabel targets; never for the regressor. Errors are
    ``train_test_split``'s, such as the one for a class with a single member;
    as in MLPClassifier's fit, which skips nested parameter validation, a
    ``validation_fraction`` of 0 is a plain ``ValueError`` from the splitter.
    """
    strata = (to_numpy(target).astype(bool) if stratify and target.shape[1] == 1
              else None)
    try:
        with config_context(skip_parameter_validation=True):
            train_rows, held_rows = train_test_split(
                np.arange(target.shape[0]), test_size=validation_fraction, random_state=rng,
                stratify=strata)
    except ValueError as error:
        if strata is None:
            raise
        raise ValueError(_stratified_split_failure(error, labels, validation_fraction)) \
            from error
    if held_rows.shape[0] < 2:
        raise ValueError("The validation set is too small. Increase 'validation_fraction' "
                         "or the size of your dataset.")
    return train_rows, held_rows


def _stratified_split_failure(error, labels, validation_fraction):
    """What went wrong in early stopping's stratified split, and the ways out."""
    classes, counts = np.unique(labels, return_counts=True)
    rare = [label.item() for label in classes[counts < 2]]
    if labels.ndim == 1 and len(labels) > 1 and rare:
        named = (f"class {rare[0]!r} has" if len(rare) == 1
                 else f"classes {', '.join(map(repr, rare))} have")
        what = (f"{named} a single sample, and a stratified split needs at least 2 of "
                "each class, one on each side")
    else:
        what = "the split failed"
    return (f"early_stopping=True holds out validation_fraction={validation_fraction} of the "
            f"rows for validation, stratified by class as in MLPClassifier, but {what}. "
            "Pass a validation set of your own as X_val/y_val, change validation_fraction, "
            f"or set early_stopping=False. (The splitter's words: {error})")


def check_some_weight(sample_weight, part):
    """A part of the early-stopping split must weigh something to train on or score."""
    if sample_weight is not None and not to_numpy(sample_weight).any():
        raise ValueError(
            f"Every sample_weight of the {sample_weight.size} rows that early_stopping "
            f"drew for {part} is zero, so there is nothing to "
            f"{'train on' if part == 'training' else 'score'}. Change random_state or "
            "validation_fraction, or pass a validation set of your own as X_val/y_val.")
