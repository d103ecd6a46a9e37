"""Loss functions of the network's output.

Each loss has ``value(proba, target, weights)`` and
``output_delta(proba, target, weights, output_activation, out)``. ``weights``
is either ``None`` (every sample counts the same) or an array of shape
``(n_samples,)`` that sums to one; the loss is the weighted average over
samples of a per-sample loss. ``output_delta`` writes the gradient of that
average with respect to the output layer's pre-activation into ``out``.

Which loss an estimator's ``loss`` parameter names is the estimators'
business: ``skxor.targets.losses`` holds those registries.
"""

import numpy as np

from .activations import ACTIVATIONS
from .constants import ScalarTable, numpy_dtype
from .primitives import primitives


def probability_bounds(dtype):
    """``(eps, 1 - eps)`` of ``dtype``, the range of every probability skxor reports.

    The log loss trains on it, ``predict_proba`` clips to it, and so does the
    ONNX graph.
    """
    eps = float(np.finfo(numpy_dtype(dtype)).eps)
    return eps, 1 - eps


_CLIP = ScalarTable("eps below_one one", lambda dtype: (*probability_bounds(dtype), 1))
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
    return ops.own_dtype_scalar(total_weight), weights


def _weighted_mean(per_output, weights, ops):
    """Sum over outputs, then average over samples, uniformly or with normalised weights."""
    if weights is None:
        return ops.float64_scalar(ops.total(per_output)) / per_output.shape[0]
    return ops.float64_scalar(ops.pairwise_row_sums(per_output) @ weights)


def _scale_rows(out, weights):
    """Divide by the sample count, or multiply each row by its normalised weight."""
    if weights is None:
        out /= out.shape[0]
    else:
        out *= weights[:, None]
    return out


class _Loss:
    """What every loss shares: the value it reports is, by default, the one it differentiates."""

    def reported(self, value, n_outputs):
        """The loss reported for ``loss_`` and ``loss_curve_``, from ``value``'s objective."""
        return value


class LogLoss(_Loss):
    """Cross-entropy of indicator targets (each 0 or 1) under the network's probabilities.

    With a logistic output each output unit is an independent Bernoulli
    (binary and multilabel targets) and the per-sample loss is
    ``-sum_k [y_k log p_k + (1 - y_k) log(1 - p_k)]``; with a softmax output it
    is ``-sum_k y_k log p_k``. Probabilities are clipped to
    ``[eps, 1 - eps]`` (``eps`` of their dtype) before the logarithm, so a
    saturated unit gives a large finite loss rather than ``inf``.

    Parameters
    ----------
    smoothing : float, default=0.0
        Label smoothing: each target moves ``smoothing`` of the way toward
        the uniform one, ``(1 - s) y + s / K`` over ``K`` classes (``K = 2``
        for each logistic unit), so the network is never pushed toward
        certainty: ``p - y`` stays the gradient, with the smoothed ``y``.
    """

    def __init__(self, smoothing=0.0):
        self.smoothing = smoothing

    def value(self, proba, target, weights, output_activation):
        """Weighted mean cross-entropy."""
        if self.smoothing:
            return self._smoothed_value(proba, target, weights, output_activation)
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
        if self.smoothing:
            target = self._smoothed(target, output_activation)
        primitives(proba).subtract(proba, target, out=out)
        return _scale_rows(out, weights)

    def _smoothed(self, target, output_activation):
        """``(1 - s) y + s / K``: ``K`` classes under a softmax, 2 for each logistic unit."""
        classes = target.shape[1] if output_activation == "softmax" else 2
        smoothed = target * (1 - self.smoothing)
        smoothed += self.smoothing / classes
        return smoothed

    def _smoothed_value(self, proba, target, weights, output_activation):
        """The cross-entropy against smoothed targets, which are no longer 0 or 1."""
        eps, below_one, one = _CLIP.row(proba.dtype)
        ops = primitives(proba)
        target = self._smoothed(target, output_activation)
        clipped = ops.minimum(ops.maximum(proba, eps), below_one)
        per_output = ops.multiply(target, ops.log(clipped))
        if output_activation != "softmax":
            per_output += ops.multiply(ops.subtract(one, target),
                                       ops.log(ops.subtract(one, clipped)))
        return -_weighted_mean(per_output, weights, ops)


class SquaredError(_Loss):
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


class _MeanOverOutputs(_Loss):
    """A regression loss reported, as MLPRegressor reports its squared error, per output.

    The objective sums over outputs (each output's gradient is its own
    residual's); the reported loss is its mean over outputs. Each subclass
    writes the loss's derivative with respect to the output ``p`` in
    ``output_gradient``; ``output_delta`` weights it and takes it through
    the output activation (identity by default, or the regressor's
    ``out_activation``).
    """

    def reported(self, value, n_outputs):
        return value / n_outputs

    def output_delta(self, proba, target, weights, output_activation, out):
        """The weighted gradient, through the output activation's backward rule."""
        self.output_gradient(proba, target, out)
        _scale_rows(out, weights)
        return ACTIVATIONS[output_activation].backward(proba, out)


class RegressionSquaredError(_MeanOverOutputs):
    """MLPRegressor's squared error, with an identity output by default.

    The objective is half the squared residual summed over outputs and
    averaged over samples; its gradient is ``p - y`` per output. What is
    reported (``loss_``, ``loss_curve_``, and what L-BFGS is handed with that
    gradient) is MLPRegressor's value, the mean over outputs as well,
    ``1/2 mean((p - y)**2)``: for ``k`` outputs, ``1/k`` of the objective. The
    pair is MLPRegressor's, so fits agree with it step for step;
    ``check_gradients`` checks the objective.
    """

    def value(self, proba, target, weights, output_activation):
        """Half the squared residual, summed over outputs, weighted mean over samples."""
        residual = proba - target
        residual *= residual
        return 0.5 * _weighted_mean(residual, weights, primitives(residual))

    def output_gradient(self, proba, target, out):
        """``p - y``."""
        primitives(proba).subtract(proba, target, out=out)


class AbsoluteError(_MeanOverOutputs):
    """The absolute error ``|p - y|``, identity output by default (not in MLPRegressor).

    Its gradient is ``sign(p - y)``, a subgradient: 0 where a residual is
    exactly 0, where the loss has a kink. It estimates the conditional
    median, so outliers in y pull the fit far less than the squared error.
    """

    def value(self, proba, target, weights, output_activation):
        """The absolute residual, summed over outputs, weighted mean over samples."""
        ops = primitives(proba)
        residual = ops.abs(ops.subtract(proba, target))
        return _weighted_mean(residual, weights, ops)

    def output_gradient(self, proba, target, out):
        """``sign(p - y)``."""
        ops = primitives(proba)
        ops.sign(ops.subtract(proba, target, out=out), out=out)


class Huber(_MeanOverOutputs):
    """Huber's loss with threshold ``delta``, identity output by default (not in MLPRegressor).

    Per residual ``r``: ``r**2 / 2`` where ``|r| <= delta``, else
    ``delta * (|r| - delta / 2)``: the squared error near the fit, the absolute
    error (scaled by ``delta``) beyond it, so an outlier's pull is bounded.
    The gradient is ``r`` clipped to ``[-delta, delta]``.
    """

    def __init__(self, delta=1.0):
        self.delta = delta

    def value(self, proba, target, weights, output_activation):
        """Huber's loss of each residual, summed over outputs, weighted mean over samples."""
        ops = primitives(proba)
        size = ops.abs(ops.subtract(proba, target))
        inner = ops.minimum(size, self.delta)
        # r**2 / 2 inside; beyond, the inner part at |r| = delta plus delta * (|r| - delta)
        per_residual = inner * inner
        per_residual *= 0.5
        size -= inner
        size *= self.delta
        per_residual += size
        return _weighted_mean(per_residual, weights, ops)

    def output_gradient(self, proba, target, out):
        """``p - y`` clipped to ``[-delta, delta]``."""
        ops = primitives(proba)
        ops.subtract(proba, target, out=out)
        ops.clip(out, -self.delta, self.delta, out=out)


class Pinball(_MeanOverOutputs):
    """The pinball loss of quantile regression, one quantile level per output.

    For level ``q`` and residual ``r = y - p`` the loss is ``q r`` where
    ``r >= 0`` and ``(q - 1) r`` where ``r < 0``; it is smallest, in
    expectation, at the ``q``-quantile of y. Written in ``d = p - y`` it is
    ``|d| / 2 + (1/2 - q) d``, and training uses its subgradient
    ``sign(d) / 2 + 1/2 - q`` (``1/2 - q`` at the kink, which lies between
    the slopes ``-q`` and ``1 - q`` on either side). ``q = 1/2`` is half the
    absolute error.

    Parameters
    ----------
    levels : tuple of float
        One quantile level for every output, or one per output, each in (0, 1).
    """

    def __init__(self, levels=(0.5,)):
        self.levels = levels

    def _slopes(self, like):
        """``1/2 - q``: a scalar, or a row of one per output in ``like``'s namespace."""
        if len(self.levels) == 1:
            return 0.5 - self.levels[0]
        ops = primitives(like)
        slopes = ops.empty((len(self.levels),), like)
        return ops.assign_from_host(slopes, 0.5 - np.asarray(self.levels, dtype=np.float64))

    def value(self, proba, target, weights, output_activation):
        """The pinball loss of each residual, summed over outputs, weighted mean over samples."""
        ops = primitives(proba)
        difference = ops.subtract(proba, target)
        per_residual = ops.abs(difference)
        per_residual *= 0.5
        difference *= self._slopes(proba)
        per_residual += difference
        return _weighted_mean(per_residual, weights, ops)

    def output_gradient(self, proba, target, out):
        """``sign(p - y) / 2 + 1/2 - q``."""
        ops = primitives(proba)
        ops.sign(ops.subtract(proba, target, out=out), out=out)
        out *= 0.5
        out += self._slopes(proba)


class PoissonDeviance(_Loss):
    """Half the Poisson deviance, MLPRegressor's ``loss="poisson"``, with an exponential output.

    Per sample and output ``y log(y / p) - y + p`` (0 log 0 = 0), summed over
    outputs and averaged over samples. With ``p = exp(z)`` its gradient with
    respect to ``z`` is ``p - y``, the fused form of the canonical link.
    """

    def value(self, proba, target, weights, output_activation):
        """Weighted mean over samples of the half deviance summed over outputs."""
        ops = primitives(proba)
        tiny = _TINY.row(proba.dtype).tiny
        # y log(max(y, tiny) / p) is y log(y / p) for y > 0, and exactly 0 for y = 0
        deviance = ops.log(ops.divide(ops.maximum(target, tiny), proba))
        deviance *= target
        deviance -= target
        deviance += proba
        return _weighted_mean(deviance, weights, ops)

    def output_delta(self, proba, target, weights, output_activation, out):
        """``p - y`` (exponential output and Poisson deviance are a canonical pair)."""
        primitives(proba).subtract(proba, target, out=out)
        return _scale_rows(out, weights)


_TINY = ScalarTable("tiny", lambda dtype: (np.finfo(dtype).tiny,))
