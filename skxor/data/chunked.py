"""A dask fit's training rows: validated chunks that stay on the Dask workers.

``ChunkedData`` answers what ``InMemoryData`` answers, for rows that stay
where they are. Each chunk of rows is kept, validated and encoded, on the
worker that computed it, as a ``Chunk``:

- L-BFGS asks it for the full-batch loss (``loss_gradient``). Each worker
  computes its chunks' loss and gradient with the network's own
  ``loss_gradient``, weighted by the chunk's share of the rows, and adds
  them up in a fixed tree over the chunk indices, in an actor that stays
  there for the fit (``resident_sums``); the client adds the workers'
  partial sums up to the root and adds the L2 term. The parameters go out
  and a few partial sums come back in one round trip per evaluation, and
  the sum depends neither on which worker holds what nor on how many there
  are.
- The stochastic solvers stream it (``epoch_rows``): each epoch visits the
  chunks in an order drawn from the fit's generator, shuffles the rows
  within each, and fetches the next chunks while the current ones train.
  With ``dask_training="data_parallel"`` they train where the chunks are
  instead, through the same actors (``data_parallel``).
- Early stopping holds out rows of every chunk (``split_off``); a
  ``ChunkedValidationSet`` scores them on the workers.
"""

import math
import operator
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ..network.primitives import primitives
from .chunk import (
    chunk_loss_gradient,
    chunk_output,
    chunk_summary,
    held_out_split,
    validation_records,
    without_labels,
)
from .cluster_faults import lost_scheduler_worded, retried_on_lost_worker
from .data_parallel import DataParallelEpochs
from .held_out import ValidationSet
from .in_memory import RowBlock, batch_buffers, weights_if_some_zero
from .resident_sums import ResidentSums


def let_go(futures):
    """Release ``futures`` now: the scheduler drops each once the tasks that need it are done.

    Dropping the last reference to a Dask future is not enough: futures sit
    in reference cycles until a garbage collection, which may come long after.
    """
    for future in futures:
        future.release()


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
        self.chunk_rows = [summary.rows for summary in summaries]
        self.chunk_weights = [summary.weight for summary in summaries]
        self.n_outputs = summaries[0].outputs if summaries else 0
        self.text_labels = any(summary.text_labels for summary in summaries)
        self.n_rows = sum(self.chunk_rows)
        self.total_weight = sum(self.chunk_weights)
        held = client.who_has(chunks)
        self.holders = [sorted(held[chunk.key])[0] for chunk in chunks]
        self._remote_network = self._sums = None
        self.scheduler_address = client.scheduler.address
        self.evaluations = self.epochs = 0

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
        return retried_on_lost_worker(self.client,
                                      lambda: self._map_once(function, network, params),
                                      self._forget_network)

    def _forget_network(self):
        self._remote_network = None

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

    def lost_cluster_worded(self):
        """A context in which the loss of the scheduler raises a ``ConnectionError`` saying so.

        The error names the scheduler and how far training had gone (see
        ``cluster_faults.lost_scheduler_worded``).
        """
        return lost_scheduler_worded(self.client, self.scheduler_address, self._how_far)

    def _how_far(self):
        if self.evaluations:
            return f"loss evaluation {self.evaluations} (solver='lbfgs')"
        if self.epochs:
            return f"epoch {self.epochs}"
        return "the set-up before the first epoch"

    def release(self):
        """Let the workers drop these chunks, the actors that hold them and the network sent
        to them: training is over. Releasing twice does nothing more."""
        if self._sums is not None:
            self._sums.close()
        let_go(self.chunks + ([self._remote_network[1]] if self._remote_network else []))
        self.chunks, self._sums, self._remote_network = [], None, None

    def loss_gradient(self, network, params, alpha, grad):
        """The full-batch loss of ``params``, its gradient written into ``grad``.

        The same objective as ``Network.loss_gradient`` on all the rows at
        once: the weighted mean loss plus the L2 term, summed over chunks in
        the fixed tree (``sum_tree``) in float64.
        """
        self.evaluations += 1
        total, loss = self.resident_sums(network).sum(chunk_loss_gradient, params)
        grad[...] = total / self.total_weight
        return loss / self.total_weight + network.add_l2_penalty(params, grad, alpha,
                                                                 self.total_weight)

    def resident_sums(self, network):
        """The ``ResidentSums`` of these chunks with ``network``, placed once per network."""
        if self._sums is None or self._sums.network is not network:
            self._sums = ResidentSums(self.client, self.chunks, network)
        return self._sums

    def epoch_rows(self, settings):
        """The chunks as an epoch visits them: streamed (``StreamedChunks``), or trained where
        they are (``data_parallel.DataParallelEpochs``), as ``settings.dask_training`` says."""
        if settings.dask_training == "data_parallel":
            return DataParallelEpochs(self, settings)
        self.drop_labels()
        return StreamedChunks(self, settings)

    def drop_labels(self):
        """Let the workers drop the chunks' text labels: the training rows need them no more.

        Streaming sends every chunk to the client each epoch, and text
        labels would go with it: as an object array, two text labels made
        10,000-row chunks train 10 % slower than integer ones. Each
        chunk is replaced, on its worker, by itself without labels (no copy),
        and let go once that exists. Numeric labels stay: they cost little to
        send, less than this extra pass over the chunks where Dask spills
        them to disk. The held-out rows keep theirs, for the scorers.
        """
        if self.text_labels:
            labelled, self.chunks = self.chunks, [
                self.client.submit(without_labels, chunk, workers=[holder],
                                   allow_other_workers=True, pure=False)
                for chunk, holder in zip(self.chunks, self.holders, strict=True)]
            let_go(labelled)
            self.text_labels = False

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
        sides = [client.map(operator.itemgetter(side), pairs, pure=False) for side in (0, 1)]
        # each pair goes once split: its parts are the same arrays, which Dask would count
        # twice against the workers' memory
        let_go(pairs)
        train, held_out = (ChunkedData(client, side, self.n_features, self.dtype)
                           for side in sides)
        self.release()  # the parts are copies: the workers need not hold the rows twice
        try:
            _check_split(train, held_out)
        except ValueError:
            train.release()
            held_out.release()
            raise
        return train, held_out

    def validation_set(self, network, score):
        """These rows as a validation set scored on the workers (``ChunkedValidationSet``)."""
        return ChunkedValidationSet(network, score, self)


def _check_split(train, held_out):
    """Raise ``ValueError`` if early stopping's split left too little to train or score."""
    if held_out.n_rows < 2:
        raise ValueError("The validation set is too small. Increase 'validation_fraction' "
                         "or the size of your dataset.")
    for part, name in ((train, "training"), (held_out, "validation")):
        if part.total_weight == 0:
            raise ValueError(
                f"Every sample_weight of the {part.n_rows} rows that early_stopping drew "
                f"for {name} is zero. Change random_state or validation_fraction.")


class StreamedChunks:
    """The chunks of a ``ChunkedData`` as epochs of the stochastic solvers visit them.

    The client holds about two groups of chunks: the one training and the
    next, which a thread fetches meanwhile, across the end of an epoch too.
    A group is as many consecutive chunks of the epoch's order as fit in
    ``FETCH_BYTES`` (one chunk, at least), fetched in one gather; an epoch's
    first groups are smaller (``_groups``). With
    ``shuffle``, each epoch's order of the chunks is drawn as the last chunk
    of the epoch before comes up (the first epoch's, at the start), and the
    order of a chunk's rows as its turn comes: the same draws whatever the
    grouping.
    """

    FETCH_BYTES = 16 * 2**20
    """About the most bytes of rows fetched in one gather of several chunks.

    Each gather costs round trips to the scheduler and to the workers, and
    the client's threads share the cores (and Python's lock) with the
    training: 10,000-row chunks of 20 features (1.6 MB) fetched one by one
    trained at 0.72-0.75 of the speed in memory, in groups of 8 MiB at 0.80, of
    16 MiB at 0.82-0.88 and of 32 MiB at 0.87-0.89
    (``benchmarks/bench_dask.py``), but 32 MiB held five times the client
    memory of 16. The client holds two groups, or two chunks where a chunk
    is larger.
    """

    steps_elsewhere = False
    """The epoch loop gathers its batches from these rows (see ``DataParallelEpochs``)."""

    def __init__(self, data, settings):
        self.data, self.shuffle, self.batch_size = data, settings.shuffle, settings.batch_size
        self.n_rows = data.n_rows
        self.n_batches = sum(math.ceil(rows / self.batch_size) for rows in data.chunk_rows)
        # a row's features and targets, and about its weight and label
        row_bytes = (data.n_features + data.n_outputs + 2) * data.dtype.itemsize
        self.group_size = max(1, self.FETCH_BYTES // (row_bytes
                                                      * max(data.chunk_rows, default=1)))
        self.buffers = None
        self._fetcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="skxor-fetch")
        self._upcoming = None
        self._epochs_left = settings.max_epochs

    def blocks(self, rng):
        """This epoch's chunks, one ``RowBlock`` each, fetched a group ahead."""
        groups, pending = self._upcoming or self._epoch_start(rng)
        self._upcoming = None
        self._epochs_left -= 1
        self.data.epochs += 1
        for position in range(len(groups)):
            group = pending.result()
            if position + 1 < len(groups):
                pending = self._fetch(groups[position + 1])
            while group:
                chunk = group.pop(0)
                if not group and position + 1 == len(groups) and self._epochs_left:
                    self._upcoming = self._epoch_start(rng)
                yield self._block(chunk, rng)
                del chunk  # while the next is fetched, hold only what is left to train

    def close(self):
        """Stop fetching: the training is over (or interrupted)."""
        self._upcoming = None
        self._fetcher.shutdown(wait=False, cancel_futures=True)

    def _epoch_start(self, rng):
        """An epoch's order of chunks in its groups, and the fetch of its first group."""
        n_chunks = len(self.data.chunks)
        groups = self._groups(rng.permutation(n_chunks) if self.shuffle
                              else np.arange(n_chunks))
        return groups, self._fetch(groups[0])

    def _groups(self, order):
        """An epoch's ``order`` of chunks cut into the groups fetched together.

        The first groups grow, 1, 2, 4... chunks, up to ``group_size``: an
        epoch's first group is fetched while only the last chunk of the
        epoch before trains, and each next group while the one before it.
        """
        groups, start, size = [], 0, 1
        while start < len(order):
            groups.append(order[start:start + size])
            start += size
            size = min(2 * size, self.group_size)
        return groups

    def _fetch(self, indices):
        """A future of the chunks ``indices``' ``[(X, target, sample_weight), ...]`` on the client.

        Whole chunks are gathered, their labels too (a column beside X's
        many): a task that left them behind cost a second round trip per
        chunk, which 10,000-row chunks felt.
        """
        return self._fetcher.submit(self._gathered, indices)

    def _gathered(self, indices):
        chunks = self.data.client.gather([self.data.chunks[index] for index in indices],
                                         direct=True)
        return [chunk.data for chunk in chunks]

    def _block(self, received, rng):
        """A chunk's rows as they came off the wire, as a ``RowBlock`` of aligned arrays.

        Dask lays the arrays it receives at whatever byte offset they had in
        the message, and NumPy gathers rows of a misaligned array hundreds
        of times slower: a 10,000-row chunk arrived 6 bytes past a 64-byte
        boundary and its batches took 300 times as long to gather as from a
        copy. So each array is copied where it is misaligned
        (``in_row_order``), once per chunk and epoch.
        """
        data = tuple(None if array is None else primitives(array).in_row_order(array)
                     for array in received)
        rows = None
        if self.shuffle:
            rows = rng.permutation(data[0].shape[0])
            if self.buffers is None:
                self.buffers = batch_buffers(data, self.batch_size)
        return RowBlock(data, rows, weights_if_some_zero(data[2]), self.buffers)


class ChunkedValidationSet(ValidationSet):
    """Held-out rows that stay on the workers: each chunk's output is computed there.

    The targets, weights and labels come to the client once (a column or a
    few per row); ``X`` is a dask array over the held-out chunks, for
    scorers that predict it.
    """

    def __init__(self, network, score, held_out):
        import dask
        import dask.array as da

        client = held_out.client
        parts = client.gather(client.map(validation_records, held_out.chunks, pure=False))
        target = np.concatenate([part[0] for part in parts])
        weights = (None if parts[0][1] is None
                   else np.concatenate([part[1] for part in parts]))
        labels = np.concatenate([part[2] for part in parts])
        dtype = target.dtype  # the fit's, which X's chunks were converted to
        # lazy: a key of its own would hold the same rows as the chunk, counted twice by Dask
        X = da.concatenate([
            da.from_delayed(dask.delayed(operator.attrgetter("X"))(chunk),
                            shape=(rows, held_out.n_features), dtype=dtype)
            for chunk, rows in zip(held_out.chunks, held_out.chunk_rows, strict=True)])
        super().__init__(network, score, X, target, weights, labels=labels)
        self.held_out = held_out

    def release(self):
        """Let the workers drop the held-out rows: training is over."""
        self.held_out.release()

    def output(self, params):
        """The network's output for every held-out row, computed where the rows are."""
        return np.concatenate(self.held_out.map(chunk_output, self.network, params))
