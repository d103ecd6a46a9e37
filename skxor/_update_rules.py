"""Update rules: how a gradient moves the flat parameter vector, in place.

``SGD`` (with momentum, optionally Nesterov's, and scikit-learn's learning
rate schedules) and ``Adam`` own their state (velocity, moment estimates)
and allocate nothing per step. Both take the training toolkit's controls
the same way (``Controls``: a ``LearningRate`` schedule, decoupled weight
decay, gradient-norm clipping), each off by default, when the step is
exactly what it was without them. ``UPDATE_RULES`` maps the ``solver``
names to the rules; ``new_update_rule`` makes one from a fit's configuration.
"""

import dataclasses
from dataclasses import dataclass

import numpy as np

from ._constants import read_only_scalar
from ._primitives import primitives
from ._schedules import divided_on_stall, learning_rate_of


def _empty_arrays(like, count):
    ops = primitives(like)
    return tuple(ops.empty(like.shape, like) for _ in range(count))


def _scalar_arrays(dtype, values):
    return tuple(read_only_scalar(value, dtype) for value in values)


@dataclass
class Controls:
    """What the training toolkit adds to a step, whichever the rule.

    ``schedule`` is a ``LearningRate`` (``lr_schedule``, ``warmup``), or
    None for the rule's own rate; ``weight_decay`` shrinks the first
    ``n_weights`` entries of the parameters, the weights (not the biases, as
    ``alpha`` spares them), by ``rate * weight_decay`` of themselves before
    the step: decoupled decay, as in AdamW and SGDW; ``max_grad_norm``, when
    not None, scales the gradient down to that global L2 norm first.
    """

    schedule: object = None
    weight_decay: float = 0.0
    max_grad_norm: float | None = None
    n_weights: int = 0

    @classmethod
    def of(cls, config, n_weights):
        """The controls of a fit's ``FitConfig``, for a network of ``n_weights`` weights.

        ``NO_CONTROLS`` itself where the fit sets none.
        """
        controls = cls(learning_rate_of(config), config.weight_decay, config.max_grad_norm,
                       n_weights)
        unset = controls.schedule is None and not controls.weight_decay
        return NO_CONTROLS if unset and controls.max_grad_norm is None else controls


NO_CONTROLS = Controls()
"""The controls of a default rule: no schedule, decay or clipping."""


def clip_global_norm(grad, max_norm):
    """Scale ``grad`` in place to L2 norm ``max_norm`` where its norm exceeds it.

    ``grad * max_norm / max(||grad||, max_norm)``, in array operations, so a
    gradient on a device is never read back.
    """
    ops = primitives(grad)
    norm = ops.sqrt(ops.inner(grad, grad))
    grad *= ops.divide(max_norm, ops.maximum(norm, max_norm))


class _UpdateRule:
    """Base of the update rules: their controls, and scratch arrays reused across steps.

    The scratch and scalar arrays are working space, not state: each is made
    on first use, made again when what it was made for changes (the dtype, a
    learning rate), and left out of pickles and copies.
    """

    _WORKING_SPACE = ("_scratch_arrays", "_scalar_arrays")

    controls = NO_CONTROLS
    """The rule's ``Controls``: none, unless the maker sets them (and in models saved
    before they existed)."""

    def next_rate(self):
        """The learning rate of the next step: the schedule's, or the rule's own."""
        schedule = self.controls.schedule
        return self._own_rate() if schedule is None else schedule.current()

    def _apply_controls(self, params, grad, own_rate):
        """Clip ``grad`` and decay the weights for the step about to be taken; its rate.

        ``own_rate`` is the rule's own, the rate without a schedule.
        """
        controls = self.controls
        if controls is NO_CONTROLS:  # the default step, at no extra cost
            return own_rate
        rate = own_rate
        if controls.schedule is not None:
            rate = controls.schedule.current()
            controls.schedule.advance()
        if controls.max_grad_norm is not None:
            clip_global_norm(grad, controls.max_grad_norm)
        if controls.weight_decay:
            params[:controls.n_weights] *= 1.0 - rate * controls.weight_decay
        return rate

    def set_controls(self, controls):
        """Step under ``controls`` from now on (a default rule keeps none in its state)."""
        if controls is NO_CONTROLS:
            self.__dict__.pop("controls", None)
        else:
            self.controls = controls

    def continue_under(self, controls):
        """Go on under a later fit's ``controls``, as ``partial_fit`` continues a rule.

        Decay and clipping become the fit's. The schedule goes on from where
        it stands if the fit asks for the same one (same ``lr_schedule``,
        ``warmup``, ``max_iter`` and ``learning_rate_init``), else the fit's
        starts afresh.
        """
        kept = self.controls.schedule
        if kept is not None and controls.schedule is not None and (
                kept.settings == controls.schedule.settings):
            controls = dataclasses.replace(controls, schedule=kept)
        self.set_controls(controls)

    def skip_step(self):
        """A batch went by without a step (its weights were all zero): the schedule moves on."""
        if self.controls.schedule is not None:
            self.controls.schedule.advance()

    def begin_epoch(self, n_batches):
        """An epoch of ``n_batches`` steps begins (a schedule places its rates by it)."""
        if self.controls.schedule is not None:
            self.controls.schedule.begin_epoch(n_batches)

    def _end_epoch(self):
        if self.controls.schedule is not None:
            self.controls.schedule.end_epoch()

    def trigger_stopping(self):
        """Whether to stop now that progress stalled, and what was done, for verbose output.

        Without a schedule, the rule's own answer (``_own_stall``); with one,
        the schedule's: ``"plateau"`` divides its rate instead of stopping.

        Returns
        -------
        stop : bool
        action : str
            ``"Stopping."``, ``"Learning rate too small. Stopping."`` or
            ``"Setting learning rate to ..."``, the words MLPClassifier prints.
        """
        schedule = self.controls.schedule
        return self._own_stall() if schedule is None else schedule.stall()

    def _own_stall(self):
        return True, "Stopping."

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

    def _own_rate(self):
        return self.learning_rate

    def update(self, params, grad):
        """Take one step in place, allocating nothing."""
        (scratch,) = self._scratch(params, 1)
        rate = self._apply_controls(params, grad, self.learning_rate)
        learning_rate, momentum = self._scalars(params.dtype, rate, self.momentum)
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

    def _own_rate(self):
        return self.learning_rate_init

    def update(self, params, grad):
        """Take one step in place, allocating nothing."""
        self.t += 1
        term, denominator = self._scratch(params, 2)
        rate = self._apply_controls(params, grad, self.learning_rate_init)
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
        params -= ops.divide(term, denominator, out=term)

    def iteration_ends(self, samples_seen):
        """An epoch ended: Adam's own step size needs no per-epoch schedule."""
        self._end_epoch()


UPDATE_RULES = {
    "sgd": lambda params, config: SGD(params, config.learning_rate_init, config.learning_rate,
                                      config.momentum, config.nesterovs_momentum,
                                      config.power_t),
    "adam": lambda params, config: Adam(params, config.learning_rate_init, config.beta_1,
                                        config.beta_2, config.epsilon),
}
"""Each stochastic ``solver`` name to a maker ``(params, config) -> update rule``."""


def new_update_rule(params, config, n_weights):
    """A fresh update rule of ``config.solver`` for ``params`` (a FitConfig's values).

    ``n_weights`` is how many leading entries of ``params`` are weights, which
    ``weight_decay`` shrinks.
    """
    rule = UPDATE_RULES[config.solver](params, config)
    rule.set_controls(Controls.of(config, n_weights))
    return rule
