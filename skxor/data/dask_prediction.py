"""Prediction on dask collections: lazy, block by block, as dask-ml's ``ParallelPostFit`` does.

``lazy_prediction(predict, X, probe)`` maps a prediction method over the row
blocks of a dask array (the partitions of a DataFrame) and returns a lazy
dask array; nothing is computed until the caller asks. The shape and dtype
of the result come from ``probe``, what the method gave for one row of
zeros (``zero_row``) on the client.
"""

import numpy as np


def lazy_prediction(predict, X, probe):
    """``predict`` of every row block of dask ``X``, as a lazy dask array.

    Parameters
    ----------
    predict : callable
        A fitted estimator's prediction method, which goes to the workers.
    X : dask array or dask DataFrame
    probe : ndarray
        ``predict(zero_row(...))``: one row of the result.
    """
    if hasattr(X, "to_dask_array"):
        return _by_partition(predict, X, probe)
    if X.ndim != 2:
        raise ValueError(f"Expected a 2D dask array for X, got {X.ndim}D.")
    X = X.rechunk({1: -1})
    if probe.ndim == 1:
        return X.map_blocks(_predicted, predict=predict, dtype=probe.dtype, drop_axis=1,
                            meta=np.empty((0,), dtype=probe.dtype))
    return X.map_blocks(_predicted, predict=predict, dtype=probe.dtype,
                        chunks=(X.chunks[0], (probe.shape[1],)),
                        meta=np.empty((0, probe.shape[1]), dtype=probe.dtype))


def _predicted(block, predict):
    return predict(block)


def zero_row(n_features, X):
    """One row of zeros shaped as X's rows: a DataFrame of X's columns for a DataFrame."""
    dtype = X.dtype if getattr(X, "ndim", 2) == 2 and hasattr(X, "dtype") else None
    row = np.zeros((1, n_features),
                   dtype=dtype if dtype in (np.float32, np.float64) else np.float64)
    if hasattr(X, "to_dask_array"):
        import pandas

        return pandas.DataFrame(row, columns=X._meta.columns)
    return row


def _by_partition(predict, X, probe):
    """The prediction of each partition of a dask DataFrame, concatenated along rows."""
    import dask
    import dask.array as da

    shape = (np.nan, *probe.shape[1:])
    parts = [da.from_delayed(dask.delayed(_predicted)(partition, predict), shape=shape,
                             dtype=probe.dtype)
             for partition in X.to_delayed()]
    return da.concatenate(parts)
