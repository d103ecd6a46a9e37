"""The rows of a fit on dask collections, validated chunk by chunk where they live.

``chunked_training_data`` turns a dask X (an array or a DataFrame), y and
the sample weights into a ``ChunkedData`` on the current
``distributed.Client``. It lines y and the weights up with X's row chunks,
then makes two passes on the workers: the first validates each chunk as
``validate_data`` validates data in memory (dtype, finite values, width,
labels, weights) and summarises its labels; from the summaries the client
fits the estimator's targets (the classes come from a distributed unique);
the second encodes every chunk's targets and weights with them. The workers
get the targets object and nothing else of the estimator. The encoded
chunks stay on the workers; only summaries come back.
"""

import dataclasses
import math

import numpy as np
from sklearn.utils import check_array

from .checks import naming_non_numeric_X
from .chunk import Chunk
from .chunked import ChunkedData, let_go
from .placement import FLOAT_DTYPES, is_dask_collection


def current_client():
    """The current ``distributed.Client``; without one, a ``ValueError`` that says what to do."""
    try:
        from distributed import get_client
    except ImportError as error:
        raise ImportError("skxor fits dask collections on a Dask cluster, which needs dask's "
                          "distributed scheduler: pip install 'dask[distributed]' (or "
                          "'.[dask]' in skxor's clone).") from error
    try:
        return get_client()
    except ValueError:
        raise ValueError(
            "X is a dask collection, and skxor fits those on the current Dask cluster, "
            "chunk by chunk where the data lives, but no distributed.Client is running. "
            "Start one first (distributed.Client() starts a cluster on this machine), or "
            "pass X.compute() to fit in memory.") from None


def chunked_training_data(client, inputs, targets, dtype, owner):
    """``inputs``, dask ``(X, y, sample_weight)``, validated on the workers as a ``ChunkedData``.

    Parameters
    ----------
    client : distributed.Client
        The current client (``current_client``).
    inputs : tuple
        The user's X (a dask array or DataFrame, its columns already checked
        by the estimator), y and sample weights (dask, NumPy or None).
    targets : ClassLabels or RegressionValues
        The estimator's targets, which encode each chunk's y and weigh it;
        fitted here on the chunks' label summaries.
    dtype : str or None
        The ``dtype`` parameter: the compute dtype, or None for X's own.
    owner : str
        The estimator's class name, for the messages of the checks.

    Raises
    ------
    ValueError
        For every problem that validation in memory reports, with the same
        words.
    """
    X, y, sample_weight = inputs
    X = as_2d_dask_array(X)
    y, X = _lined_up(_as_dask_array(y, "y"), X, "y")
    if not targets.y_numeric and y.ndim == 2 and y.shape[1] > 1:
        raise ValueError("A dask fit takes class labels as a 1-D y; multilabel indicator "
                         "targets train in memory.")
    sample_weight, X = _lined_up(_as_dask_array(sample_weight, "sample_weight"), X,
                                 "sample_weight")
    dtype = np.dtype(dtype or (X.dtype if X.dtype in FLOAT_DTYPES else np.float64))
    checked = _checked_chunks(client, X, y, sample_weight, (dtype, targets.y_numeric, owner))
    summaries = client.gather(client.map(_label_summary, checked, pure=False,
                                         numeric=targets.y_numeric))
    checked, summaries = _without_empty_chunks(checked, summaries)
    targets.encode(_labels_of(summaries, targets.y_numeric), dtype)
    # a task, not a scatter: a worker lost later can recompute its chunks from it
    remote = client.submit(_as_is, _for_workers(targets, summaries), pure=False)
    chunks = client.map(_encoded_chunk, checked, pure=False, targets=remote)
    # each checked chunk goes once encoded: the two share X's rows, which Dask would count
    # twice against the workers' memory and spill to disk
    let_go(checked)
    data = ChunkedData(client, chunks, X.shape[1], dtype, inputs=(X, y, sample_weight))
    if data.total_weight == 0:
        data.release()
        raise ValueError("The sample weights (sample_weight times the class weights) sum to "
                         "zero over every chunk: at least one sample must have a positive "
                         "weight.")
    return data


def _without_empty_chunks(checked, summaries):
    """The chunks that hold rows (a filter may leave some empty), and their summaries.

    Raises ``ValueError`` when none does, as ``validate_data`` refuses empty data.
    """
    kept = [(chunk, summary) for chunk, (rows, summary) in zip(checked, summaries, strict=True)
            if rows]
    if not kept:
        raise ValueError("Found array with 0 sample(s) (shape=(0, ...)) while a minimum of 1 "
                         "is required: every chunk of X is empty.")
    return [chunk for chunk, _ in kept], [summary for _, summary in kept]


def as_2d_dask_array(X):
    """X as a 2-D dask array in one column chunk."""
    X = _as_dask_array(X, "X")
    if X.ndim != 2:
        raise ValueError(f"Expected a 2D dask array for X, got {X.ndim}D. Reshape it, for "
                         "example with X.reshape(-1, 1) for a single feature.")
    return X.rechunk({1: -1})


def columns_of(X):
    """What scikit-learn reads column names from: a DataFrame's empty pandas frame, else X."""
    return X._meta if hasattr(X, "to_dask_array") else X


def _as_dask_array(values, name):
    """A dask array of ``values``: a DataFrame's or Series' own, NumPy's as one chunk; or None."""
    if values is None:
        return None
    import dask.array as da

    if hasattr(values, "to_dask_array"):
        return values.to_dask_array()
    if is_dask_collection(values):
        return values
    return da.from_array(np.asarray(values), chunks=-1, name=False)


def _lined_up(values, X, name):
    """``(values, X)``: ``values`` chunked along rows as X is, or an error if their lengths differ.

    Where chunk sizes are unknown (nan, as from a DataFrame) on both sides
    and the number of chunks agrees, they are lined up as they come (each
    chunk's rows are checked on its worker). Otherwise the unknown sizes are
    computed (a pass over the data; X's once, for it is returned with them)
    and ``values`` is rechunked to X's rows.
    """
    if values is None:
        return None, X
    if values.ndim == 0:
        raise ValueError(f"{name} must be a dask array of one value per row of X, not a "
                         "scalar.")
    if not _known(values) and not _known(X) and values.numblocks[0] == X.numblocks[0]:
        return values, X
    if not _known(X):
        X = X.compute_chunk_sizes()
    if not _known(values):
        values = values.compute_chunk_sizes()
    if values.shape[0] != X.shape[0]:
        raise ValueError("Found input variables with inconsistent numbers of samples: "
                         f"[{X.shape[0]}, {values.shape[0]}] (X and {name}).")
    return values.rechunk({0: X.chunks[0]}), X


def _known(array):
    return not any(math.isnan(size) for size in array.chunks[0])


def _checked_chunks(client, X, y, sample_weight, checks):
    """Futures of one validated, not yet encoded, ``Chunk`` per row chunk of X.

    ``checks`` is ``(dtype, y_numeric, owner)``: the dtype to validate X to,
    whether y must be numeric, and the estimator's name for the messages.
    The chunks are spread in runs of consecutive chunks, one run per worker
    (``_spread_over``), and each run is submitted at once, held to its
    worker with every task it needs (X's own blocks are read or generated
    there, not copied from another worker). A submission per chunk sent
    the whole graph of X each time, which grew with the square of the
    number of chunks.
    """
    import dask

    if y.ndim == 2:
        y = y.rechunk({1: -1})
    weights = ([None] * X.numblocks[0] if sample_weight is None
               else list(sample_weight.to_delayed().ravel()))
    blocks = list(zip(X.to_delayed().ravel(), y.to_delayed().ravel(), weights, strict=True))
    holders = _spread_over(client, len(blocks))
    checked = []
    for worker in dict.fromkeys(holders):
        run = [dask.delayed(_checked_chunk, pure=False)(*block, checks)
               for block, holder in zip(blocks, holders, strict=True) if holder == worker]
        checked += client.compute(run, workers=[worker], allow_other_workers=True)
    return checked


def _checked_chunk(X, y, sample_weight, checks):
    """A chunk's rows checked as ``validate_data`` checks them: ``Chunk(X, y, weights, y)``."""
    dtype, y_numeric, owner = checks
    with naming_non_numeric_X():
        X = check_array(X, dtype=dtype, order="C", estimator=owner, input_name="X",
                        ensure_min_samples=0)
    y = check_array(y, ensure_2d=False, dtype="numeric" if y_numeric else None,
                    estimator=owner, input_name="y", ensure_min_samples=0)
    if X.shape[0] != y.shape[0]:
        raise ValueError("Found input variables with inconsistent numbers of samples in a "
                         f"chunk: [{X.shape[0]}, {y.shape[0]}] (X and y). Rechunk them alike.")
    return Chunk(X, y, None if sample_weight is None else np.asarray(sample_weight), y)


def _spread_over(client, n_chunks):
    """The worker that each of ``n_chunks`` chunks goes to: runs of consecutive chunks.

    Every later pass runs where its chunk is, so this sets how the work of
    each evaluation and epoch is shared; the scheduler's own choice put
    every chunk of a generated array on one worker. Consecutive chunks on
    one worker are whole spans of L-BFGS's summation tree (``sum_tree``),
    which that worker adds up before anything is sent. A chunk may go to
    another worker when its own is gone (a nanny restarts it elsewhere).
    """
    workers = sorted(client.nthreads())
    if not workers:
        raise ValueError("The Dask cluster has no workers to hold the chunks of X: add "
                         "workers, or wait for them with client.wait_for_workers(1).")
    return [workers[index * len(workers) // n_chunks] for index in range(n_chunks)]


def _label_summary(chunk, numeric):
    """``(rows, summary)`` of a chunk; the summary, what the encoder needs of it, is its first
    row of y, or its labels and their counts."""
    if numeric:
        return chunk.X.shape[0], chunk.labels[:1]
    return chunk.X.shape[0], np.unique(chunk.labels, return_counts=True)


def _labels_of(summaries, numeric):
    """What the targets are fitted on: the first row of y, or every chunk's labels."""
    if numeric:
        return summaries[0]
    return np.unique(np.concatenate([labels for labels, _ in summaries]))


def _as_is(value):
    return value


def _for_workers(targets, summaries):
    """The targets as the workers encode with them: ``class_weight='balanced'`` resolved
    from every chunk's label counts, as in memory from all of y."""
    if targets.y_numeric or targets.class_weight != "balanced":
        return targets
    labels = np.concatenate([labels for labels, _ in summaries])
    counts = np.concatenate([counts for _, counts in summaries])
    classes, where = np.unique(labels, return_inverse=True)
    totals = np.bincount(where, weights=counts)
    weights = dict(zip(classes.tolist(), (totals.sum() / (len(classes) * totals)).tolist(),
                       strict=True))
    return dataclasses.replace(targets, class_weight=weights)


def _encoded_chunk(chunk, targets):
    """A checked chunk with its targets encoded and its weights validated, as in memory.

    A chunk's weights may all be zero; only their total over the chunks must
    be positive, which the client checks.
    """
    labels, target = targets.encode_more(chunk.labels, chunk.X.dtype, name="y")
    weights = targets.weigh(chunk.sample_weight, chunk.X, labels, whole_data=False)
    return Chunk(chunk.X, target, weights, labels)
