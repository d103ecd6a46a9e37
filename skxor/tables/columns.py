"""Reading a table column by column: pandas and polars DataFrames, NumPy and SciPy arrays.

``read_columns(X)`` gives each column's name and values: numbers as a
float64 array with NaN where a value is missing, anything else as a
``TextColumn``. It imports neither pandas nor polars: it reads what their
columns give (``to_numpy``, the dtype's name), so either works without the
other installed.

What a column is:

- numbers and booleans, whatever their dtype (NumPy's, pandas' nullable
  ``Int64``/``Float64``/``boolean``, polars' integers and floats), and object
  columns that hold only numbers: a numeric column;
- pandas ``category`` and ``string``, polars ``String``, ``Categorical`` and
  ``Enum``, and object columns holding anything but numbers: a text column,
  each value compared by its text;
- dates, times and durations: refused, with the column named.
"""

import numbers

import numpy as np

from .encoding import TextColumn, is_missing

TEXT_DTYPES = ("category", "string", "str", "String", "Utf8", "Categorical", "Enum")
"""Names (or name prefixes) of the column dtypes read as text, whatever they hold."""


def is_table(X):
    """Whether ``X`` is a DataFrame (pandas, polars or alike): named columns, not an array."""
    return hasattr(X, "columns") and hasattr(X, "dtypes")


def read_columns(X):
    """``[(name, values), ...]``: each column of ``X`` as numbers or as a ``TextColumn``.

    ``X`` is a DataFrame, a 2-D array-like or a SciPy sparse matrix; an
    array's columns are named by their position.
    """
    if is_table(X):
        return [(name, read_column(name, X[name])) for name in X.columns]
    if hasattr(X, "toarray"):
        X = X.toarray()
    array = np.asarray(X)
    if array.ndim != 2:
        raise ValueError(f"Expected a 2D table or array for X, got {array.ndim}D. Reshape it, "
                         "for example with X.reshape(-1, 1) for a single feature.")
    if array.dtype.kind in "biuf":
        numbers_ = array.astype(np.float64)
        return [(index, numbers_[:, index]) for index in range(array.shape[1])]
    return [(index, read_column(index, array[:, index])) for index in range(array.shape[1])]


def read_column(name, column):
    """One column's values: a float64 array (NaN missing) or a ``TextColumn``."""
    dtype_name = str(getattr(column, "dtype", ""))
    values = column.to_numpy() if hasattr(column, "to_numpy") else np.asarray(column)
    if dtype_name.startswith(TEXT_DTYPES):
        return _text(values)
    kind = values.dtype.kind
    if kind in "biuf":
        return values.astype(np.float64)
    if kind in "mM":
        raise TypeError(f"Column {name!r} holds dates or times ({values.dtype}). Turn them "
                        "into numbers first, such as days since a reference date.")
    if kind not in "OUS":
        raise TypeError(f"Column {name!r} holds values of dtype {values.dtype}, which is "
                        "neither numbers nor text.")
    missing = np.array([is_missing(value) for value in values], dtype=bool)
    if all(isinstance(value, numbers.Real) for value in values[~missing]):
        result = np.full(len(values), np.nan)
        result[~missing] = values[~missing].astype(np.float64)
        return result
    return _text(values, missing)


def _text(values, missing=None):
    """``values`` as a ``TextColumn``, numbers written as the numeric path writes them."""
    if missing is None:
        missing = np.array([is_missing(value) for value in values], dtype=bool)
    text = np.array(["" if absent else _text_of(value)
                     for value, absent in zip(values, missing, strict=True)], dtype=object)
    return TextColumn(text.astype(str), missing)


def _text_of(value):
    """A value's text: a whole number as an integer (``2.0`` and ``2`` are ``"2"``)."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if float(value).is_integer():
            return str(int(value))
    return str(value)
