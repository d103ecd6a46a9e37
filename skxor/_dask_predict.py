"""Prediction on dask collections: lazy, block by block, as dask-ml's ``ParallelPostFit`` does.

``lazy_prediction(estimator, X, method)`` maps the prediction method over the
row blocks of a dask array (the partitions of a DataFrame) and returns a
lazy dask array; nothing is computed until the caller asks. The shape and
dtype of the result come from predicting one row of zeros on the client.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted, validate_data

from ._dask_fit import _columns_of


def lazy_prediction(estimator, X, method):
    """``getattr(estimator, method)`` of every row block of dask ``X``, as a lazy dask array."""
    check_is_fitted(estimator, "out_activation_")
    validate_data(estimator, _columns_of(X), skip_check_array=True, reset=False)
    probe = getattr(estimator, method)(_zero_row(estimator, X))
    if hasattr(X, "to_dask_array"):
        return _by_partition(estimator, X, method, probe)
    if X.ndim != 2:
        raise ValueError(f"Expected a 2D dask array for X, got {X.ndim}D.")
    X = X.rechunk({1: -1})
    if probe.ndim == 1:
        return X.map_blocks(_predicted, estimator=estimator, method=method, dtype=probe.dtype,
                            drop_axis=1, meta=np.empty((0,), dtype=probe.dtype))
    return X.map_blocks(_predicted, estimator=estimator, method=method, dtype=probe.dtype,
                        chunks=(X.chunks[0], (probe.shape[1],)),
                        meta=np.empty((0, probe.shape[1]), dtype=probe.dtype))


def _predicted(block, estimator, method):
    return getattr(estimator, method)(block)


def _zero_row(estimator, X):
    """One row of zeros shaped as X's rows: a DataFrame of the fitted columns for a DataFrame."""
    dtype = X.dtype if getattr(X, "ndim", 2) == 2 and hasattr(X, "dtype") else None
    row = np.zeros((1, estimator.n_features_in_),
                   dtype=dtype if dtype in (np.float32, np.float64) else np.float64)
    if hasattr(X, "to_dask_array"):
        import pandas

        return pandas.DataFrame(row, columns=X._meta.columns)
    return row


def _by_partition(estimator, X, method, probe):
    """The prediction of each partition of a dask DataFrame, concatenated along rows."""
    import dask
    import dask.array as da

    shape = (np.nan, *probe.shape[1:])
    parts = [da.from_delayed(dask.delayed(_predicted)(partition, estimator, method),
                             shape=shape, dtype=probe.dtype)
             for partition in X.to_delayed()]
    return da.concatenate(parts)
