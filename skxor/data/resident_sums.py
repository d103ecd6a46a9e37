"""Sums over a fit's chunks on Dask: one resident actor per worker, one call per sum.

``ChunkSums`` is a Dask actor that lives on a worker for the length of a
fit, beside the chunks that worker holds, with the network it was sent
once. Asked for a sum of per-chunk terms at some parameters (the full-batch
loss and gradient of L-BFGS, or one data-parallel step's share of a global
mini-batch), it computes its chunks' terms and adds them up over the
largest spans of the fixed summation tree it holds (``sum_tree``).
``ResidentSums``, on the client, calls every actor at once and adds their
partial sums up to the root: per sum the parameters go out once to each
worker and a few partial sums come back, in one round trip, and the result
is the same bits for any number of workers.
"""

from concurrent.futures import ThreadPoolExecutor

from .cluster_faults import retried_on_lost_worker
from .sum_tree import held_spans, root_sum, span_sum


def add_terms(left, right):
    """The sum of two terms ``(gradient, *scalars)``; ``left``'s gradient is reused for it."""
    gradient = left[0]
    gradient += right[0]
    return (gradient, *(mine + theirs for mine, theirs in zip(left[1:], right[1:], strict=True)))


class ChunkSums:
    """A Dask actor holding one worker's chunks of a fit, with the network.

    Parameters
    ----------
    network : Network
    n_chunks : int
        How many chunks the whole data has: the summation tree's size.
    indices : list of int
        The indices of the chunks given next, which this worker holds.
    *chunks : Chunk
        Those chunks, as Dask hands a task its inputs: no copy is made.
    """

    def __init__(self, network, n_chunks, indices, *chunks):
        from distributed import get_worker

        self.network = network
        self.chunks = dict(zip(indices, chunks, strict=True))
        self.spans = held_spans(set(indices), n_chunks)
        threads = get_worker().state.nthreads
        self.pool = ThreadPoolExecutor(threads) if threads > 1 and len(indices) > 1 else None

    def sums(self, term, params, *args):
        """The sums of ``term`` over the spans this worker holds.

        Parameters
        ----------
        term : callable
            ``term(chunk, index, network, params, *args)``, one chunk's term,
            ``(gradient, *scalars)`` with a float64 gradient.
        params : ndarray
            The parameters the terms are computed at.
        *args
            Passed on to ``term``.

        Returns
        -------
        list of (span, term)
            Each held span with its sum, added up in the tree's order. A
            worker of several threads computes its chunks' terms on all of
            them (the Dask actor itself runs on one), then adds them up in
            that same order.
        """
        def chunk_term(index):
            return term(self.chunks[index], index, self.network, params, *args)

        if self.pool is not None:
            computed = dict(zip(self.chunks, self.pool.map(chunk_term, self.chunks), strict=True))
            chunk_term = computed.pop
        return [(span, span_sum(span, chunk_term, add_terms)) for span in self.spans]


class ResidentSums:
    """The client's side of a fit's ``ChunkSums`` actors, one per worker that holds chunks.

    Parameters
    ----------
    client : distributed.Client
    chunks : list of distributed.Future
        The fit's chunks, in row order.
    network : Network
        Sent to each worker once, with its actor.
    """

    def __init__(self, client, chunks, network):
        self.client, self.chunks, self.network = client, chunks, network
        self.placed = None

    def sum(self, term, params, *args):
        """The sum of ``term`` over every chunk (see ``ChunkSums.sums``), added up in the tree.

        If a worker is lost, Dask recomputes its chunks elsewhere; the actors
        are then placed again and the sum asked again, which gives the same
        result.
        """
        return retried_on_lost_worker(self.client, lambda: self._sum(term, params, args),
                                      self.close)

    def close(self):
        """Let the actors go: the workers drop them and their hold on the chunks.

        A later ``sum`` places them again (after a lost worker, that is how
        the retry starts afresh). The actors' keys are cancelled rather than
        left to their references: Dask's actor calls leave reference cycles
        that would hold them until a garbage collection.
        """
        if self.placed is not None:
            self.client.cancel([future for future, _ in self.placed])
        self.placed = None

    def _sum(self, term, params, args):
        if self.placed is None or any(future.status != "finished" for future, _ in self.placed):
            self.placed = self._place()
        calls = [actor.sums(term, params, *args) for _, actor in self.placed]
        partial_sums = dict(pair for call in calls for pair in call.result())
        return root_sum(partial_sums, len(self.chunks), add_terms)

    def _place(self):
        """``[(future, actor), ...]``: an actor on each worker that holds chunks, given them."""
        import distributed

        client = self.client
        distributed.wait(self.chunks)
        for chunk in self.chunks:
            if chunk.status == "error":
                chunk.result()  # raises the error that failed the chunk
        holders = client.who_has(self.chunks)
        held = {}
        for index, chunk in enumerate(self.chunks):
            held.setdefault(sorted(holders[chunk.key])[0], []).append(index)
        futures = [client.submit(ChunkSums, self.network, len(self.chunks), indices,
                                 *(self.chunks[index] for index in indices),
                                 actor=True, workers=[worker], allow_other_workers=False,
                                 pure=False)
                   for worker, indices in held.items()]
        return [(future, future.result()) for future in futures]
