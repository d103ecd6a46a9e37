"""The regressor's targets: values, one column per output (or per quantile level).

``RegressionValues`` is what ``MLPBackpropRegressor`` hands the training
machinery: it checks y's shape and range for the output activation and the
loss, repeats y once per quantile level, weighs samples, scores outputs
(R², or D² pinball for quantiles) and gives the fitted ``quantiles_``. It
holds no estimator, so a dask fit sends it to the workers to encode their
chunks.
"""

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from sklearn.metrics import r2_score
from sklearn.utils.validation import column_or_1d

from ..data.checks import validated_sample_weight
from ..network.activations import ACTIVATIONS
from ..network.losses import Pinball
from ..network.primitives import primitives
from .quantiles import one_column_per_level, pinball_score


@dataclass
class RegressionValues:
    """Regression targets as the network trains on them, with their checks and score.

    Parameters
    ----------
    loss_name : str
        The ``loss`` parameter, for messages.
    choice : LossChoice
        Its entry in ``REGRESSION_LOSSES``.
    loss : loss object
        What the network trains on, made by ``choice``.
    out_activation : str or None
        The ``out_activation`` parameter.
    continued_outputs : int or None
        ``n_outputs_`` of the fitted model a warm or partial fit continues.
    owner : str
        The estimator's class name, for messages.
    standardize : bool
        Train on each output standardised to mean 0 and standard deviation 1
        (with the identity output only; other outputs keep y as it is).
    clip : bool
        Predictions stay within the range of y seen in fit.
    scaling : TargetScaling or None
        The fitted model's scaling, which a warm or partial fit keeps.

    Attributes
    ----------
    n_outputs : int
        The network's outputs, once ``encode`` has seen y.
    """

    loss_name: str
    choice: object
    loss: object
    out_activation: str | None = None
    continued_outputs: int | None = None
    owner: str = "MLPBackpropRegressor"
    standardize: bool = False
    clip: bool = False
    scaling: object = None
    n_outputs: int | None = None

    y_numeric: ClassVar[bool] = True
    """Whether y must be numeric, as ``validate_data`` checks."""
    stratified_split: ClassVar[bool] = False
    """Early stopping's split is not stratified, as in MLPRegressor."""

    @property
    def levels(self):
        """The quantile levels of the outputs for the pinball loss, else None."""
        return self.loss.levels if isinstance(self.loss, Pinball) else None

    @property
    def output_activation(self):
        """``out_activation``, or the loss's own: the identity, or the one it fixes."""
        fixed = self.choice.output_activation
        if fixed is None:
            return self.out_activation or "identity"
        if self.out_activation not in (None, fixed):
            raise ValueError(
                f"loss={self.loss_name!r} fixes out_activation={fixed!r}: "
                f"{self.choice.why_fixed}. Got out_activation={self.out_activation!r}; "
                "leave it None, or choose another loss.")
        return fixed

    def encode(self, y, dtype):
        """``(y, target)``: y, and y as a 2-D target in ``dtype``; sets ``n_outputs``."""
        target = self._checked_target(y, dtype)
        if self.continued_outputs is not None and target.shape[1] != self.continued_outputs:
            levels = self.levels
            per_level = (f" (one per level of quantile={list(levels)})"
                         if levels is not None and len(levels) > 1 else "")
            raise ValueError(f"y has {target.shape[1]} outputs{per_level}, but this "
                             f"{self.owner} was fitted with {self.continued_outputs}.")
        self.n_outputs = target.shape[1]
        if self.scaling is None and (self.clip or self.standardize):
            self.scaling = TargetScaling.of(
                target, standardize=self.standardize and self.output_activation == "identity",
                clip=self.clip)
        return y, self._scaled(target)

    def encode_more(self, y, dtype, name="y_val"):
        """``(y, target)`` of more values (a validation set, a chunk), as the fit's."""
        target = self._checked_target(y, dtype, name=name)
        if target.shape[1] != self.n_outputs:
            raise ValueError(f"y_val has {target.shape[1]} outputs, but y has "
                             f"{self.n_outputs}.")
        return y, self._scaled(target)

    def weigh(self, sample_weight, X, labels, name="sample_weight", whole_data=True):
        """Per-sample weights, or None (see ``validated_sample_weight``)."""
        return validated_sample_weight(sample_weight, X, name, whole_data)

    def score(self, output, target, sample_weight):
        """R² of the outputs, averaged over outputs, or D² pinball for quantile levels.

        Outputs that are not finite score NaN, as in MLPRegressor.
        """
        levels = self.levels
        if levels is not None:
            return pinball_score(target, output, levels, sample_weight)
        if not np.isfinite(output).all():
            return np.nan
        return float(r2_score(target, output, sample_weight=sample_weight))

    def fitted_attributes(self, placement):
        """``quantiles_``: the levels of the outputs, or None for another loss; and the
        scaling that brings the network's outputs back to y's units."""
        levels = self.levels
        return {"quantiles_": None if levels is None else np.asarray(levels),
                "_target_scaling": self.scaling}

    def _scaled(self, target):
        """``target`` as the network trains on it: standardised where the scaling says."""
        if self.scaling is None:
            return target
        return ((target - self.scaling.shift) / self.scaling.scale).astype(target.dtype)

    def _checked_target(self, y, dtype, name="y"):
        """``y`` as an (n_samples, n_outputs) array in ``dtype``, as MLPRegressor reads it."""
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        target = y.reshape(-1, 1) if y.ndim == 1 else y
        if self.choice.why_nonnegative and (target < 0).any():
            raise ValueError(f"loss={self.loss_name!r} needs non-negative {name}: "
                             f"{self.choice.why_nonnegative}.")
        self._check_output_range(target, name)
        levels = self.levels
        if levels is not None:
            target = one_column_per_level(target, levels, name)
        return target.astype(dtype)

    def _check_output_range(self, target, name):
        """y must lie where a bounded output activation can reach, or the fit cannot fit it."""
        activation = self.output_activation
        low, high = ACTIVATIONS[activation].output_range
        if target.size and (target.min() < low or target.max() > high):
            raise ValueError(
                f"out_activation={activation!r} predicts values in ({low:g}, {high:g}), "
                f"but {name} holds values from {target.min():g} to {target.max():g}. Scale "
                f"{name} into [{low:g}, {high:g}], or choose another out_activation.")


@dataclass(frozen=True)
class TargetScaling:
    """How the network's outputs map back to y: ``output * scale + shift``, within y's range.

    ``shift`` and ``scale`` are y's mean and standard deviation per output (0
    and 1 where y was not standardised); ``low`` and ``high`` its minimum and
    maximum in fit, or infinite where predictions are not clipped.
    """

    shift: np.ndarray
    scale: np.ndarray
    low: np.ndarray
    high: np.ndarray

    @classmethod
    def of(cls, target, standardize, clip):
        """The scaling of training targets ``target`` (n_samples, n_outputs)."""
        values = np.asarray(target, dtype=np.float64)
        shift = values.mean(axis=0) if standardize else np.zeros(values.shape[1])
        spread = values.std(axis=0) if standardize else np.ones(values.shape[1])
        scale = np.where(spread > 0, spread, 1.0)
        low, high = ((values.min(axis=0), values.max(axis=0)) if clip
                     else (np.full(values.shape[1], -np.inf), np.full(values.shape[1], np.inf)))
        return cls(shift, scale, low, high)

    def to_target_units(self, output):
        """The network's ``output`` as predictions of y, in its namespace and dtype."""
        ops = primitives(output)

        def row(values):
            return ops.assign_from_host(ops.empty(values.shape, output), values)

        predicted = ops.multiply(output, row(self.scale))
        predicted += row(self.shift)
        ops.maximum(predicted, row(self.low), out=predicted)
        return ops.minimum(predicted, row(self.high), out=predicted)
