"""Checks of the data a fit or a prediction receives, with errors that name the problem.

Each check either returns the validated value or raises a ``ValueError``
that says which argument is wrong and how to fix it, never a NumPy error
from deep inside training.
"""

from contextlib import contextmanager

import numpy as np
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import column_or_1d


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
    y_type = type_of_target(y, input_name="y")
    if y_type == "multiclass-multioutput":
        raise ValueError(
            "y has several columns of class labels (multiclass-multioutput); "
            "MLPBackpropClassifier fits binary, multiclass or multilabel-indicator "
            "(0/1 columns) targets. Wrap it in sklearn's MultiOutputClassifier.")
    if y_type not in ("binary", "multiclass", "multilabel-indicator"):
        raise ValueError(f"Unknown label type: {y_type!r}. y must hold class labels; "
                         "to predict a continuous target, use a regressor.")
    return y, y_type


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


def validated_sample_weight(sample_weight, X):
    """Sample weights as a float array of shape (n_samples,), or None."""
    if sample_weight is None:
        return None
    n_samples = X.shape[0]
    weights = np.asarray(sample_weight)
    if weights.dtype.kind not in "biuf":
        raise ValueError(f"sample_weight must be numeric; got dtype {weights.dtype}.")
    if weights.ndim == 0:
        weights = np.full(n_samples, weights)
    if weights.shape != (n_samples,):
        raise ValueError(f"sample_weight must have shape ({n_samples},) to match X; "
                         f"got shape {weights.shape}.")
    weights = weights.astype(X.dtype)
    if not np.isfinite(weights).all():
        raise ValueError("sample_weight contains NaN or infinity.")
    if (weights < 0).any():
        raise ValueError("sample_weight must be non-negative.")
    if weights.sum() == 0:
        raise ValueError("sample_weight sums to zero: at least one sample must "
                         "have a positive weight.")
    return weights


def check_labels_known(y, known, name):
    unknown = np.setdiff1d(np.unique(y), known)
    if unknown.size:
        raise ValueError(f"y contains labels {unknown!r} that are not in {name} "
                         f"{known!r}.")


def check_layer_shapes(coefs, intercepts, network):
    """The starting weights of a warm fit must fit the network being trained."""
    expected = [(shape, (shape[1],)) for shape in network.coef_shapes]
    found = [tuple(np.shape(array) for array in pair)
             for pair in zip(coefs, intercepts, strict=False)]
    if len(coefs) != len(intercepts) or found != expected:
        raise ValueError(
            f"coefs_/intercepts_ have shapes {found}, but the network for this "
            f"data and hidden_layer_sizes needs {expected}.")
