"""Activation functions, each with its backward rule, keyed by public name.

Every ``forward`` overwrites its argument ``z`` (the pre-activation) with the
activation and returns it. Every ``backward`` takes the activation's *output*
``a`` and the gradient of the loss with respect to that output, and overwrites
the gradient with the gradient with respect to ``z`` (the chain rule through
the activation). Working in place keeps the training loop free of temporary
arrays the size of a layer wherever the formula allows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np


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
    bound = -_exp_floor(z.dtype)
    np.maximum(z, -bound, out=z)
    np.minimum(z, bound, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    z += 1
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
    """Rectified linear unit ``max(z, 0)``."""
    return np.maximum(z, 0, out=z)


def relu_backward(a, grad):
    """Zero the gradient where the unit was inactive (``a == 0``).

    Multiplying by the mask is three times faster than assigning through it.
    """
    return np.multiply(grad, a > 0, out=grad)


def softmax(z):
    """Row-wise softmax, shifted by each row's maximum so ``exp`` cannot overflow."""
    z -= z.max(axis=1, keepdims=True)
    np.maximum(z, _exp_floor(z.dtype), out=z)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
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


@dataclass(frozen=True)
class Activation:
    """An activation function with its in-place forward and backward rules."""

    forward: Callable[[np.ndarray], np.ndarray]
    backward: Callable[[np.ndarray, np.ndarray], np.ndarray]


ACTIVATIONS = {
    "identity": Activation(identity, identity_backward),
    "logistic": Activation(logistic, logistic_backward),
    "sigmoid": Activation(logistic, logistic_backward),
    "tanh": Activation(tanh, tanh_backward),
    "relu": Activation(relu, relu_backward),
    "softmax": Activation(softmax, softmax_backward),
}

HIDDEN_ACTIVATIONS = ("identity", "logistic", "sigmoid", "tanh", "relu")
