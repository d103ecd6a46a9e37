"""A fit's rows in memory: ``InMemoryData``, and how an epoch visits them.

``InMemoryData`` holds X, the targets the network trains on, the sample
weights and the labels the targets encode, in one namespace and device
(NumPy, or X's under array API dispatch; X may be SciPy sparse). It
answers what the solvers ask of data (see ``skxor.data``); ``ChunkedData``
answers the same for a dask fit.
"""

import math
from contextlib import nullcontext
from typing import NamedTuple

import numpy as np

from ..network.constants import numpy_dtype
from ..network.primitives import primitives, to_numpy
from .held_out import ValidationSet, check_some_weight, held_out_rows


class InMemoryData:
    """Rows of a fit held in memory.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Validated, in the dtype training computes in.
    target : ndarray of shape (n_samples, n_outputs)
        What the network trains toward (encoded labels, or values).
    sample_weight : ndarray of shape (n_samples,) or None
    labels : ndarray
        The targets as the user gave them (class labels), on the host, for
        scorers and the stratified split.
    """

    def __init__(self, X, target, sample_weight, labels):
        self.X, self.target, self.sample_weight, self.labels = X, target, sample_weight, labels

    @property
    def n_rows(self):
        """The number of rows."""
        return self.X.shape[0]

    @property
    def n_features(self):
        """The width of X."""
        return self.X.shape[1]

    @property
    def n_outputs(self):
        """The number of targets of each row: the network's outputs."""
        return self.target.shape[1]

    @property
    def dtype(self):
        """The NumPy dtype training computes in: X's."""
        return numpy_dtype(self.X.dtype)

    @property
    def batch(self):
        """All the rows as one batch, ``(X, target, sample_weight)``."""
        return self.X, self.target, self.sample_weight

    @property
    def callback_data(self):
        """What scikit-learn's callbacks are shown of the training data: X, y, weights."""
        return self.X, self.labels, self.sample_weight

    def loss_gradient(self, network, params, alpha, grad, report=True):
        """The loss of every row (``Network.loss_gradient``), its gradient in ``grad``."""
        return network.loss_gradient(params, self.batch, alpha, grad, report=report)

    def epoch_rows(self, settings):
        """What each epoch of a stochastic solver visits: these rows, as one block."""
        return InMemoryRows(self.batch, settings)

    def split_off(self, rng, validation_fraction, stratify):
        """``(train, held_out)``: early stopping's split of these rows, each an ``InMemoryData``.

        The rows are scikit-learn's MLPs' for the same ``rng`` (see
        ``held_out_rows``); each part must weigh something.
        """
        train_rows, held_rows = held_out_rows(self.target, self.labels, rng,
                                              validation_fraction, stratify)
        train, held_out = self._rows(train_rows), self._rows(held_rows)
        check_some_weight(train.sample_weight, "training")
        check_some_weight(held_out.sample_weight, "validation")
        return train, held_out

    def validation_set(self, network, score):
        """These rows as a ``ValidationSet`` that scores ``network`` with ``score``."""
        return ValidationSet(network, score, self.X, self.target, self.sample_weight,
                             labels=self.labels)

    def lost_cluster_worded(self):
        """Rows in memory lose no cluster: a context that changes nothing."""
        return nullcontext()

    def release(self):
        """Nothing to let go: the rows belong to the caller."""

    def _rows(self, rows):
        """The ``rows`` (NumPy indices) of every array, in their namespace."""
        ops = primitives(self.X)
        index = ops.index_rows(rows, self.X)
        taken = [None if array is None else ops.take_rows(array, index, None)
                 for array in self.batch]
        return InMemoryData(*taken, self.labels[rows])


class RowBlock(NamedTuple):
    """Rows that an epoch trains on in one pass of mini-batches.

    ``data`` is ``(X, target, sample_weight)``; ``order`` the order to visit
    its rows in (NumPy indices), or None for the data's own; ``weight_on_host``
    a NumPy copy of the weights when some are zero, else None; ``buffers``
    reusable batches (``batch_buffers``) for gathering rows in ``order``, or None.
    """

    data: tuple
    order: object
    weight_on_host: object
    buffers: object


class InMemoryRows:
    """In-memory data, which every epoch visits as one block in a freshly shuffled order.

    The order is shuffled in place, with the same draws (and the same order)
    as ``order[rng.permutation(n)]`` in MLPClassifier. When one batch holds
    every row, the order changes only the summation order: it is drawn all
    the same, so that the generator's later draws stay MLPClassifier's.

    A shuffled batch is gathered into buffers made once per start and reused
    by every epoch: half the time of gathering a shuffled copy of the whole
    data set (measured on 20000 x 100), which also cost a copy's worth of
    peak memory, and the rows land in cache just before they are used. The
    host copy of the weights is made once too: arrays on a device are not
    read back inside the training loop.
    """

    steps_elsewhere = False
    """The epoch loop gathers its batches from these rows (see ``DataParallelEpochs``)."""

    def __init__(self, data, settings):
        self.shuffle = settings.shuffle
        self.n_rows = data[0].shape[0]
        self.n_batches = math.ceil(self.n_rows / settings.batch_size)
        self.order = np.arange(self.n_rows)
        gathers = settings.shuffle and self.n_rows > settings.batch_size
        buffers = batch_buffers(data, settings.batch_size) if gathers else None
        self._blocks = (RowBlock(data, self.order if gathers else None,
                                 weights_if_some_zero(data[2]), buffers),)

    def blocks(self, rng):
        """This epoch's one block, its order drawn from ``rng`` when shuffling."""
        if self.shuffle:
            rng.shuffle(self.order)
        return self._blocks

    def close(self):
        """Nothing to stop: the rows were in memory all along."""


def weights_if_some_zero(sample_weight):
    """A NumPy copy of ``sample_weight`` if any weight is zero, else None."""
    weights = to_numpy(sample_weight)
    return None if weights is None or weights.all() else weights


def batch_buffers(data, batch_size):
    """One reusable batch of rows per array of ``data``; None for sparse ones."""
    return [primitives(array).batch_buffer(array, batch_size)
            for array in data if array is not None]
