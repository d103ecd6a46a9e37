"""Array primitives: the few operations whose NumPy and array-API forms differ.

The core writes each formula once, through ``primitives(array)``. For NumPy
arrays that is ``NUMPY``, whose functions are NumPy's own ufuncs: they write
into ``out=`` buffers, take cached 0-d constants, and keep every fast path the
training loop was tuned with (``ndarray.dot`` into ``out``, ``take`` with
``mode="clip"``, row sums as matrix-vector products). For an array of any other
namespace (PyTorch, CuPy, array-api-strict) it is a ``StandardPrimitives`` of
that namespace: the same calls, written with the array API standard through
array-api-compat, whose results are copied into ``out`` where one is given.

Both return the result (``out`` when given), so callers never depend on
which one they run on. Nothing here reads data back to the host except the
functions that say so (``to_numpy``, ``all_finite``).
"""

import sys

import numpy as np
from array_api_compat import array_namespace, device, is_array_api_obj, is_torch_array

from .constants import ScalarTable, ones_vector, zeros_like


def _np_matmul_into(left, right, out):
    """``out[...] = left @ right``; ``left`` may be a SciPy sparse matrix.

    ``ndarray.dot`` with ``out`` costs a quarter of ``np.matmul`` per call on
    tiny arrays (0.26 against 0.9 µs) and calls the same BLAS routine on
    large ones; it needs ``out`` C-contiguous, as every buffer here is.
    """
    if isinstance(left, np.ndarray):
        return left.dot(right, out)
    out[...] = left @ right
    return out


def _np_take_rows(array, index, buffer):
    """Rows ``index`` (a slice or an index array) of ``array``, into ``buffer`` if given.

    The indices come from a permutation, so none is out of range: ``mode="clip"``
    changes nothing but spares NumPy the copy of ``out`` it makes in its default
    mode, in case an index fails (200 rows of 100 floats: 9 against 19 µs).
    """
    if isinstance(index, slice) or buffer is None:
        return array[index]
    return array.take(index, axis=0, out=buffer[: len(index)], mode="clip")


def _np_keep_positive(z):
    """``max(z, 0)`` in place.

    On large arrays the zero is an array of zeros shaped like ``z``: NumPy's
    SIMD loop for two contiguous arrays runs ``maximum`` 2 to 4 times faster
    than its loop for an array and a scalar (200 x 256: 10 against 23 µs in
    float64, 4.5 against 19 µs in float32). On small ones, finding that
    array would cost more than it saves.
    """
    zero = _ZERO[z.dtype].zero if z.size < _SIMD_MIN_SIZE else zeros_like(z)
    return np.maximum(z, zero, out=z)


_SIMD_MIN_SIZE = 4096
_ZERO = ScalarTable("zero", lambda dtype: (0,))


def _np_shift_for_exp(z, floor):
    """Shift each row of ``z`` by a constant so that ``exp`` neither overflows nor underflows.

    When all of ``z`` spans less than ``-floor``, one shift by the overall
    maximum serves every row; otherwise each row is shifted by its own maximum
    and floored. The first costs two whole-array reductions, the second a
    reduction over short rows: 2 against 9 µs on 200 x 10.
    """
    top = z.max()
    if top - z.min() < -floor:
        z -= top
    else:
        z -= z.max(axis=1, keepdims=True)
        np.maximum(z, floor, out=z)
    return z


class _NumpyPrimitives:
    """NumPy's own functions, in place through ``out=``."""

    xp = np
    maximum, minimum, negative, exp, expm1 = np.maximum, np.minimum, np.negative, np.exp, np.expm1
    add, subtract, multiply, divide, sign = np.add, np.subtract, np.multiply, np.divide, np.sign
    reciprocal, tanh, abs, log, log1p, sqrt = (np.reciprocal, np.tanh, np.abs, np.log,
                                               np.log1p, np.sqrt)
    greater = np.greater
    clip = staticmethod(np.clip)
    result_type = staticmethod(np.result_type)
    concatenate = staticmethod(np.concatenate)
    matmul_into = staticmethod(_np_matmul_into)
    take_rows = staticmethod(_np_take_rows)
    keep_positive = staticmethod(_np_keep_positive)
    shift_for_exp = staticmethod(_np_shift_for_exp)
    to_numpy = staticmethod(np.asarray)
    float64_scalar = float
    """A 0-d result in float64: a Python float here; a float64 0-d array on the device
    elsewhere, never read back."""

    @staticmethod
    def total(array):
        """Sum of every element."""
        return np.add.reduce(array, axis=None)

    @staticmethod
    def inner(left, right):
        """Inner product of two vectors (``dot``: a third of ``matmul``'s cost on tiny ones)."""
        return left.dot(right)

    @staticmethod
    def pairwise_row_sums(array):
        """Sum of each row, by NumPy's pairwise summation."""
        return np.add.reduce(array, axis=1)

    @staticmethod
    def row_sums(array):
        """Sum of each row, as one matrix-vector product (0.7 against 5 µs for sum)."""
        return array.dot(ones_vector(array.shape[1], array.dtype))

    @staticmethod
    def row_dots(left, right):
        """``sum(left * right, axis=1)`` without the product's temporary."""
        return np.einsum("ij,ij->i", left, right)

    @staticmethod
    def keep_where_positive(array, test):
        """Zero ``array`` where ``test`` is not positive, in place.

        Multiplying by the mask is three times faster than assigning through it.
        """
        return np.multiply(array, np.greater(test, _ZERO[test.dtype].zero), out=array)

    @staticmethod
    def multiply_where(array, factor, condition):
        """Multiply ``array`` by ``factor`` where ``condition`` holds, in place."""
        return np.multiply(array, factor, out=array, where=condition)

    own_dtype_scalar = float
    """A 0-d result as a Python float here; elsewhere the 0-d array as it is, in its own
    dtype, on its device."""

    @staticmethod
    def known_zero(value):
        """Whether ``value`` is 0, as far as the host knows without reading a device."""
        return value == 0

    @staticmethod
    def batch_buffer(array, n_rows):
        """Room for ``n_rows`` rows of ``array``, gathered by ``take_rows``; None if sparse."""
        if not isinstance(array, np.ndarray):
            return None
        return np.empty((n_rows, *array.shape[1:]), dtype=array.dtype)

    @staticmethod
    def assign_scaled(out, host_array, factor):
        """``out[...] = host_array * factor``, from a NumPy ``host_array``, allocating nothing."""
        return np.multiply(host_array, factor, out=out)

    @staticmethod
    def weight_total(weights):
        """Sum of the weights, a float64 scalar whatever their dtype."""
        return weights.sum(dtype=np.float64)

    @staticmethod
    def empty(shape, like):
        """An uninitialised array of ``like``'s dtype (and namespace and device)."""
        return np.empty(shape, dtype=like.dtype)

    @staticmethod
    def zeros(shape, like):
        """Zeros of ``like``'s dtype (and namespace and device)."""
        return np.zeros(shape, dtype=like.dtype)

    @staticmethod
    def assign_from_host(array, values):
        """``array[...] = values``, a NumPy array, cast to ``array``'s dtype."""
        array[...] = values
        return array

    @staticmethod
    def reshape(array, shape):
        return array.reshape(shape)

    @staticmethod
    def astype(array, dtype):
        return array.astype(dtype, copy=False)

    @staticmethod
    def copy(array):
        return array.copy()

    @staticmethod
    def all_finite(array):
        return bool(np.isfinite(array).all())

    @staticmethod
    def index_rows(order, like):
        """Row indices ``order`` (a NumPy array) where ``like``'s rows can use them."""
        return order

    @staticmethod
    def in_row_order(array):
        """``array`` itself if C-contiguous and aligned (or sparse), else such a copy.

        NumPy's ``take`` (the batch gather) copies a misaligned or strided
        array whole on every call, and its products skip BLAS on misaligned
        ones: a 2-epoch fit on 200,000 x 20 float64 at an odd byte offset
        took 25 times as long as on an aligned copy, and Fortran order 40
        times. One copy per fit costs less than a batch's gather of it.
        """
        if not isinstance(array, np.ndarray):
            return array
        return np.require(array, requirements=["C_CONTIGUOUS", "ALIGNED"])


NUMPY = _NumpyPrimitives()


class StandardPrimitives:
    """The primitives written with the array API standard, for namespace ``xp``.

    Results are new arrays, copied into ``out`` when one is given. Python
    and NumPy scalars become 0-d arrays of the other operand's dtype and
    device (not every implementation takes Python scalars in functions),
    kept for reuse so that constants are sent to a device once.
    """

    _MAX_CONSTANTS = 256

    def __init__(self, xp):
        self.xp = xp
        self._float64 = {}
        self._constants = {}

    def __getattr__(self, name):
        """The elementwise function ``name`` (NumPy's name), made on first use and kept."""
        if name not in _ELEMENTWISE:
            raise AttributeError(name)
        function = self._elementwise(name)
        setattr(self, name, function)
        return function

    def _elementwise(self, name):
        standard = getattr(self.xp, _ELEMENTWISE[name])

        def call(*args, out=None):
            result = standard(*self._operands(args))
            if out is None:
                return result
            out[...] = result
            return out

        return call

    def _operands(self, args):
        like = next(arg for arg in args if not isinstance(arg, _SCALARS))
        return [self._constant(arg, like) if isinstance(arg, _SCALARS) else arg
                for arg in args]

    def _constant(self, value, like):
        """``value`` as a 0-d array like ``like``, made once (the cache starts over when full)."""
        key = (float(value), like.dtype, device(like))
        constant = self._constants.get(key)
        if constant is None:
            if len(self._constants) >= self._MAX_CONSTANTS:
                self._constants.clear()
            constant = self._constants[key] = self.xp.asarray(key[0], dtype=like.dtype,
                                                              device=key[2])
        return constant

    def clip(self, array, low, high, out=None):
        result = self.xp.clip(array, min=float(low), max=float(high))
        if out is None:
            return result
        out[...] = result
        return out

    def reciprocal(self, array, out=None):
        result = 1.0 / array
        if out is None:
            return result
        out[...] = result
        return out

    def result_type(self, *dtypes):
        return self.xp.result_type(*dtypes)

    def concatenate(self, arrays, axis=0):
        return self.xp.concat(arrays, axis=axis)

    def matmul_into(self, left, right, out):
        out[...] = left @ right
        return out

    def take_rows(self, array, index, buffer):
        if isinstance(index, slice):
            return array[index, ...]
        return self.xp.take(array, index, axis=0)

    def keep_positive(self, z):
        z[...] = self.xp.maximum(z, self._constant(0.0, z))
        return z

    def shift_for_exp(self, z, floor):
        z -= self.xp.max(z, axis=1, keepdims=True)
        z[...] = self.xp.maximum(z, self._constant(floor, z))
        return z

    def to_numpy(self, array):
        return to_numpy(array)

    def float64_scalar(self, array):
        """A 0-d result kept on the device, in float64 where the device has it."""
        dtype = self._float64_of(array)
        return array if dtype is None else self.xp.astype(array, dtype)

    def _float64_of(self, array):
        where = device(array)
        if where not in self._float64:
            info = self.xp.__array_namespace_info__()
            dtypes = info.dtypes(device=where, kind="real floating")
            self._float64[where] = dtypes.get("float64")
        return self._float64[where]

    def total(self, array):
        return self.xp.sum(array)

    def row_sums(self, array):
        return self.xp.sum(array, axis=1)

    def inner(self, left, right):
        return self.xp.vecdot(left, right)

    pairwise_row_sums = row_sums

    def row_dots(self, left, right):
        return self.xp.sum(left * right, axis=1)

    def keep_where_positive(self, array, test):
        array[...] = self.xp.where(test > 0, array, self._constant(0.0, array))
        return array

    def multiply_where(self, array, factor, condition):
        array[...] = self.xp.where(condition, array * factor, array)
        return array

    def own_dtype_scalar(self, array):
        return array

    def known_zero(self, value):
        """A 0-d array on a device is never read back to find out: only a host 0 is known."""
        return isinstance(value, (int, float)) and value == 0

    def batch_buffer(self, array, n_rows):
        """None: the standard's ``take`` makes its own result."""
        return None

    def assign_scaled(self, out, host_array, factor):
        """Send ``host_array * factor`` to ``out``'s device: one transfer."""
        return self.assign_from_host(out, host_array * factor)

    def weight_total(self, weights):
        """Sum of the weights, in their own dtype and on their device."""
        return self.xp.sum(weights)

    def empty(self, shape, like):
        return self.xp.empty(shape, dtype=like.dtype, device=device(like))

    def zeros(self, shape, like):
        return self.xp.zeros(shape, dtype=like.dtype, device=device(like))

    def assign_from_host(self, array, values):
        """Copies ``values`` to the device: one transfer."""
        array[...] = self.xp.asarray(values, dtype=array.dtype, device=device(array))
        return array

    def reshape(self, array, shape):
        return self.xp.reshape(array, shape)

    def astype(self, array, dtype):
        return self.xp.astype(array, dtype, copy=False)

    def copy(self, array):
        return self.xp.asarray(array, copy=True)

    def all_finite(self, array):
        """Whether every element is finite; reads one boolean back from the device."""
        return bool(self.xp.all(self.xp.isfinite(array)))

    def index_rows(self, order, like):
        return self.xp.asarray(order, device=device(like))

    def in_row_order(self, array):
        """``array``: layouts are the namespace's own business."""
        return array


_SCALARS = (int, float, np.generic, np.ndarray)
"""Operands the primitives take as constants: Python and NumPy scalars, 0-d NumPy arrays."""


class TorchPrimitives(StandardPrimitives):
    """On PyTorch tensors: PyTorch's own functions, which write into ``out=`` as NumPy's do.

    The standard's functions return new arrays, which ``StandardPrimitives``
    then copies into ``out``: twice the kernel launches and memory traffic of
    an in-place update. PyTorch takes ``out=`` (and has in-place methods), so
    here the primitives update in place, as on NumPy. Python numbers go to
    its kernels as arguments, so a number that changes every step (Adam's
    rate) is never sent to the device. ``torch`` is the module of the tensors
    at hand; the core never imports it.
    """

    _NAMES = {"negative": "neg", "subtract": "sub", "multiply": "mul", "divide": "div",
              "greater": "gt"}
    _WITH_A_NUMBER = {"maximum": "clamp_min", "minimum": "clamp_max"}
    """Functions that take no Python number, and the ones that do the same with one."""

    def __init__(self, xp, torch):
        super().__init__(xp)
        self.torch = torch

    def _elementwise(self, name):
        function = getattr(self.torch, self._NAMES.get(name, name))
        with_a_number = getattr(self.torch, self._WITH_A_NUMBER.get(name, name))

        def call(*args, out=None):
            args = [float(arg) if isinstance(arg, _SCALARS) else arg for arg in args]
            chosen = with_a_number if isinstance(args[-1], float) else function
            return chosen(*args) if out is None else chosen(*args, out=out)

        return call

    def reciprocal(self, array, out=None):
        return self.torch.reciprocal(array, out=out)

    def clip(self, array, low, high, out=None):
        return self.torch.clamp(array, float(low), float(high), out=out)

    def matmul_into(self, left, right, out):
        if left.ndim == 1:  # a row of ones times deltas: bias gradients, as a 1 x n product
            self.torch.matmul(left[None, :], right, out=out[None, :])
            return out
        return self.torch.matmul(left, right, out=out)

    def take_rows(self, array, index, buffer):
        if isinstance(index, slice):
            return array[index]
        return self.torch.index_select(array, 0, index)

    def keep_positive(self, z):
        return z.clamp_(min=0)

    def keep_where_positive(self, array, test):
        return array.mul_(test > 0)

    def shift_for_exp(self, z, floor):
        z -= z.amax(dim=1, keepdim=True)
        return z.clamp_(min=floor)

    def multiply_where(self, array, factor, condition):
        return self.torch.where(condition, array * factor, array, out=array)


_ELEMENTWISE = {
    "maximum": "maximum", "minimum": "minimum", "negative": "negative", "exp": "exp",
    "expm1": "expm1", "add": "add", "subtract": "subtract", "multiply": "multiply",
    "divide": "divide", "tanh": "tanh", "abs": "abs", "log": "log", "log1p": "log1p",
    "sqrt": "sqrt", "greater": "greater", "sign": "sign",
}
"""The elementwise functions, by NumPy name, and their name in the standard."""

_BY_TYPE = {}


def primitives(array):
    """The primitives for arrays like ``array``: ``NUMPY`` for NumPy and SciPy sparse."""
    if isinstance(array, np.ndarray):
        return NUMPY
    kind = type(array)
    found = _BY_TYPE.get(kind)
    if found is None:
        found = NUMPY
        if is_torch_array(array):
            found = TorchPrimitives(array_namespace(array), sys.modules["torch"])
        elif is_array_api_obj(array) and not hasattr(array, "tocsr"):
            found = StandardPrimitives(array_namespace(array))
        _BY_TYPE[kind] = found
    return found


def to_numpy(array):
    """A NumPy copy (or view) of an array of any namespace, brought to the host."""
    if array is None or isinstance(array, np.ndarray):
        return array
    if is_torch_array(array):
        return array.detach().cpu().numpy()
    if hasattr(array, "get") and type(array).__module__.startswith("cupy"):
        return array.get()
    try:
        return np.asarray(array)
    except (TypeError, RuntimeError, ValueError):
        xp = array_namespace(array)
        host = xp.__array_namespace_info__().default_device()
        return np.asarray(xp.asarray(array, device=host))
