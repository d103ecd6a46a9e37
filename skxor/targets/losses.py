"""The values of the estimators' ``loss`` parameter: each name to the loss it trains.

``CLASSIFICATION_LOSSES`` and ``REGRESSION_LOSSES`` are the one list of the
loss names each estimator takes. An entry (``LossChoice``) makes the core's
loss object for a fit from the estimator's parameters, declares the
parameters it reads (``huber_threshold``, ``quantile``), fixes the output
activation where the loss needs one, and says in a sentence what the loss
is, for the docstring. Adding a loss is its class in
``skxor.network.losses`` and its entry here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from ..network.losses import (
    AbsoluteError,
    Huber,
    LogLoss,
    Pinball,
    PoissonDeviance,
    RegressionSquaredError,
    SquaredError,
)
from ..utils.parameters import Parameter, increasing_levels, is_bool, is_real, real
from .quantiles import quantile_levels


@dataclass(frozen=True)
class LossChoice:
    """One value of ``loss``: how to make the loss, and what it reads and fixes.

    ``make(config)`` returns the core's loss object for a fit's
    ``FitConfig``; ``description`` is a sentence for the docstring of
    ``loss``; ``parameters`` are the declarations of the parameters it
    reads; ``output_activation`` is the one activation the loss allows on
    the output layer (None: any), and ``why_fixed`` why; ``why_nonnegative``,
    where set, says why y must not be negative.
    """

    make: Callable
    description: str
    parameters: tuple = ()
    output_activation: str | None = None
    why_fixed: str = ""
    why_nonnegative: str = ""


def _plain(loss_class):
    return lambda config: loss_class()


LABEL_SMOOTHING = Parameter(
    "label_smoothing", 0.0, real(0.0, 1.0, high_open=True), "float",
    'For ``loss="log_loss"``: each target moves this share of the way toward equal '
    "probabilities of every class, ``(1 - s) y + s / n_classes`` (each label of a "
    "multilabel target toward 1/2), so training never pushes the network toward certainty. "
    "0 is MLPClassifier's loss.")

CLASSIFICATION_LOSSES = {
    "log_loss": LossChoice(lambda config: LogLoss(config.label_smoothing),
                           "the cross-entropy that MLPClassifier minimises",
                           parameters=(LABEL_SMOOTHING,)),
    "squared_error": LossChoice(
        _plain(SquaredError),
        "the seeds' ``1/2 mean((p - y)**2)`` of the output probabilities"),
}
"""The classifier's ``loss`` values, the default first."""


def _is_level(value):
    return is_real(value) and not is_bool(value) and 0 < value < 1


HUBER_THRESHOLD = Parameter(
    "huber_threshold", 1.0, real(0.0, low_open=True), "float",
    'For ``loss="huber"``: the residual size, in y\'s units, beyond which the loss grows '
    "linearly instead of quadratically. Ignored otherwise.")

QUANTILE = Parameter(
    "quantile", 0.5, increasing_levels(_is_level, "a float in the range (0.0, 1.0)"),
    "float or list of float",
    'For ``loss="quantile"``: the quantile level in (0, 1) the network predicts (of every '
    "column of y), or several levels in increasing order for a 1-D y, such as "
    "``[0.05, 0.5, 0.95]``: the network then has one output per level and ``predict`` "
    "returns one column per level. Each row of the prediction is sorted, so the quantiles "
    "never cross. Ignored otherwise.")

REGRESSION_LOSSES = {
    "squared_error": LossChoice(
        _plain(RegressionSquaredError),
        "MLPRegressor's half squared error"),
    "poisson": LossChoice(
        _plain(PoissonDeviance),
        "MLPRegressor's half Poisson deviance, with an exponential output; y must be "
        "non-negative", output_activation="exp",
        why_fixed="its gradient p - y is that of the Poisson deviance through an "
                  "exponential output",
        why_nonnegative="the Poisson deviance is undefined for negative targets"),
    "absolute_error": LossChoice(
        _plain(AbsoluteError),
        "``|p - y|``, trained on its subgradient ``sign(p - y)``: it fits the conditional "
        "median and is robust to outliers in y"),
    "huber": LossChoice(
        lambda config: Huber(config.huber_threshold),
        "squared within ``huber_threshold`` of the fit, absolute beyond: robust to outliers "
        "in y", parameters=(HUBER_THRESHOLD,)),
    "quantile": LossChoice(
        lambda config: Pinball(quantile_levels(config.quantile)),
        "the pinball loss of each level in ``quantile``, trained on its subgradient",
        parameters=(QUANTILE,)),
}
"""The regressor's ``loss`` values, the default first."""


def loss_parameters(registry):
    """The parameters the losses of ``registry`` read, each once, in order."""
    declared = [parameter for choice in registry.values() for parameter in choice.parameters]
    return tuple({parameter.name: parameter for parameter in declared}.values())
