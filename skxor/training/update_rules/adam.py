"""Adam, MLPClassifier's default ``solver``."""

import numpy as np

from ...network.primitives import primitives
from ...utils.parameters import Parameter, real
from .base import UpdateRule


class Adam(UpdateRule):
    """Adam (Kingma & Ba, 2014) with bias-corrected step size.

    Notes
    -----
    ``m <- b1 m + (1 - b1) g``, ``v <- b2 v + (1 - b2) g**2``, and the step is
    ``-lr_t * m / (sqrt(v) + epsilon)`` with
    ``lr_t = lr * sqrt(1 - b2**t) / (1 - b1**t)`` after ``t`` updates.
    """

    solver = "adam"
    """The ``solver`` whose update rule this is."""

    parameters = (
        Parameter("beta_1", 0.9, real(0.0, 1.0, high_open=True), "float",
                  "Decay rate of Adam's first moment estimate, in [0, 1)."),
        Parameter("beta_2", 0.999, real(0.0, 1.0, high_open=True), "float",
                  "Decay rate of Adam's second moment estimate, in [0, 1)."),
    )
    step_sizes = ("learning_rate_init", "epsilon")
    summary = "Adam (Kingma and Ba, 2014), the default"

    @classmethod
    def from_config(cls, params, config):
        return cls(params, config.learning_rate_init, config.beta_1, config.beta_2,
                   config.epsilon)

    def __init__(self, params, learning_rate_init, beta_1=0.9,
                 beta_2=0.999, epsilon=1e-8):
        self.learning_rate_init = learning_rate_init
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.t = 0
        ops = primitives(params)
        self.first_moment = ops.zeros(params.shape, params)
        self.second_moment = ops.zeros(params.shape, params)

    def update(self, params, grad):
        """Take one step in place, allocating nothing."""
        self.t += 1
        term, denominator = self._scratch(params, 2)
        rate = self._apply_controls(params, grad)
        ops = primitives(params)
        self.first_moment *= self.beta_1
        self.first_moment += ops.multiply(grad, 1 - self.beta_1, out=term)
        self.second_moment *= self.beta_2
        ops.multiply(grad, grad, out=term)
        self.second_moment += ops.multiply(term, 1 - self.beta_2, out=term)
        # np.sqrt keeps the rate a float64 scalar, which NumPy applies in float64
        learning_rate = rate * np.sqrt(1 - self.beta_2**self.t) / (1 - self.beta_1**self.t)
        ops.sqrt(self.second_moment, out=denominator)
        denominator += self.epsilon
        ops.multiply(self.first_moment, learning_rate, out=term)
        params -= self._scaled(ops.divide(term, denominator, out=term))
