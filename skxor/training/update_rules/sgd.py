"""Stochastic gradient descent with momentum: MLPClassifier's ``solver="sgd"``."""

from ...network.primitives import primitives
from ...utils.parameters import BOOLEAN, Parameter, one_of, real
from ..schedules import divided_on_stall
from .base import UpdateRule


class SGD(UpdateRule):
    """Stochastic gradient descent with momentum, optionally Nesterov's.

    Notes
    -----
    ``v <- momentum * v - lr * g``; the step is ``v``, or with Nesterov's
    momentum ``momentum * v - lr * g``. The learning rate follows
    ``schedule``: ``"constant"``; ``"invscaling"``, ``lr_init / (t + 1) **
    power_t`` after each epoch with ``t`` the number of samples seen;
    ``"adaptive"``, divided by 5 whenever progress stalls, until below 1e-6.
    """

    solver = "sgd"
    """The ``solver`` whose update rule this is."""

    parameters = (
        Parameter("learning_rate", "constant", one_of(("constant", "invscaling", "adaptive")),
                  '{"constant", "invscaling", "adaptive"}',
                  'Learning-rate schedule of ``solver="sgd"``: ``"constant"``; '
                  '``"invscaling"``, ``learning_rate_init / (t + 1) ** power_t`` after '
                  'each epoch, ``t`` being the samples seen; ``"adaptive"``, divided by 5 '
                  'whenever ``n_iter_no_change`` epochs pass without ``tol`` improvement, '
                  'until below 1e-6.'),
        Parameter("power_t", 0.5, real(0.0), "float",
                  'Exponent of the ``"invscaling"`` schedule.'),
        Parameter("momentum", 0.9, real(0.0, 1.0), "float",
                  'Momentum of ``solver="sgd"``, in [0, 1].'),
        Parameter("nesterovs_momentum", True, BOOLEAN, "bool",
                  'Use Nesterov\'s momentum with ``solver="sgd"``.'),
    )
    summary = ("stochastic gradient descent with momentum (Nesterov's by default) and "
               "scikit-learn's learning-rate schedules")

    @classmethod
    def from_config(cls, params, config):
        return cls(params, config.learning_rate_init, config.learning_rate, config.momentum,
                   config.nesterovs_momentum, config.power_t)

    @classmethod
    def check(cls, config):
        """sgd's ``learning_rate`` schedules its rate itself unless it is ``"constant"``:
        ``lr_schedule`` or ``warmup`` would schedule the same rate twice."""
        scheduled = config.lr_schedule is not None or config.warmup
        if scheduled and config.learning_rate != "constant":
            raise ValueError(
                f"lr_schedule={config.lr_schedule!r} with warmup={config.warmup} and "
                f"learning_rate={config.learning_rate!r} would schedule sgd's rate twice. "
                "Set learning_rate='constant' to use lr_schedule or warmup, or "
                "lr_schedule=None and warmup=0 to use learning_rate's schedule.")

    def __init__(self, params, learning_rate_init, schedule="constant",
                 momentum=0.9, nesterov=True, power_t=0.5):
        self.learning_rate_init = learning_rate_init
        self.learning_rate = learning_rate_init
        self.schedule = schedule
        self.momentum = momentum
        self.nesterov = nesterov
        self.power_t = power_t
        self.velocity = primitives(params).zeros(params.shape, params)

    def _own_rate(self):
        return self.learning_rate

    def update(self, params, grad):
        """Take one step in place, allocating nothing."""
        (scratch,) = self._scratch(params, 1)
        rate = self._apply_controls(params, grad)
        learning_rate, momentum = self._scalars(params.dtype, rate, self.momentum)
        ops = primitives(params)
        step = self._scaled(ops.multiply(grad, learning_rate, out=scratch))
        self.velocity *= momentum
        self.velocity -= step
        if self.nesterov:
            params -= step
            step = ops.multiply(self.velocity, momentum, out=scratch)
        params += step if self.nesterov else self.velocity

    def iteration_ends(self, samples_seen):
        """The epoch ended: an ``"invscaling"`` rate shrinks with the samples seen."""
        self._end_epoch()
        if self.schedule == "invscaling":
            self.learning_rate = self.learning_rate_init / (samples_seen + 1) ** self.power_t

    def _own_stall(self):
        """An ``"adaptive"`` schedule shrinks its rate fivefold instead of stopping,
        until the rate is below 1e-6 (``divided_on_stall``)."""
        if self.schedule != "adaptive":
            return True, "Stopping."
        stop, action, self.learning_rate = divided_on_stall(self.learning_rate)
        return stop, action
