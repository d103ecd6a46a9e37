"""Activation functions, each with its backward rule, keyed by public name.

Every ``forward`` overwrites its argument ``z`` (the pre-activation) with the
activation and returns it. Every ``backward`` takes the array its derivative
is written in and the gradient of the loss with respect to the activation's
output, and overwrites the gradient with the gradient with respect to ``z``
(the chain rule through the activation). Most derivatives are functions of the
output ``a``, so the network keeps only the outputs; GELU's is not, and its
``backward_from`` asks the network to keep ``z`` as well. Working in place
keeps the training loop free of temporary arrays the size of a layer wherever
the formula allows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np

from ._constants import ScalarTable, ones_vector, zeros_like


@cache
def _exp_floor(dtype):
    """Floor for arguments of ``np.exp``: the log of ``tiny ** (1/3)`` of ``dtype``.

    Outputs then stay above ``tiny ** (1/3)`` (2.8e-103 in float64, 2.3e-13 in
    float32), so neither ``exp`` nor the backward rules, which multiply up to
    three such small factors (``(p - y) * p * (1 - p)`` for squared error
    through a sigmoid), underflow: the activations stay silent even under
    ``np.errstate(all="raise")``. Probabilities that small are far below the
    ``eps`` at which the log loss clips them, so no result changes.
    """
    return float(np.log(np.finfo(dtype).tiny) / 3)


_CONSTANTS = ScalarTable("exp_floor logistic_bound zero one",
                         lambda dtype: (_exp_floor(dtype), -_exp_floor(dtype), 0, 1))
"""Per dtype: the ``exp`` floor, its negative (where the logistic clips), zero and one."""


def identity(z):
    """Return ``z`` unchanged."""
    return z


def identity_backward(a, grad):
    """The identity passes the gradient through unchanged."""
    return grad


def logistic(z):
    """Logistic sigmoid ``1 / (1 + exp(-z))``, computed without overflow.

    Notes
    -----
    ``z`` is first clipped to ``[-b, b]`` with ``b = -log(tiny) / 3``, so
    ``exp(-z)`` neither overflows nor underflows and outputs stay at least
    ``tiny ** (1/3)`` (see ``_exp_floor``). ``1 / (1 + e)`` is then accurate
    to a few ulps for either sign of ``z``: for very negative ``z``, ``1 + e``
    is a huge number and its reciprocal loses nothing. Six in-place calls,
    no temporaries.
    """
    constants = _CONSTANTS[z.dtype]
    np.maximum(z, constants.exp_floor, out=z)
    np.minimum(z, constants.logistic_bound, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    np.add(z, constants.one, out=z)
    return np.reciprocal(z, out=z)


def logistic_backward(a, grad):
    """Multiply by the sigmoid's derivative ``a * (1 - a)``."""
    grad *= a
    grad *= 1 - a
    return grad


def tanh(z):
    """Hyperbolic tangent (``np.tanh`` is stable for every input)."""
    return np.tanh(z, out=z)


def tanh_backward(a, grad):
    """Multiply by the derivative of tanh, ``1 - a**2``."""
    grad *= 1 - a * a
    return grad


def relu(z):
    """Rectified linear unit ``max(z, 0)``.

    On large arrays the zero is an array of zeros shaped like ``z``: NumPy's
    SIMD loop for two contiguous arrays runs ``maximum`` 2 to 4 times faster
    than its loop for an array and a scalar (200 x 256: 10 against 23 µs in
    float64, 4.5 against 19 µs in float32). On small ones, finding that
    array would cost more than it saves.
    """
    zero = _CONSTANTS[z.dtype].zero if z.size < _SIMD_MIN_SIZE else zeros_like(z)
    return np.maximum(z, zero, out=z)


_SIMD_MIN_SIZE = 4096


def relu_backward(a, grad):
    """Zero the gradient where the unit was inactive (``a == 0``).

    Multiplying by the mask is three times faster than assigning through it.
    """
    return np.multiply(grad, np.greater(a, _CONSTANTS[a.dtype].zero), out=grad)


def softmax(z):
    """Row-wise softmax, shifted so that ``exp`` can neither overflow nor underflow.

    Notes
    -----
    A row's softmax is unchanged by subtracting any constant from it. When
    all of ``z`` spans less than the ``exp`` floor's range (about 236 in
    float64, 29 in float32), one shift by the overall maximum serves every
    row; otherwise each row is shifted by its own maximum and floored. The
    first costs two whole-array reductions, the second a reduction over
    short rows: 2 against 9 µs on 200 x 10. Row sums are a product with a
    vector of ones, one BLAS call (0.7 against 5 µs for ``sum(axis=1)``).
    """
    floor = _CONSTANTS[z.dtype].exp_floor
    top = z.max()
    if top - z.min() < -floor:
        z -= top
    else:
        z -= z.max(axis=1, keepdims=True)
        np.maximum(z, floor, out=z)
    np.exp(z, out=z)
    z /= z.dot(ones_vector(z.shape[1], z.dtype))[:, np.newaxis]
    return z


def softmax_backward(a, grad):
    """Jacobian-vector product of the softmax.

    Notes
    -----
    ``da_k / dz_j = a_k (delta_kj - a_j)``, so the gradient with respect to
    ``z`` is ``a * (grad - sum_k grad_k a_k)``, row by row.
    """
    grad -= np.einsum("ij,ij->i", grad, a)[:, np.newaxis]
    grad *= a
    return grad


LEAKY_RELU_SLOPE = 0.01
"""Slope of ``leaky_relu`` for negative inputs."""


def leaky_relu(z):
    """Leaky ReLU: ``z`` where positive, ``0.01 * z`` elsewhere."""
    return np.multiply(z, LEAKY_RELU_SLOPE, out=z, where=z < 0)


def leaky_relu_backward(a, grad):
    """Multiply by 0.01 where the output is negative (the input was)."""
    return np.multiply(grad, LEAKY_RELU_SLOPE, out=grad, where=a < 0)


def _clipped_negative_part(z):
    """``min(z, 0)`` floored at ``_exp_floor``: a safe argument for ``exp``."""
    return np.maximum(np.minimum(z, 0), _exp_floor(z.dtype))


def elu(z):
    """Exponential linear unit: ``z`` where positive, ``exp(z) - 1`` elsewhere."""
    negative_part = np.expm1(_clipped_negative_part(z))
    np.maximum(z, 0, out=z)
    z += negative_part
    return z


def elu_backward(a, grad):
    """Multiply by the derivative: 1 where positive, ``exp(z) = a + 1`` elsewhere."""
    return np.multiply(grad, a + 1, out=grad, where=a < 0)


def softplus(z):
    """Softplus ``log(1 + exp(z))``, as ``max(z, 0) + log1p(exp(-|z|))``.

    The second form never overflows, and ``log1p`` keeps the tiny outputs of
    very negative ``z`` accurate.
    """
    tail = _clipped_negative_part(-np.abs(z))
    np.exp(tail, out=tail)
    np.log1p(tail, out=tail)
    np.maximum(z, 0, out=z)
    z += tail
    return z


def softplus_backward(a, grad):
    """Multiply by the derivative ``sigmoid(z) = 1 - exp(-a)``, as ``-expm1(-a)``."""
    derivative = np.expm1(np.maximum(-a, _exp_floor(a.dtype)))
    np.negative(derivative, out=derivative)
    grad *= derivative
    return grad


GELU_SCALE = float(np.sqrt(2 / np.pi))
GELU_CUBIC = 0.044715


def _gelu_tanh(z):
    """``tanh(sqrt(2 / pi) * (z + 0.044715 z**3))``, GELU's smooth gate."""
    gate = z * z
    gate *= GELU_CUBIC
    gate += 1
    gate *= z
    gate *= GELU_SCALE
    return np.tanh(gate, out=gate)


def gelu(z):
    """Gaussian error linear unit in its tanh form (Hendrycks & Gimpel, 2016).

    ``0.5 z (1 + tanh(sqrt(2 / pi) (z + 0.044715 z**3)))``. The cube overflows
    only beyond 1e102 in float64 (1e12 in float32), so ``z`` is clipped there:
    GELU is the identity (or zero) long before.
    """
    bound = np.finfo(z.dtype).max ** (1 / 3) / 10
    np.clip(z, -bound, bound, out=z)
    gate = _gelu_tanh(z)
    gate += 1
    gate *= 0.5
    z *= gate
    return z


def gelu_backward(z, grad):
    """Multiply by GELU's derivative, which needs the pre-activation ``z``.

    Notes
    -----
    With ``t = tanh(u)`` and ``u = c (z + k z**3)``, the derivative is
    ``0.5 (1 + t) + 0.5 z (1 - t**2) c (1 + 3 k z**2)``.
    """
    bound = np.finfo(z.dtype).max ** (1 / 3) / 10
    z = np.clip(z, -bound, bound)
    gate = _gelu_tanh(z)
    slope = z * z
    slope *= 3 * GELU_CUBIC
    slope += 1
    slope *= GELU_SCALE * 0.5
    slope *= z
    slope *= 1 - gate * gate
    gate += 1
    gate *= 0.5
    slope += gate
    grad *= slope
    return grad


@dataclass(frozen=True)
class Activation:
    """An activation function with its in-place forward and backward rules.

    ``backward_from`` names what ``backward`` takes as its first argument:
    the layer's ``"output"`` (most activations) or its ``"input"`` (GELU).
    """

    forward: Callable[[np.ndarray], np.ndarray]
    backward: Callable[[np.ndarray, np.ndarray], np.ndarray]
    backward_from: str = "output"


ACTIVATIONS = {
    "identity": Activation(identity, identity_backward),
    "logistic": Activation(logistic, logistic_backward),
    "sigmoid": Activation(logistic, logistic_backward),
    "tanh": Activation(tanh, tanh_backward),
    "relu": Activation(relu, relu_backward),
    "leaky_relu": Activation(leaky_relu, leaky_relu_backward),
    "elu": Activation(elu, elu_backward),
    "softplus": Activation(softplus, softplus_backward),
    "gelu": Activation(gelu, gelu_backward, backward_from="input"),
    "softmax": Activation(softmax, softmax_backward),
}

HIDDEN_ACTIVATIONS = ("identity", "logistic", "sigmoid", "tanh", "relu", "leaky_relu",
                      "elu", "softplus", "gelu")
