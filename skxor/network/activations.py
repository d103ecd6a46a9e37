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

from .constants import ScalarTable, numpy_dtype
from .primitives import primitives


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
    return float(np.log(np.finfo(numpy_dtype(dtype)).tiny) / 3)


_CONSTANTS = ScalarTable("exp_floor logistic_bound one",
                         lambda dtype: (_exp_floor(dtype), -_exp_floor(dtype), 1))
"""Per dtype: the ``exp`` floor, its negative (where the logistic clips), and one."""


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
    constants, ops = _CONSTANTS.row(z.dtype), primitives(z)
    ops.maximum(z, constants.exp_floor, out=z)
    ops.minimum(z, constants.logistic_bound, out=z)
    ops.negative(z, out=z)
    ops.exp(z, out=z)
    ops.add(z, constants.one, out=z)
    return ops.reciprocal(z, out=z)


def logistic_backward(a, grad):
    """Multiply by the sigmoid's derivative ``a * (1 - a)``."""
    grad *= a
    grad *= 1 - a
    return grad


def tanh(z):
    """Hyperbolic tangent (``tanh`` is stable for every input)."""
    return primitives(z).tanh(z, out=z)


def tanh_backward(a, grad):
    """Multiply by the derivative of tanh, ``1 - a**2``."""
    grad *= 1 - a * a
    return grad


def relu(z):
    """Rectified linear unit ``max(z, 0)``."""
    return primitives(z).keep_positive(z)


def relu_backward(a, grad):
    """Zero the gradient where the unit was inactive (``a == 0``)."""
    return primitives(a).keep_where_positive(grad, a)


def softmax(z):
    """Row-wise softmax, shifted so that ``exp`` can neither overflow nor underflow.

    Notes
    -----
    A row's softmax is unchanged by subtracting any constant from it, so
    each row is shifted (by its maximum, or by the overall maximum where that
    serves every row) and floored at the ``exp`` floor.
    """
    ops = primitives(z)
    ops.shift_for_exp(z, _CONSTANTS.row(z.dtype).exp_floor)
    ops.exp(z, out=z)
    z /= ops.row_sums(z)[:, None]
    return z


def softmax_backward(a, grad):
    """Jacobian-vector product of the softmax.

    Notes
    -----
    ``da_k / dz_j = a_k (delta_kj - a_j)``, so the gradient with respect to
    ``z`` is ``a * (grad - sum_k grad_k a_k)``, row by row.
    """
    grad -= primitives(a).row_dots(grad, a)[:, None]
    grad *= a
    return grad


def exp(z):
    """Exponential, the output of a Poisson regression, kept within the dtype's range.

    ``z`` is clipped to ``[_exp_floor, log(max) / 2]`` (about [-236, 354] in
    float64, [-29, 44] in float32): outputs neither underflow nor overflow,
    and the deviance's sums of them stay finite, so a network that gets
    there has diverged visibly, in its loss, rather than into infinities.
    Inside the range it is MLPRegressor's ``exp``, to the bit.
    """
    ops = primitives(z)
    bounds = _EXP_RANGE.row(z.dtype)
    ops.clip(z, bounds.low, bounds.high, out=z)
    return ops.exp(z, out=z)


_EXP_RANGE = ScalarTable("low high", lambda dtype: (_exp_floor(dtype),
                                                    float(np.log(np.finfo(dtype).max)) / 2))


def exp_backward(a, grad):
    """Multiply by the derivative of ``exp``, its output ``a``."""
    grad *= a
    return grad


LEAKY_RELU_SLOPE = 0.01
"""Slope of ``leaky_relu`` for negative inputs."""


def leaky_relu(z):
    """Leaky ReLU: ``z`` where positive, ``0.01 * z`` elsewhere."""
    return primitives(z).multiply_where(z, LEAKY_RELU_SLOPE, z < 0)


def leaky_relu_backward(a, grad):
    """Multiply by 0.01 where the output is negative (the input was)."""
    return primitives(a).multiply_where(grad, LEAKY_RELU_SLOPE, a < 0)


def _clipped_negative_part(z):
    """``min(z, 0)`` floored at ``_exp_floor``: a safe argument for ``exp``."""
    ops = primitives(z)
    return ops.maximum(ops.minimum(z, 0.0), _exp_floor(z.dtype))


def elu(z):
    """Exponential linear unit: ``z`` where positive, ``exp(z) - 1`` elsewhere."""
    ops = primitives(z)
    negative_part = ops.expm1(_clipped_negative_part(z))
    ops.keep_positive(z)
    z += negative_part
    return z


def elu_backward(a, grad):
    """Multiply by the derivative: 1 where positive, ``exp(z) = a + 1`` elsewhere."""
    return primitives(a).multiply_where(grad, a + 1, a < 0)


def softplus(z):
    """Softplus ``log(1 + exp(z))``, as ``max(z, 0) + log1p(exp(-|z|))``.

    The second form never overflows, and ``log1p`` keeps the tiny outputs of
    very negative ``z`` accurate.
    """
    ops = primitives(z)
    tail = _clipped_negative_part(-ops.abs(z))
    ops.exp(tail, out=tail)
    ops.log1p(tail, out=tail)
    ops.keep_positive(z)
    z += tail
    return z


def softplus_backward(a, grad):
    """Multiply by the derivative ``sigmoid(z) = 1 - exp(-a)``, as ``-expm1(-a)``."""
    ops = primitives(a)
    derivative = ops.expm1(ops.maximum(-a, _exp_floor(a.dtype)))
    ops.negative(derivative, out=derivative)
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
    return primitives(z).tanh(gate, out=gate)


def _cube_bound(dtype):
    """Where GELU clips its input: a tenth of the cube root of ``dtype``'s largest."""
    return float(np.finfo(numpy_dtype(dtype)).max ** (1 / 3) / 10)


def gelu(z):
    """Gaussian error linear unit in its tanh form (Hendrycks & Gimpel, 2016).

    ``0.5 z (1 + tanh(sqrt(2 / pi) (z + 0.044715 z**3)))``. The cube overflows
    only beyond 1e102 in float64 (1e12 in float32), so ``z`` is clipped there:
    GELU is the identity (or zero) long before.
    """
    bound = _cube_bound(z.dtype)
    primitives(z).clip(z, -bound, bound, out=z)
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
    bound = _cube_bound(z.dtype)
    z = primitives(z).clip(z, -bound, bound)
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


class _OneNode:
    """An ONNX form that is one operator: ``op_type`` applied to the pre-activation.

    A class rather than a closure, so that the registry's entries pickle (a
    fitted network travels to Dask workers and into saved models).
    """

    def __init__(self, op_type, **attributes):
        self.op_type, self.attributes = op_type, attributes

    def __call__(self, graph, z):
        return graph.node(self.op_type, [z], **self.attributes)


def _leaky_relu_onnx(graph, z):
    """``max(z, slope z)``, as the slope is below 1."""
    return graph.node("Max", [z, graph.node("Mul", [z, graph.constant(LEAKY_RELU_SLOPE)])])


def _elu_onnx(graph, z):
    """``z`` where positive, ``exp(min(z, 0)) - 1`` elsewhere."""
    negative = graph.node("Sub", [graph.node("Exp", [graph.node("Min", [
        z, graph.constant(0.0)])]), graph.constant(1.0)])
    return graph.node("Where", [graph.node("Greater", [z, graph.constant(0.0)]), z, negative])


def _softplus_onnx(graph, z):
    """``max(z, 0) + log(1 + exp(-|z|))``, which never overflows."""
    tail = graph.node("Log", [graph.node("Add", [graph.constant(1.0), graph.node(
        "Exp", [graph.node("Neg", [graph.node("Abs", [z])])])])])
    return graph.node("Add", [graph.node("Relu", [z]), tail])


def _gelu_onnx(graph, z):
    """``0.5 z (1 + tanh(c (z + k z**3)))``, the tanh form skxor trains with."""
    cube = graph.node("Mul", [graph.node("Mul", [z, z]), z])
    inner = graph.node("Add", [z, graph.node("Mul", [cube, graph.constant(GELU_CUBIC)])])
    gate = graph.node("Tanh", [graph.node("Mul", [inner, graph.constant(GELU_SCALE)])])
    half = graph.node("Mul", [graph.node("Add", [gate, graph.constant(1.0)]),
                              graph.constant(0.5)])
    return graph.node("Mul", [z, half])


def mish(z):
    """Mish (Misra, 2019): ``z * tanh(softplus(z))``, a smooth ReLU that dips below zero.

    ``softplus`` never overflows (see there), and ``tanh`` is stable, so
    neither does Mish: it is ``z`` for large ``z`` and tends to 0 below.
    """
    ops = primitives(z)
    gate = softplus(ops.copy(z))
    ops.tanh(gate, out=gate)
    z *= gate
    return z


def mish_backward(z, grad):
    """Multiply by Mish's derivative, which needs the pre-activation ``z``.

    Notes
    -----
    With ``t = tanh(softplus(z))`` and ``softplus' = sigmoid``, the
    derivative is ``t + z (1 - t**2) sigmoid(z)``.
    """
    ops = primitives(z)
    gate = softplus(ops.copy(z))
    ops.tanh(gate, out=gate)
    slope = logistic(ops.copy(z))
    slope *= z
    slope *= 1 - gate * gate
    slope += gate
    grad *= slope
    return grad


def _mish_onnx(graph, z):
    """``z * tanh(softplus(z))``, with the softplus that never overflows."""
    return graph.node("Mul", [z, graph.node("Tanh", [_softplus_onnx(graph, z)])])


@dataclass(frozen=True)
class Activation:
    """An activation function: its in-place rules, and where and how it may serve.

    ``backward_from`` names what ``backward`` takes as its first argument:
    the layer's ``"output"`` (most activations) or its ``"input"`` (GELU).
    ``hidden`` says whether the ``activation`` parameter offers it for
    hidden layers; ``output_range``, the closed range of values its outputs
    can approach, whether the regressor's ``out_activation`` offers it (None:
    not as a regression output). ``onnx(graph, z)`` writes it in ONNX
    operators, through the builder ``skxor.onnx`` passes (``graph.node``,
    ``graph.constant``), and returns the name of its result.
    """

    forward: Callable[[np.ndarray], np.ndarray]
    backward: Callable[[np.ndarray, np.ndarray], np.ndarray]
    onnx: Callable
    backward_from: str = "output"
    hidden: bool = True
    output_range: tuple | None = None


ACTIVATIONS = {
    "identity": Activation(identity, identity_backward, _OneNode("Identity"),
                           output_range=(-np.inf, np.inf)),
    "logistic": Activation(logistic, logistic_backward, _OneNode("Sigmoid"),
                           output_range=(0.0, 1.0)),
    "tanh": Activation(tanh, tanh_backward, _OneNode("Tanh"), output_range=(-1.0, 1.0)),
    "relu": Activation(relu, relu_backward, _OneNode("Relu")),
    "leaky_relu": Activation(leaky_relu, leaky_relu_backward, _leaky_relu_onnx),
    "elu": Activation(elu, elu_backward, _elu_onnx),
    "softplus": Activation(softplus, softplus_backward, _softplus_onnx,
                           output_range=(0.0, np.inf)),
    "gelu": Activation(gelu, gelu_backward, _gelu_onnx, backward_from="input"),
    "mish": Activation(mish, mish_backward, _mish_onnx, backward_from="input"),
    "softmax": Activation(softmax, softmax_backward, _OneNode("Softmax", axis=1),
                          hidden=False),
    "exp": Activation(exp, exp_backward, _OneNode("Exp"), hidden=False,
                      output_range=(0.0, np.inf)),
}
"""Every activation by name: the one list of them."""

ALIASES = {"sigmoid": "logistic"}
"""Other names the ``activation`` parameter takes for an entry (the seeds' name)."""


def hidden_activation_names():
    """The names the ``activation`` parameter takes, each alias beside its activation."""
    return tuple(name for key, activation in ACTIVATIONS.items() if activation.hidden
                 for name in (key, *(alias for alias, to in ALIASES.items() if to == key)))


def output_activation_names():
    """The activations a regression output may have: those with an ``output_range``."""
    return tuple(name for name, activation in ACTIVATIONS.items()
                 if activation.output_range is not None)


def per_hidden_layer(value, n_hidden):
    """``value`` for every hidden layer, or the list or tuple of one per layer, as a tuple.

    The one expansion of the parameters that take "one, or one per hidden
    layer" (``activation``, ``dropout``); their checks make the lengths agree.
    """
    return tuple(value) if isinstance(value, (list, tuple)) else (value,) * n_hidden


def hidden_activations(activation, n_hidden):
    """The ``ACTIVATIONS`` key of each hidden layer, from the ``activation`` parameter."""
    return tuple(ALIASES.get(name, name) for name in per_hidden_layer(activation, n_hidden))
