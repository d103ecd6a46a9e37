"""Update rules: how a gradient moves the flat parameter vector, in place.

``SGD`` (with momentum, optionally Nesterov's, and scikit-learn's learning
rate schedules) and ``Adam`` own their state (velocity, moment estimates)
and allocate nothing per step. ``UPDATE_RULES`` maps the ``solver`` names to
them; ``new_update_rule`` makes one from a fit's configuration.
"""

import numpy as np

from ._constants import read_only_scalar
from ._primitives import primitives


def _empty_arrays(like, count):
    ops = primitives(like)
    return tuple(ops.empty(like.shape, like) for _ in range(count))


def _scalar_arrays(dtype, values):
    return tuple(read_only_scalar(value, dtype) for value in values)


class _UpdateRule:
    """Base of the update rules: scratch and scalar arrays reused across steps.

    They are working space, not state: each is made on first use, made again
    when what it was made for changes (the dtype, a learning rate), and left
    out of pickles and copies.
    """

    _WORKING_SPACE = ("_scratch_arrays", "_scalar_arrays")

    def _reused(self, name, key, make, *args):
        """``make(*args)``, kept under ``name`` and remade only when ``key`` changes."""
        kept = self.__dict__.get(name)
        if kept is None or kept[0] != key:
            kept = (key, make(*args))
            setattr(self, name, kept)
        return kept[1]

    def _scratch(self, like, count):
        """``count`` arrays shaped like ``like``."""
        return self._reused("_scratch_arrays", (like.dtype, like.shape, count),
                            _empty_arrays, like, count)

    def _scalars(self, dtype, *values):
        """``values`` as 0-d arrays of ``dtype`` (see ``_constants``)."""
        return self._reused("_scalar_arrays", (dtype, *values), _scalar_arrays, dtype, values)

    def __getstate__(self):
        state = self.__dict__.copy()
        for name in self._WORKING_SPACE:
            state.pop(name, None)
        return state


class SGD(_UpdateRule):
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

    def __init__(self, params, learning_rate_init, schedule="constant",
                 momentum=0.9, nesterov=True, power_t=0.5):
        self.learning_rate_init = learning_rate_init
        self.learning_rate = learning_rate_init
        self.schedule = schedule
        self.momentum = momentum
        self.nesterov = nesterov
        self.power_t = power_t
        self.velocity = primitives(params).zeros(params.shape, params)

    def update(self, params, grad):
        """Take one step in place, allocating nothing."""
        (scratch,) = self._scratch(params, 1)
        learning_rate, momentum = self._scalars(params.dtype, self.learning_rate,
                                                self.momentum)
        ops = primitives(params)
        step = ops.multiply(grad, learning_rate, out=scratch)
        self.velocity *= momentum
        self.velocity -= step
        if self.nesterov:
            params -= step
            step = ops.multiply(self.velocity, momentum, out=scratch)
        params += step if self.nesterov else self.velocity

    def iteration_ends(self, samples_seen):
        """Update an ``"invscaling"`` learning rate after an epoch."""
        if self.schedule == "invscaling":
            self.learning_rate = self.learning_rate_init / (samples_seen + 1) ** self.power_t

    def trigger_stopping(self):
        """Whether to stop now that progress stalled, and what was done, for verbose output.

        An ``"adaptive"`` schedule shrinks its rate fivefold instead, until
        the rate is below 1e-6.

        Returns
        -------
        stop : bool
        action : str
            ``"Stopping."``, ``"Learning rate too small. Stopping."`` or
            ``"Setting learning rate to ..."``, the words MLPClassifier prints.
        """
        if self.schedule != "adaptive":
            return True, "Stopping."
        if self.learning_rate <= 1e-6:
            return True, "Learning rate too small. Stopping."
        self.learning_rate /= 5.0
        return False, f"Setting learning rate to {self.learning_rate:f}"


class Adam(_UpdateRule):
    """Adam (Kingma & Ba, 2014) with bias-corrected step size.

    Notes
    -----
    ``m <- b1 m + (1 - b1) g``, ``v <- b2 v + (1 - b2) g**2``, and the step is
    ``-lr_t * m / (sqrt(v) + epsilon)`` with
    ``lr_t = lr * sqrt(1 - b2**t) / (1 - b1**t)`` after ``t`` updates.
    """

    solver = "adam"
    """The ``solver`` whose update rule this is."""

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
        ops = primitives(params)
        self.first_moment *= self.beta_1
        self.first_moment += ops.multiply(grad, 1 - self.beta_1, out=term)
        self.second_moment *= self.beta_2
        ops.multiply(grad, grad, out=term)
        self.second_moment += ops.multiply(term, 1 - self.beta_2, out=term)
        # np.sqrt keeps the rate a float64 scalar, which NumPy applies in float64
        learning_rate = (self.learning_rate_init * np.sqrt(1 - self.beta_2**self.t)
                         / (1 - self.beta_1**self.t))
        ops.sqrt(self.second_moment, out=denominator)
        denominator += self.epsilon
        ops.multiply(self.first_moment, learning_rate, out=term)
        params -= ops.divide(term, denominator, out=term)

    def iteration_ends(self, samples_seen):
        """Adam's step size needs no per-epoch schedule."""

    def trigger_stopping(self):
        """Adam always stops when progress stalls; see ``SGD.trigger_stopping``."""
        return True, "Stopping."


UPDATE_RULES = {
    "sgd": lambda params, config: SGD(params, config.learning_rate_init, config.learning_rate,
                                      config.momentum, config.nesterovs_momentum,
                                      config.power_t),
    "adam": lambda params, config: Adam(params, config.learning_rate_init, config.beta_1,
                                        config.beta_2, config.epsilon),
}
"""Each stochastic ``solver`` name to a maker ``(params, config) -> update rule``."""


def new_update_rule(params, config):
    """A fresh update rule of ``config.solver`` for ``params`` (a FitConfig's values)."""
    return UPDATE_RULES[config.solver](params, config)
