"""Checks of the data a fit or a prediction receives, with errors that name the problem.

Each check either returns the validated value or raises a ``ValueError``
that says which argument is wrong and how to fix it, never a NumPy error
from deep inside training.
"""

import contextvars
import numbers
from contextlib import contextmanager

import numpy as np
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import column_or_1d

from ._constants import numpy_dtype


def validation_arguments(X_val, y_val, sample_weight_val):
    """``(X_val, y_val, sample_weight_val)``, or None when no validation set is given."""
    if X_val is None and y_val is None:
        if sample_weight_val is not None:
            raise ValueError("sample_weight_val is given without X_val and y_val.")
        return None
    if X_val is None or y_val is None:
        given, missing = ("X_val", "y_val") if y_val is None else ("y_val", "X_val")
        raise ValueError(f"{given} is given but {missing} is not: pass both.")
    return X_val, y_val, sample_weight_val


def checked_target(y):
    """Validated class labels and their kind, ``(y, type_of_target(y))``.

    ``y`` comes back as 1-D labels or a 2-D multilabel indicator matrix; the
    kind is worked out once here, since it scans every label.
    """
    if y.ndim == 2 and y.shape[1] == 1:
        y = column_or_1d(y, warn=True)
    try:
        y_type = type_of_target(y, input_name="y")
    except TypeError:
        _check_one_label_type(y)
        raise
    if y_type == "unknown":
        _check_one_label_type(y)
    if y_type == "multiclass-multioutput":
        raise ValueError(
            "y has several columns of class labels (multiclass-multioutput); "
            "MLPBackpropClassifier fits binary, multiclass or multilabel-indicator "
            "(0/1 columns) targets. Wrap it in sklearn's MultiOutputClassifier.")
    if y_type not in ("binary", "multiclass", "multilabel-indicator"):
        raise ValueError(f"Unknown label type: {y_type!r}. y must hold class labels; "
                         "to predict a continuous target, use a regressor.")
    return y, y_type


def _check_one_label_type(y):
    """Labels held as Python objects must all be numbers, or all strings.

    Called only once ``type_of_target`` has failed on ``y``: it walks every
    label in Python.
    """
    if y.dtype != object:
        return
    kinds = {"None" if label is None else "string" if isinstance(label, str) else
             "number" if isinstance(label, numbers.Number) else type(label).__name__
             for label in y.ravel()}
    if len(kinds) > 1:
        raise ValueError(f"y mixes label types ({', '.join(sorted(kinds))}): class labels "
                         "must be all numbers or all strings.")


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


def validated_sample_weight(sample_weight, X, name="sample_weight"):
    """Sample weights as an array of shape (n_samples,) in X's dtype, or None."""
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
    return usable_weights(weights, numpy_dtype(X.dtype), name)


_WHOLE_DATA = contextvars.ContextVar("skxor_whole_data", default=True)
"""False while checking one chunk of a dask fit (see ``checking_a_part``)."""


@contextmanager
def checking_a_part():
    """Check the weights of a part of the data (a dask chunk): they may all be zero.

    Only the whole data's weights must weigh something; a dask fit checks
    the total over its chunks on the client.
    """
    token = _WHOLE_DATA.set(False)
    try:
        yield
    finally:
        _WHOLE_DATA.reset(token)


def usable_weights(weights, dtype, name):
    """Finite, non-negative float64 ``weights`` in ``dtype``, checked to survive the cast.

    Training computes in the data's dtype, so a weight beyond its range would
    become infinity, and weights below its smallest would all become zero.
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
    if not cast.any() and _WHOLE_DATA.get():
        detail = ("" if not weights.any() else
                  f" in {np.dtype(dtype).name}, the dtype training computes in (X's)")
        raise ValueError(f"{name} sums to zero{detail}: at least one sample must have a "
                         "positive weight.")
    return cast


def check_labels_known(y, known, name):
    unknown = np.setdiff1d(np.unique(y), known)
    if unknown.size:
        raise ValueError(f"y contains labels {unknown!r} that are not in {name} "
                         f"{known!r}.")


def check_starting_weights(coefs, intercepts, network):
    """The weights a warm or partial fit starts from must fit the network and be finite."""
    expected = [(shape, (shape[1],)) for shape in network.coef_shapes]
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
