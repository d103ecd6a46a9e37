"""Read-only constant arrays that the training loop reuses instead of remaking.

Scalars: a NumPy call with a Python float operand costs about 0.25 µs more
than the same call with a 0-d array of the other operand's dtype: NumPy has
to work out the float's dtype every time. On tiny problems (XOR: four rows,
about thirty calls per pass) that is a fifth of a training pass. The values
are the same: NumPy's promotion rules give a Python float the array's dtype
too.

Vectors and arrays: a vector of ones turns row sums into one matrix-vector
product, and an array of zeros shaped like its operand lets ``maximum`` take
NumPy's fast loop for two contiguous arrays. Both caches are bounded.
"""

from collections import namedtuple
from functools import lru_cache

import numpy as np


class ScalarTable(dict):
    """Named 0-d arrays of each dtype, made on first use.

    ``table[dtype]`` is a named tuple of read-only 0-d arrays of NumPy dtype
    ``dtype`` holding ``values(dtype)``; a dict lookup, so the hot loop pays
    almost nothing. ``table.row(dtype)`` takes the dtype of any namespace.

    Parameters
    ----------
    names : str
        Space-separated names of the values.
    values : callable
        ``values(dtype) -> tuple of float``, one per name.
    """

    def __init__(self, names, values):
        super().__init__()
        self._row = namedtuple("Scalars", names)
        self._values = values
        self._others = {}

    def row(self, dtype):
        """The row of ``dtype``, a NumPy dtype or one of another array namespace.

        Other namespaces' dtypes have rows of their own, keyed by name: some
        (array-api-strict's) hash like NumPy's but warn when compared with them.
        """
        if isinstance(dtype, np.dtype):
            return self[dtype]
        key = f"{type(dtype).__module__}.{dtype}"
        row = self._others.get(key)
        if row is None:
            row = self._others[key] = self._make_row(dtype)
        return row

    def __missing__(self, dtype):
        row = self[dtype] = self._make_row(dtype)
        return row

    def _make_row(self, dtype):
        values = self._values(numpy_dtype(dtype))
        return self._row(*(read_only_scalar(value, dtype) for value in values))


def read_only_scalar(value, dtype):
    """A read-only 0-d array of ``dtype`` holding ``value``.

    For a dtype of another array namespace: the value rounded to that dtype,
    as a Python float, which the array-API primitives turn into a 0-d array
    on the right device once.
    """
    try:
        return _read_only(np.array(value, dtype=np.dtype(dtype)))
    except TypeError:
        return float(np.array(value, dtype=numpy_dtype(dtype)))


def numpy_dtype(dtype):
    """The NumPy dtype named like ``dtype``, a dtype of any array namespace."""
    try:
        return np.dtype(dtype)
    except TypeError:
        return np.dtype(str(dtype).rsplit(".", 1)[-1])


@lru_cache(maxsize=32)
def ones_vector(size, dtype):
    """A read-only vector of ``size`` ones: row sums as one matrix-vector product."""
    return _read_only(np.ones(size, dtype))


_ZEROS = {}
_MAX_ZERO_SHAPES = 16


def zeros_like(array):
    """A read-only array of zeros of ``array``'s shape and dtype, kept for the next call.

    Training and prediction see a few shapes; should more come (many
    prediction sizes), the cache starts over rather than grow.
    """
    key = (array.shape, array.dtype)
    zeros = _ZEROS.get(key)
    if zeros is None:
        if len(_ZEROS) >= _MAX_ZERO_SHAPES:
            _ZEROS.clear()
        zeros = _ZEROS[key] = _read_only(np.zeros(array.shape, array.dtype))
    return zeros


def _read_only(array):
    array.flags.writeable = False
    return array
