"""Reading a table column by column: pandas and polars DataFrames, NumPy and SciPy arrays.

``read_columns(X)`` gives each column's name and values: numbers as a
float64 array with NaN where a value is missing, anything else as a
``TextColumn``. It imports neither pandas nor polars: it reads what their
columns give (``to_numpy``, the dtype's name), so either works without the
other installed.

What a column is:

- numbers and booleans, whatever their dtype (NumPy's, pandas' nullable
  ``Int64``/``Float64``/``boolean``, polars' integers, floats and decimals),
  and object columns that hold only numbers (``decimal.Decimal`` included):
  a numeric column;
- pandas ``category`` and ``string``, polars ``String``, ``Categorical`` and
  ``Enum``, and object columns holding anything but numbers: a text column,
  each value compared by its text;
- dates, times, durations and periods (timezone-aware or not, in any
  dtype or as Python objects): refused, with the column named.

A value's text (``text_of``) is one function for fit and prediction alike:
whole numbers and booleans as integers (``2.0``, ``2`` and ``True``... as
``"2"`` and ``"1"``), other numbers as their float64 text, anything else as
``str`` gives it.
"""

import datetime
import decimal
import numbers
from dataclasses import dataclass

import numpy as np

TEXT_DTYPES = ("category", "string", "str", "String", "Utf8", "Categorical", "Enum")
"""Names (or name prefixes) of the column dtypes read as text, whatever they hold."""

TEMPORAL_DTYPES = ("datetime", "timedelta", "period", "Date", "Datetime", "Duration", "Time")
"""Names (or name prefixes) of the pandas and polars dtypes of dates, times and periods."""

TEMPORAL_TYPES = (datetime.date, datetime.time, datetime.timedelta, np.datetime64,
                  np.timedelta64)
"""Python and NumPy types of dates and times (pandas' Timestamp and Timedelta among them)."""


@dataclass
class TextColumn:
    """A column read as text: each value's text, and where values are missing."""

    text: np.ndarray
    missing: np.ndarray

    def __len__(self):
        """The number of rows."""
        return len(self.text)


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
        as_floats = array.astype(np.float64)
        return [(index, as_floats[:, index]) for index in range(array.shape[1])]
    return [(index, read_column(index, array[:, index])) for index in range(array.shape[1])]


def read_column(name, column):
    """One column's values: a float64 array (NaN missing) or a ``TextColumn``."""
    dtype_name = str(getattr(column, "dtype", ""))
    if dtype_name.startswith(TEMPORAL_DTYPES):
        raise _temporal(name, dtype_name)
    values = column.to_numpy() if hasattr(column, "to_numpy") else np.asarray(column)
    if dtype_name.startswith(TEXT_DTYPES):
        return as_text(values)
    kind = values.dtype.kind
    if kind in "biuf":
        return values.astype(np.float64)
    if kind in "mM":
        raise _temporal(name, values.dtype)
    if kind not in "OUS":
        raise TypeError(f"Column {name!r} holds values of dtype {values.dtype}, which is "
                        "neither numbers nor text.")
    missing = missing_mask(values)
    present = values[~missing]
    temporal = next((value for value in present if _is_temporal(value)), None)
    if temporal is not None:
        raise _temporal(name, type(temporal).__name__)
    if all(_is_number(value) for value in present):
        result = np.full(len(values), np.nan)
        result[~missing] = [float(value) for value in present]
        return result
    return as_text(values, missing)


def as_text(values, missing=None):
    """``values`` (an array of numbers or objects) as a ``TextColumn``, by ``text_of``."""
    if missing is None:
        missing = missing_mask(values)
    text = [("" if absent else text_of(value))
            for value, absent in zip(values, missing, strict=True)]
    return TextColumn(np.array(text, dtype=str).reshape(len(values)), np.asarray(missing))


def text_of(value):
    """A value's text: whole numbers and booleans as integers, other numbers as float64."""
    if _is_number(value):
        number = float(value)
        if number.is_integer():
            return str(int(number))
        return repr(number)
    return str(value)


def missing_mask(values):
    """Where ``values`` (an array) are missing: None, NaN, pandas' NA or NaT."""
    if values.dtype.kind == "f":
        return np.isnan(values)
    return np.array([is_missing(value) for value in values], dtype=bool)


def is_missing(value):
    """Whether ``value`` stands for a missing value: None, NaN, pandas' NA or NaT."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    return isinstance(value, numbers.Real) and value != value


def _is_number(value):
    return isinstance(value, (numbers.Real, decimal.Decimal, np.bool_))


def _is_temporal(value):
    return isinstance(value, TEMPORAL_TYPES) or type(value).__name__ == "Period"


def _temporal(name, dtype):
    return TypeError(f"Column {name!r} holds dates, times or periods ({dtype}). Turn them "
                     "into numbers first, such as days since a reference date.")
