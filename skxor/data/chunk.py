"""One chunk of a dask fit's rows as its worker holds it, and what runs on that worker.

A ``Chunk`` is a chunk of X with its encoded targets, weights and labels,
validated on the worker that computed it and kept there. The functions
below run there too, each on one chunk: its weighted loss and gradient
(L-BFGS's term, and a data-parallel step's), the network's output for its
rows, early stopping's split of its rows, and what the client keeps of it.
"""

import copy
import math
import threading
import weakref
from typing import NamedTuple

import numpy as np

from ..network.primitives import primitives


class Chunk(NamedTuple):
    """One chunk of training rows as a worker holds it: validated and encoded.

    ``labels`` are its validated ``y`` (class labels), for scorers; None once
    a streamed fit has no more use for them (``without_labels``).
    """

    X: np.ndarray
    target: np.ndarray
    sample_weight: np.ndarray | None
    labels: np.ndarray

    @property
    def data(self):
        """``(X, target, sample_weight)``, as ``Network.loss_gradient`` takes a batch."""
        return self.X, self.target, self.sample_weight

    def weight(self):
        """Its number of rows, or the sum of its weights (float64, as a batch's total)."""
        if self.sample_weight is None:
            return self.X.shape[0]
        return float(primitives(self.sample_weight).weight_total(self.sample_weight))


_THREAD_NETWORKS = threading.local()
"""Per worker thread: the copy of each network that thread computes with."""


def _own_copy(network):
    """This thread's copy of ``network``: the buffers it reuses are the thread's alone.

    A worker with several threads runs several chunks at once on the one
    network it was sent; sharing its batch buffers would mix their rows.
    """
    copies = getattr(_THREAD_NETWORKS, "copies", None)
    if copies is None:
        copies = _THREAD_NETWORKS.copies = weakref.WeakKeyDictionary()
    if network not in copies:
        copies[network] = copy.copy(network)
    return copies[network]


def chunk_loss_gradient(chunk, index, network, params):
    """``(gradient, loss)`` of ``chunk`` without the L2 term, each times the chunk's weight.

    Runs on the worker that holds the chunk; ``index``, its place in X, does
    not change it. The gradient is float64, the dtype the client sums in; a
    chunk that weighs nothing adds zeros.
    """
    gradient, loss, _ = weighted_loss_gradient(chunk, network, params)
    return gradient, loss


TERM_BLOCK_ROWS = 1024
"""The rows of a chunk whose loss and gradient are computed at once.

A block's activations stay in the core's caches. On 50,000-row chunks of 50
features this cut a loss-and-gradient by a fifth for h(64,) and a third for
h(2000,), and two workers computing at once on two cores stopped slowing
each other down (``benchmarks/bench_dask.py``, L-BFGS). Blocks of 256 to
1,024 rows did about as well for widths 64 to 2,000; 4,096 rows and more
lost most of the gain for the wide networks.
"""


def weighted_loss_gradient(chunk, network, params):
    """``(gradient, loss, weight)`` of the rows of ``chunk``, the first two times the third.

    The loss and gradient leave out the L2 term; the gradient is float64.
    They are summed over blocks of ``TERM_BLOCK_ROWS`` rows in row order,
    each times its weight, so that a chunk's term is the same bits wherever
    it is computed.
    """
    gradient = np.zeros(params.shape, dtype=np.float64)
    loss = weight = 0.0
    block_gradient = np.empty_like(params)
    network = _own_copy(network)
    for start in range(0, chunk.X.shape[0], TERM_BLOCK_ROWS):
        block = Chunk(*(None if part is None else part[start:start + TERM_BLOCK_ROWS]
                        for part in chunk))
        block_weight = block.weight()
        if block_weight == 0:
            continue
        block_loss = network.loss_gradient(params, block.data, 0.0, block_gradient)
        gradient += block_gradient.astype(np.float64) * block_weight
        loss += float(block_loss) * block_weight
        weight += float(block_weight)
    return gradient, loss, weight


def chunk_output(chunk, network, params):
    """The network's output for the rows of ``chunk``, on its worker."""
    network = _own_copy(network)
    return network.predict(network.unpack(params), chunk.X)


def held_out_split(chunk, seed, fraction):
    """``(train, held_out)``: ``ceil(fraction * rows)`` rows of ``chunk`` drawn from ``seed``.

    At least one row stays to train on wherever the chunk has two.
    """
    n_rows = chunk.X.shape[0]
    n_held = min(math.ceil(fraction * n_rows), max(n_rows - 1, 1))
    order = np.random.RandomState(seed).permutation(n_rows)
    held, kept = np.sort(order[:n_held]), np.sort(order[n_held:])
    return chunk_rows(chunk, kept), chunk_rows(chunk, held)


def chunk_rows(chunk, rows):
    """The ``rows`` of ``chunk`` (NumPy indices), as a ``Chunk`` of contiguous copies."""
    return Chunk(*(None if part is None else np.ascontiguousarray(part[rows])
                   for part in chunk))


def without_labels(chunk):
    """The chunk without its labels (no copy): what streaming sends to the client each epoch."""
    return chunk._replace(labels=None)


def validation_records(chunk):
    """What a validation set keeps of a held-out chunk on the client."""
    return chunk.target, chunk.sample_weight, chunk.labels


class ChunkSummary(NamedTuple):
    """What the client keeps of a chunk.

    ``text_labels`` says whether its labels are text (Python objects, or
    NumPy strings of several bytes a character), which cost more to send
    than numbers.
    """

    rows: int
    weight: float
    outputs: int
    text_labels: bool


def chunk_summary(chunk):
    """The ``ChunkSummary`` of a chunk, on its worker."""
    return ChunkSummary(chunk.X.shape[0], chunk.weight(), chunk.target.shape[1],
                        chunk.labels is not None and chunk.labels.dtype.kind in "OUS")
