"""Constants of the training loop as 0-d arrays of the data's dtype.

A NumPy call with a Python float operand costs about 0.25 µs more than the
same call with a 0-d array of the other operand's dtype: NumPy has to work
out the float's dtype every time. On tiny problems (XOR: four rows, about
thirty calls per pass) that is a fifth of a training pass. The values are
the same: NumPy's promotion rules give a Python float the array's dtype too.
"""

import numpy as np


class ScalarTable(dict):
    """0-d arrays of each dtype, made on first use.

    ``table[dtype]`` is a tuple of read-only 0-d arrays of ``dtype`` holding
    ``values(dtype)``; a dict lookup, so the hot loop pays almost nothing.

    Parameters
    ----------
    values : callable
        ``values(dtype) -> tuple of float``.
    """

    def __init__(self, values):
        super().__init__()
        self._values = values

    def __missing__(self, dtype):
        arrays = tuple(read_only_scalar(value, dtype) for value in self._values(dtype))
        self[dtype] = arrays
        return arrays


def read_only_scalar(value, dtype):
    """A read-only 0-d array of ``dtype`` holding ``value``."""
    scalar = np.array(value, dtype=dtype)
    scalar.flags.writeable = False
    return scalar
