"""A dask fit's training rows: validated chunks that stay on the Dask workers.

``ChunkedData`` answers what ``InMemoryData`` answers, for rows that stay
where they are. Each chunk of rows is kept, validated and encoded, on the
worker that computed it, as a ``Chunk``:

- L-BFGS asks it for the full-batch loss (``loss_gradient``). Each worker
  computes its chunks' loss and gradient with the network's own
  ``loss_gradient``, weighted by the chunk's share of the rows; the client
  adds them up in chunk order and adds the L2 term. Only the parameters go
  out and one gradient per chunk comes back, and the sum depends neither on
  which worker finished first nor on how many there are.
- The stochastic solvers stream it (``epoch_rows``): each epoch visits the
  chunks in an order drawn from the fit's generator, shuffles the rows
  within each, and fetches the next chunk while the current one trains.
- Early stopping holds out rows of every chunk (``split_off``); a
  ``ChunkedValidationSet`` scores them on the workers.
"""

import copy
import math
import operator
import threading
import time
import weakref
from concurrent.futures import CancelledError, ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

from ..network.primitives import primitives
from .held_out import ValidationSet
from .in_memory import RowBlock, batch_buffers, weights_if_some_zero

_ATTEMPTS = 20
"""Tries of an evaluation, half a second apart, before a lost worker's error stands."""


class Chunk(NamedTuple):
    """One chunk of training rows as a worker holds it: validated and encoded.

    ``labels`` are its validated ``y`` (class labels), for scorers.
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


def chunk_loss_gradient(chunk, network, params):
    """``(loss, gradient)`` of ``chunk`` without the L2 term, each times the chunk's weight.

    Runs on the worker that holds the chunk. The gradient is float64, the
    dtype the client sums in; a chunk that weighs nothing adds zeros.
    """
    weight = chunk.weight()
    if weight == 0:
        return 0.0, np.zeros(params.shape, dtype=np.float64)
    grad = np.empty_like(params)
    loss = _own_copy(network).loss_gradient(params, chunk.data, 0.0, grad)
    return float(loss) * weight, grad.astype(np.float64) * weight


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
    return _rows(chunk, kept), _rows(chunk, held)


def _rows(chunk, rows):
    return Chunk(*(None if part is None else np.ascontiguousarray(part[rows])
                   for part in chunk))


def _records(chunk):
    """What a validation set keeps of a held-out chunk on the client."""
    return chunk.target, chunk.sample_weight, chunk.labels


def chunk_summary(chunk):
    """``(rows, weight, outputs)`` of a chunk: what the client keeps of it."""
    return chunk.X.shape[0], chunk.weight(), chunk.target.shape[1]


class ChunkedData:
    """Training rows held on the workers as one ``Chunk`` future per chunk of X.

    Parameters
    ----------
    client : distributed.Client
    chunks : list of distributed.Future
        One ``Chunk`` each, in X's row order.
    n_features : int
    dtype : numpy.dtype
        The dtype of X's validated chunks, which training computes in.
    inputs : tuple, optional
        The user's dask ``(X, y, sample_weight)`` these rows came from, which
        scikit-learn's callbacks are shown (``callback_data``).
    """

    def __init__(self, client, chunks, n_features, dtype, inputs=()):
        self.client = client
        self.chunks = chunks
        self.n_features, self.dtype, self.callback_data = n_features, dtype, inputs
        summaries = client.gather(client.map(chunk_summary, chunks, pure=False))
        self.chunk_rows = [rows for rows, _, _ in summaries]
        self.chunk_weights = [weight for _, weight, _ in summaries]
        self.n_outputs = summaries[0][2] if summaries else 0
        self.n_rows = sum(self.chunk_rows)
        self.total_weight = sum(self.chunk_weights)
        held = client.who_has(chunks)
        self.holders = [sorted(held[chunk.key])[0] for chunk in chunks]
        self._remote_network = None

    def map(self, function, network, params):
        """``function(chunk, network, params)`` of every chunk on its worker, in chunk order.

        Each task is held to the worker that holds its chunk (another, once
        that one is gone), so that no chunk moves: left to itself, the
        scheduler moved a small chunk to the parameters. The network goes
        out once per fit and the parameters once per call, to one worker,
        from which the others fetch them. What was sent has no graph to be
        recomputed from, so if its worker is lost (its nanny restarts it,
        and Dask recomputes the chunks it held) the call is sent again; a
        broadcast to every worker instead waited for ever on a lost one.
        """
        for attempt in range(_ATTEMPTS):
            try:
                return self._map_once(function, network, params)
            except (OSError, CancelledError):  # a lost worker: CommClosedError, lost inputs
                if attempt + 1 == _ATTEMPTS:
                    raise
                self._remote_network = None
                time.sleep(0.5)

    def _map_once(self, function, network, params):
        client = self.client
        if self._remote_network is None or self._remote_network[0] is not network:
            self._remote_network = (network, client.scatter(network, hash=False, direct=True))
        remote_params = client.scatter(params, hash=False, direct=True)
        parts = [client.submit(function, chunk, network=self._remote_network[1],
                               params=remote_params, workers=[holder],
                               allow_other_workers=True, pure=False)
                 for chunk, holder in zip(self.chunks, self.holders, strict=True)]
        return client.gather(parts, direct=True)

    def release(self):
        """Let the workers drop these chunks; this data trains no more."""
        self.chunks = []

    def loss_gradient(self, network, params, alpha, grad):
        """The full-batch loss of ``params``, its gradient written into ``grad``.

        The same objective as ``Network.loss_gradient`` on all the rows at
        once: the weighted mean loss plus the L2 term, summed over chunks in
        chunk order in float64.
        """
        loss, total = 0.0, np.zeros(params.shape, dtype=np.float64)
        for chunk_loss, chunk_grad in self.map(chunk_loss_gradient, network, params):
            loss += chunk_loss
            total += chunk_grad
        grad[...] = total / self.total_weight
        return loss / self.total_weight + network.add_l2_penalty(params, grad, alpha,
                                                                 self.total_weight)

    def epoch_rows(self, settings):
        """The chunks as an epoch visits them (see ``StreamedChunks``)."""
        return StreamedChunks(self, settings)

    def split_off(self, rng, validation_fraction, stratify):
        """``(train, held_out)``: ``validation_fraction`` of every chunk's rows held out.

        Each chunk's rows are drawn from a seed of ``rng``, on its worker, and
        never stratified (``stratify`` is ignored): a chunk need not hold two
        rows of each class. Each part is a ``ChunkedData``; these chunks are
        released, as the parts hold copies of their rows.
        """
        client = self.client
        seeds = rng.randint(np.iinfo(np.int32).max, size=len(self.chunks))
        pairs = client.map(held_out_split, self.chunks, list(seeds), pure=False,
                           fraction=validation_fraction)
        train, held_out = (
            ChunkedData(client, client.map(operator.itemgetter(side), pairs, pure=False),
                        self.n_features, self.dtype)
            for side in (0, 1))
        if held_out.n_rows < 2:
            raise ValueError("The validation set is too small. Increase 'validation_fraction' "
                             "or the size of your dataset.")
        self.release()  # the parts are copies: the workers need not hold the rows twice
        for part, name in ((train, "training"), (held_out, "validation")):
            if part.total_weight == 0:
                raise ValueError(
                    f"Every sample_weight of the {part.n_rows} rows that early_stopping drew "
                    f"for {name} is zero. Change random_state or validation_fraction.")
        return train, held_out

    def validation_set(self, network, score):
        """These rows as a validation set scored on the workers (``ChunkedValidationSet``)."""
        return ChunkedValidationSet(network, score, self)


class StreamedChunks:
    """The chunks of a ``ChunkedData`` as epochs of the stochastic solvers visit them.

    The client holds about two chunks: the one training and the next, which
    a thread fetches meanwhile, across the end of an epoch too. With
    ``shuffle``, each epoch's order of the chunks is drawn as the last chunk
    of the epoch before comes up (the first epoch's, at the start), and the
    order of a chunk's rows as its turn comes.
    """

    def __init__(self, data, settings):
        self.data, self.shuffle, self.batch_size = data, settings.shuffle, settings.batch_size
        self.n_rows = data.n_rows
        self.n_batches = sum(math.ceil(rows / self.batch_size) for rows in data.chunk_rows)
        self.buffers = None
        self._fetcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="skxor-fetch")
        self._upcoming = None
        self._epochs_left = settings.max_epochs

    def blocks(self, rng):
        """This epoch's chunks, one ``RowBlock`` each, fetched one ahead."""
        order, pending = self._upcoming or self._epoch_start(rng)
        self._upcoming = None
        self._epochs_left -= 1
        for position in range(len(order)):
            chunk = pending.result()
            if position + 1 < len(order):
                pending = self._fetch(order[position + 1])
            elif self._epochs_left:
                self._upcoming = self._epoch_start(rng)
            yield self._block(chunk, rng)
            del chunk  # while the next is fetched, hold only the one that trains

    def close(self):
        """Stop fetching: the training is over (or interrupted)."""
        self._upcoming = None
        self._fetcher.shutdown(wait=False, cancel_futures=True)

    def _epoch_start(self, rng):
        """An epoch's order of chunks, and the fetch of its first."""
        n_chunks = len(self.data.chunks)
        order = rng.permutation(n_chunks) if self.shuffle else np.arange(n_chunks)
        return order, self._fetch(order[0])

    def _fetch(self, index):
        """A future of chunk ``index``'s ``(X, target, sample_weight)`` on the client."""
        client = self.data.client
        rows = client.submit(_training_rows, self.data.chunks[index], pure=False)
        return self._fetcher.submit(client.gather, rows, direct=True)

    def _block(self, data, rng):
        rows = None
        if self.shuffle:
            rows = rng.permutation(data[0].shape[0])
            if self.buffers is None:
                self.buffers = batch_buffers(data, self.batch_size)
        return RowBlock(data, rows, weights_if_some_zero(data[2]), self.buffers)


def _training_rows(chunk):
    """What training reads of a chunk: its labels stay on the worker."""
    return chunk.data


class ChunkedValidationSet(ValidationSet):
    """Held-out rows that stay on the workers: each chunk's output is computed there.

    The targets, weights and labels come to the client once (a column or a
    few per row); ``X`` is a dask array over the held-out chunks, for
    scorers that predict it.
    """

    def __init__(self, network, score, held_out):
        import dask.array as da

        client = held_out.client
        parts = client.gather(client.map(_records, held_out.chunks, pure=False))
        target = np.concatenate([part[0] for part in parts])
        weights = (None if parts[0][1] is None
                   else np.concatenate([part[1] for part in parts]))
        labels = np.concatenate([part[2] for part in parts])
        dtype = target.dtype  # the fit's, which X's chunks were converted to
        X = da.concatenate([
            da.from_delayed(client.submit(operator.attrgetter("X"), chunk, pure=False),
                            shape=(rows, held_out.n_features), dtype=dtype)
            for chunk, rows in zip(held_out.chunks, held_out.chunk_rows, strict=True)])
        super().__init__(network, score, X, target, weights, labels=labels)
        self.held_out = held_out

    def output(self, params):
        """The network's output for every held-out row, computed where the rows are."""
        return np.concatenate(self.held_out.map(chunk_output, self.network, params))
