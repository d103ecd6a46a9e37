"""Loss functions of the network's output, keyed by public name.

Each loss has ``value(proba, target, weights)`` and
``output_delta(proba, target, weights, output_activation, out)``. ``weights``
is either ``None`` (every sample counts the same) or an array of shape
``(n_samples,)`` that sums to one; the loss is the weighted average over
samples of a per-sample loss. ``output_delta`` writes the gradient of that
average with respect to the output layer's pre-activation into ``out``.
"""

import numpy as np

from ._activations import ACTIVATIONS
from ._constants import ScalarTable
from ._primitives import primitives

_CLIP = ScalarTable("eps below_one one",
                    lambda dtype: (np.finfo(dtype).eps, 1 - np.finfo(dtype).eps, 1))
"""Per dtype: the bounds ``eps`` and ``1 - eps`` of clipped probabilities, and one."""


def normalized_weights(sample_weight):
    """``(total_weight, sample_weight / total_weight)``, or ``(None, None)`` without weights.

    For NumPy weights the total and the division are float64 whatever the
    weights' dtype: float32 weights near their dtype's limit (1e37 each)
    would otherwise sum to infinity and normalise to zeros, and training
    would silently stop. For other namespaces the total stays a 0-d array on
    the device, in the weights' dtype, so that a batch needs no transfer.
    The caller makes sure the total is positive.
    """
    if sample_weight is None:
        return None, None
    ops = primitives(sample_weight)
    total_weight = ops.weight_total(sample_weight)
    weights = ops.astype(sample_weight / total_weight, sample_weight.dtype)
    return ops.number(total_weight), weights


def _weighted_mean(per_output, weights, ops):
    """Sum over outputs, then average over samples, uniformly or with normalised weights."""
    if weights is None:
        return ops.scalar(ops.total(per_output)) / per_output.shape[0]
    return ops.scalar(ops.pairwise_row_sums(per_output) @ weights)


def _scale_rows(out, weights):
    """Divide by the sample count, or multiply each row by its normalised weight."""
    if weights is None:
        out /= out.shape[0]
    else:
        out *= weights[:, None]
    return out


class LogLoss:
    """Cross-entropy of indicator targets (each 0 or 1) under the network's probabilities.

    With a logistic output each output unit is an independent Bernoulli
    (binary and multilabel targets) and the per-sample loss is
    ``-sum_k [y_k log p_k + (1 - y_k) log(1 - p_k)]``; with a softmax output it
    is ``-sum_k y_k log p_k``. Probabilities are clipped to
    ``[eps, 1 - eps]`` (``eps`` of their dtype) before the logarithm, so a
    saturated unit gives a large finite loss rather than ``inf``.
    """

    def value(self, proba, target, weights, output_activation):
        """Weighted mean cross-entropy."""
        eps, below_one, one = _CLIP.row(proba.dtype)
        ops = primitives(proba)
        if output_activation == "softmax":
            # one 1 per target row: the row sums of p * y are the true classes' p, exactly
            likelihood = ops.row_sums(ops.multiply(proba, target))[:, None]
        else:
            # |p + (y - 1)| is exactly p where y = 1 and 1 - p where y = 0
            likelihood = ops.subtract(target, one)
            likelihood += proba
            ops.abs(likelihood, out=likelihood)
        ops.maximum(likelihood, eps, out=likelihood)
        ops.minimum(likelihood, below_one, out=likelihood)
        log_likelihood = ops.log(likelihood, out=likelihood)
        return -_weighted_mean(log_likelihood, weights, ops)

    def output_delta(self, proba, target, weights, output_activation, out):
        """Gradient with respect to the output pre-activation: ``p - y``.

        Notes
        -----
        The fused form ``p - y`` holds only for the canonical pairs: logistic
        output with Bernoulli cross-entropy, and softmax output with
        categorical cross-entropy. The classifier never builds another pair
        with this loss.
        """
        primitives(proba).subtract(proba, target, out=out)
        return _scale_rows(out, weights)


class SquaredError:
    """Half the mean squared error, ``1/2 mean((p - y)**2)``, as in the seeds.

    The mean runs over samples (weighted) and output units; the gradient goes
    through the output activation's own backward rule.
    """

    def value(self, proba, target, weights, output_activation):
        """Weighted half mean squared error."""
        residual = proba - target
        residual *= residual
        return 0.5 * _weighted_mean(residual, weights, primitives(residual)) / proba.shape[1]

    def output_delta(self, proba, target, weights, output_activation, out):
        """Chain rule: ``(p - y) / n_outputs`` through the output activation."""
        primitives(proba).subtract(proba, target, out=out)
        out /= proba.shape[1]
        _scale_rows(out, weights)
        return ACTIVATIONS[output_activation].backward(proba, out)


LOSSES = {"log_loss": LogLoss(), "squared_error": SquaredError()}
