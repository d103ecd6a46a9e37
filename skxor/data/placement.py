"""Where a fit's arrays live: NumPy on the host, or X's array-API namespace and device.

scikit-learn's rule under ``array_api_dispatch=True`` is that everything
follows X: targets and sample weights move to X's namespace and device, the
fitted weights live there, and predictions come back there. Without dispatch,
or for NumPy and SciPy sparse X, nothing moves and this module stays out of
the way (``placement_of`` returns None).

Labels and sample weights are checked and encoded on the host, with NumPy,
as without dispatch; the encoded targets, the weights and the starting
parameters then move to X's device once per fit.
"""

import sys
from dataclasses import dataclass

import numpy as np
from array_api_compat import array_namespace, device, is_array_api_obj, is_lazy_array
from sklearn import get_config

from ..network.constants import numpy_dtype
from ..network.primitives import to_numpy

FLOAT_DTYPES = (np.float64, np.float32)
"""The dtypes NumPy X may be converted to, widest first."""


def float_dtypes(placement):
    """The dtypes X may be converted to: NumPy's, or those of X's namespace and device."""
    return FLOAT_DTYPES if placement is None else placement.float_dtypes()


def compute_dtypes(placement, dtype):
    """The dtypes X is converted to: ``float_dtypes``, or the one that ``dtype`` names.

    ``dtype`` is the estimator's compute dtype, ``"float32"``, ``"float64"``
    or None (X's own float type). Under array API dispatch it must be one
    that X's device has (Apple's MPS has no float64).
    """
    available = float_dtypes(placement)
    if dtype is None:
        return available
    for candidate in available:
        if numpy_dtype(candidate).name == dtype:
            return candidate
    names = ", ".join(numpy_dtype(candidate).name for candidate in available)
    raise ValueError(f"dtype={dtype!r} is not available on {placement.describe()}, which "
                     f"computes in {names}. Choose one of those, or dtype=None.")


@dataclass(frozen=True)
class Placement:
    """An array-API namespace ``xp`` and a device of it, where a fit's arrays live."""

    xp: object
    device: object

    def float_dtypes(self):
        """The float dtypes X may be converted to, widest first, that the device has."""
        info = self.xp.__array_namespace_info__()
        found = info.dtypes(device=self.device, kind="real floating")
        return tuple(found[name] for name in ("float64", "float32") if name in found)

    def put(self, array):
        """``array`` (NumPy or any namespace) in this namespace and on this device."""
        if array is None:
            return None
        if _same_place(array, self):
            return array
        return self.xp.asarray(to_numpy(array), device=self.device)

    def describe(self):
        return f"{self.xp.__name__} on device {self.device}"


def is_plain_numpy(array):
    """Whether ``array`` is a NumPy ndarray itself, not a subclass nor another namespace's."""
    return type(array) is np.ndarray


def _same_place(array, placement):
    return (is_array_api_obj(array) and not isinstance(array, np.ndarray)
            and array_namespace(array) is placement.xp and device(array) == placement.device)


def is_dask_collection(value):
    """Whether ``value`` is a dask collection (an array, a DataFrame); never imports dask.

    Nothing can be a dask collection before dask is imported, so NumPy
    inputs never import it.
    """
    dask = sys.modules.get("dask")
    return dask is not None and dask.is_dask_collection(value)


def placement_of(X, name="X"):
    """X's ``Placement`` under scikit-learn's array API dispatch; None for the NumPy path.

    A lazy array (dask.array) is refused, naming it ``name``: training updates
    the weights in place and reads results back every epoch, which a lazy
    namespace cannot do (L-BFGS stopped at once with a wrong model).
    """
    if not get_config().get("array_api_dispatch", False):
        return None
    if isinstance(X, np.ndarray) or not is_array_api_obj(X) or hasattr(X, "tocsr"):
        return None
    if is_lazy_array(X):
        raise TypeError(
            f"{name} is a lazy array ({type(X).__module__}.{type(X).__name__}). Under "
            "array_api_dispatch, skxor trains and predicts on eager arrays only: its "
            "updates work in place, which a lazy namespace cannot do. Compute it first "
            f"(for a dask array: {name}.compute()), or call outside array_api_dispatch, "
            "where it is read into NumPy.")
    return Placement(array_namespace(X), device(X))


def put(placement, array):
    """``array`` moved to ``placement``; unchanged when ``placement`` is None."""
    return array if placement is None else placement.put(array)


def placement_of_fitted(array):
    """The ``Placement`` of a fitted array, None for NumPy."""
    if isinstance(array, np.ndarray) or not is_array_api_obj(array):
        return None
    return Placement(array_namespace(array), device(array))
