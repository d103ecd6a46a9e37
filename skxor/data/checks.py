"""Checks of the data a fit or a prediction receives, with errors that name the problem.

Each check either returns the validated value or raises a ``ValueError``
that says which argument is wrong and how to fix it, never a NumPy error
from deep inside training.
"""

from contextlib import contextmanager

import numpy as np

from ..network.constants import numpy_dtype


@contextmanager
def naming_non_numeric_X():
    """Re-raise NumPy's text-to-float failure as an error that names X."""
    try:
        yield
    except ValueError as error:
        if "could not convert" not in str(error):
            raise
        raise ValueError(
            f"X must be numeric, but {error}. Encode text or categorical columns "
            "first, for example with OneHotEncoder in a Pipeline.") from error


def validated_sample_weight(sample_weight, X, name="sample_weight", whole_data=True):
    """Sample weights as an array of shape (n_samples,) in X's dtype, or None.

    ``whole_data`` is False for a part of the data (a chunk of a dask fit),
    whose weights may all be zero: only the whole data's must weigh something.
    """
    if sample_weight is None:
        return None
    n_samples = X.shape[0]
    weights = np.asarray(sample_weight)
    if weights.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be numeric; got dtype {weights.dtype}.")
    if weights.ndim == 0:
        weights = np.full(n_samples, weights)
    if weights.shape != (n_samples,):
        raise ValueError(f"{name} must have shape ({n_samples},) to match X; "
                         f"got shape {weights.shape}.")
    weights = weights.astype(np.float64)
    if not np.isfinite(weights).all():
        raise ValueError(f"{name} contains NaN or infinity.")
    if (weights < 0).any():
        raise ValueError(f"{name} must be non-negative.")
    return usable_weights(weights, numpy_dtype(X.dtype), name, whole_data)


def usable_weights(weights, dtype, name, whole_data=True):
    """Finite, non-negative float64 ``weights`` in ``dtype``, checked to survive the cast.

    Training computes in the data's dtype, so a weight beyond its range would
    become infinity, and weights below its smallest would all become zero.
    Unless ``whole_data`` is False, at least one must stay positive.
    """
    with np.errstate(over="ignore"):  # an overflow here is the error raised below
        cast = weights.astype(dtype)
        total = weights.sum()
    if not np.isfinite(total):
        raise ValueError(f"{name} sums to infinity even in float64; scale the weights "
                         "down: only their ratios and their sum against alpha matter.")
    if not np.isfinite(cast).all():
        raise ValueError(
            f"{name} holds {weights.max():.3g}, beyond the largest {np.dtype(dtype).name} "
            f"({np.finfo(dtype).max:.3g}), the dtype training computes in (X's). Scale "
            "the weights down: only their ratios and their sum against alpha matter.")
    if not cast.any() and whole_data:
        detail = ("" if not weights.any() else
                  f" in {np.dtype(dtype).name}, the dtype training computes in (X's)")
        raise ValueError(f"{name} sums to zero{detail}: at least one sample must have a "
                         "positive weight.")
    return cast


def check_starting_weights(coefs, intercepts, coef_shapes):
    """The weights a warm or partial fit starts from must fit the network and be finite.

    ``coef_shapes`` are the network's ``(fan_in, fan_out)`` of each layer.
    """
    expected = [(shape, (shape[1],)) for shape in coef_shapes]
    found = [tuple(np.shape(array) for array in pair)
             for pair in zip(coefs, intercepts, strict=False)]
    if len(coefs) != len(intercepts) or found != expected:
        raise ValueError(
            f"coefs_/intercepts_ have shapes {found}, but the network for this "
            f"data and hidden_layer_sizes needs {expected}.")
    for name, arrays in (("coefs_", coefs), ("intercepts_", intercepts)):
        for layer, array in enumerate(arrays):
            if not np.isfinite(array).all():
                raise ValueError(
                    f"{name}[{layer}] holds NaN or infinity, and a warm start or "
                    "partial_fit trains from these weights. Assign finite weights, or "
                    "fit with warm_start=False to start afresh.")
