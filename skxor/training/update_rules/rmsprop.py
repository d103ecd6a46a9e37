"""RMSProp, ``solver="rmsprop"``: each weight's step scaled by its gradients' running size."""

from ...network.primitives import primitives
from ...utils.parameters import Parameter, real
from .base import UpdateRule


class RMSProp(UpdateRule):
    """RMSProp (Tieleman and Hinton, 2012), as Keras and PyTorch write it without momentum.

    Notes
    -----
    ``s <- rho s + (1 - rho) g**2``, and the step is ``-lr * g / (sqrt(s) +
    epsilon)``: Adam without its first moment and without bias correction,
    so the first steps, where ``s`` is still small, are larger than Adam's.
    """

    solver = "rmsprop"
    """The ``solver`` whose update rule this is."""

    parameters = (
        Parameter("rho", 0.9, real(0.0, 1.0, high_open=True), "float",
                  'Decay rate of RMSProp\'s running mean of squared gradients, in [0, 1); '
                  'used by ``solver="rmsprop"`` only.'),
    )
    step_sizes = ("learning_rate_init", "epsilon")
    summary = ("RMSProp (Tieleman and Hinton, 2012): each weight's step divided by the running "
               "root mean square of its gradients")

    def __init__(self, params, learning_rate_init, rho=0.9, epsilon=1e-8):
        self.learning_rate_init = learning_rate_init
        self.rho = rho
        self.epsilon = epsilon
        self.mean_square = primitives(params).zeros(params.shape, params)

    @classmethod
    def from_config(cls, params, config):
        return cls(params, config.learning_rate_init, config.rho, config.epsilon)

    def update(self, params, grad):
        """Take one step in place, allocating nothing."""
        term, denominator = self._scratch(params, 2)
        rate = self._apply_controls(params, grad)
        ops = primitives(params)
        self.mean_square *= self.rho
        ops.multiply(grad, grad, out=term)
        self.mean_square += ops.multiply(term, 1 - self.rho, out=term)
        ops.sqrt(self.mean_square, out=denominator)
        denominator += self.epsilon
        ops.multiply(grad, rate, out=term)
        params -= self._scaled(ops.divide(term, denominator, out=term))
