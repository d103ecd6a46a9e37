"""What a dask fit does when the cluster loses a worker, or the client loses the cluster.

A lost worker's chunks are recomputed by Dask from their graph, on another
worker (its nanny restarts it, or another takes over); what the client had
sent it (the network, the parameters, an actor) has no graph, so the call
that needed it is made again (``retried_on_lost_worker``). The same call
gives the same result.

A lost scheduler, or a client cut off from it, takes every chunk with it:
nothing can be retried. ``lost_scheduler_worded`` turns whatever Dask raised
then into a ``ConnectionError`` that says what was lost and where the fit
was, with Dask's error chained.
"""

import time
from concurrent.futures import CancelledError
from contextlib import contextmanager

ATTEMPTS = 20
"""Tries of a call, half a second apart, before a lost worker's error stands."""


def retried_on_lost_worker(client, call, forget):
    """``call()``, made again after ``forget()`` each time a worker of ``client`` is lost.

    Once the client has lost the scheduler, the error stands at once.
    """
    for attempt in range(ATTEMPTS):
        try:
            return call()
        except (OSError, CancelledError):  # a lost worker: CommClosedError, lost inputs
            if attempt + 1 == ATTEMPTS or not connected(client):
                raise
            forget()
            time.sleep(0.5)


def connected(client):
    """Whether ``client`` is connected to its scheduler."""
    return client.status == "running"


@contextmanager
def lost_scheduler_worded(client, address, where):
    """Inside the block, an error raised once ``client`` has lost its scheduler is reworded.

    ``address`` is the scheduler's; ``where()`` says how far the fit had
    gone, such as ``"epoch 3"``. An error while the client is still
    connected passes unchanged.
    """
    try:
        yield
    except Exception as error:
        if connected(client):
            raise
        raise ConnectionError(
            f"The Dask client lost its scheduler ({address}) during "
            f"{where()} of this fit: the chunks of X held on the cluster's workers are gone "
            f"with it (client status: {client.status!r}). The estimator is unchanged; fit "
            "again on a running cluster.") from error
