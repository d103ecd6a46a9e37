"""Data-parallel sgd and adam on Dask: every worker computes its share of each mini-batch.

With ``dask_training="data_parallel"`` the stochastic solvers train on the
cluster instead of streaming the rows to the client. An epoch takes
``ceil(n_rows / batch_size)`` steps. Each chunk's rows are visited in an
order drawn for that epoch and chunk, and split into as many nearly equal
slices as there are steps; step ``s``'s global mini-batch is slice ``s`` of
every chunk. Each worker computes the weighted loss and gradient of its
chunks' slices, sums them over its spans of the fixed tree (``sum_tree``),
and the client adds the spans up, adds the L2 term for the batch's weight,
and makes the step. Only the parameters go out and the partial sums come
back. The result depends on the chunking, never on the number of workers.

What differs from training in memory on the same rows:

- A batch holds a slice of every chunk, not ``batch_size`` rows drawn from
  all of them, and a chunk smaller than the number of steps sits out some
  steps.
- The orders are drawn from one seed per epoch, taken from the fit's
  generator, instead of MLPClassifier's permutation of all rows.
- Dropout is refused: its masks would have to be drawn on the workers.
"""

import math

import numpy as np

from .chunk import Chunk, weighted_loss_gradient


def step_slice(n_rows, n_steps, step):
    """``(start, stop)``: the rows of a chunk's epoch order that a step takes."""
    return step * n_rows // n_steps, (step + 1) * n_rows // n_steps


_EPOCH_ORDERS = {}
"""On a worker: ``(seed, chunk index) -> row order`` of the epoch under way, drawn once."""


def epoch_order(seed, index, n_rows):
    """The order in which chunk ``index`` visits its rows in the epoch seeded ``seed``.

    Drawn once per epoch and chunk, not at every step; the orders of an
    earlier epoch are dropped when a new seed comes.
    """
    key = (seed, index)
    order = _EPOCH_ORDERS.get(key)
    if order is None:
        if any(known != seed for known, _ in _EPOCH_ORDERS):
            _EPOCH_ORDERS.clear()
        order = _EPOCH_ORDERS[key] = np.random.default_rng([seed, index]).permutation(n_rows)
    return order


def chunk_step_terms(chunk, index, network, params, seed, n_steps, step):
    """``(gradient, loss, weight)`` of chunk ``index``'s slice of step ``step``, on its worker.

    ``seed`` is the epoch's, or None for the chunk's own row order (no
    shuffle). The loss and gradient are times the slice's weight, without
    the L2 term.
    """
    n_rows = chunk.X.shape[0]
    rows = slice(*step_slice(n_rows, n_steps, step))
    if seed is not None:
        rows = epoch_order(seed, index, n_rows)[rows]
    weights = None if chunk.sample_weight is None else chunk.sample_weight[rows]
    return weighted_loss_gradient(Chunk(chunk.X[rows], chunk.target[rows], weights, None),
                                  network, params)


class SharedBatches:
    """One epoch's global mini-batches, each computed across the workers.

    Parameters
    ----------
    data : ChunkedData
    n_steps : int
    seed : int or None
        The epoch's seed of the chunks' row orders; None keeps their order.
    """

    def __init__(self, data, n_steps, seed):
        self.data, self.n_steps, self.seed = data, n_steps, seed

    def step_rows(self, step):
        """How many rows step ``step``'s batch holds."""
        bounds = (step_slice(rows, self.n_steps, step) for rows in self.data.chunk_rows)
        return sum(stop - start for start, stop in bounds)

    def loss_gradient(self, network, params, step, alpha, grad):
        """The loss of step ``step``'s batch with the L2 term, its gradient into ``grad``.

        Returns None, leaving ``grad`` as it was, when the batch weighs
        nothing: the step is skipped.
        """
        sums = self.data.resident_sums(network)
        total, loss, weight = sums.sum(chunk_step_terms, params, self.seed, self.n_steps, step)
        if weight == 0:
            return None
        grad[...] = total / weight
        return loss / weight + network.add_l2_penalty(params, grad, alpha, weight)


class DataParallelEpochs:
    """The epochs of a ``ChunkedData`` trained data-parallel (see the module's docstring).

    Parameters
    ----------
    data : ChunkedData
    settings : EpochSettings
    """

    steps_elsewhere = True
    """Each step's gradient is computed on the workers (``SharedBatches``), not from rows
    sent to the client: the epoch loop makes the steps from what they send back."""

    def __init__(self, data, settings):
        if settings.dropout is not None:
            raise ValueError(
                "dask_training='data_parallel' trains without dropout: each worker would "
                "draw the masks of its rows. Set dropout=0, or dask_training='stream'.")
        self.data, self.shuffle = data, settings.shuffle
        self.n_rows = data.n_rows
        self.n_batches = math.ceil(data.n_rows / settings.batch_size)

    def blocks(self, rng):
        """This epoch as one ``SharedBatches``, its orders seeded from ``rng`` when shuffling."""
        self.data.epochs += 1
        seed = int(rng.randint(np.iinfo(np.int32).max)) if self.shuffle else None
        return (SharedBatches(self.data, self.n_batches, seed),)

    def close(self):
        """Nothing to stop: the rows stay on the workers."""
