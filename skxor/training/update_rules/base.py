"""What every update rule shares: its controls, its schedule's clock and its working space.

An update rule owns its state (velocity, moment estimates) and takes one
step in place per batch, allocating nothing. Every rule takes the training
toolkit's controls the same way (``Controls``: a ``LearningRate`` schedule,
decoupled weight decay, gradient-norm clipping), each off by default, when
the step is exactly what it was without them; ``UpdateRule`` applies them,
so a rule writes only its own step (see ``sgd`` and ``adam``).
"""

import dataclasses
from dataclasses import dataclass

from ...network.constants import read_only_scalar
from ...network.primitives import primitives
from ..schedules import learning_rate_of


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
    not None, scales the gradient down to that global L2 norm first;
    ``rate_scale``, when not None, multiplies each parameter's step by its
    own factor (the layers' ``rate_factors``: biases or embeddings that
    learn slower or faster than the weights).
    """

    schedule: object = None
    weight_decay: float = 0.0
    max_grad_norm: float | None = None
    n_weights: int = 0
    rate_scale: object = None

    @classmethod
    def of(cls, config, network, like):
        """The controls of a fit's ``FitConfig`` for ``network``, whose parameters are ``like``.

        ``NO_CONTROLS`` itself where the fit sets none.
        """
        controls = cls(learning_rate_of(config), config.weight_decay, config.max_grad_norm,
                       network.n_coef_params, network.rate_factors(like))
        unset = (controls.schedule is None and not controls.weight_decay
                 and controls.rate_scale is None)
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


class UpdateRule:
    """Base of the update rules: their controls, and scratch arrays reused across steps.

    A rule declares the constructor ``parameters`` it reads (each a
    ``Parameter``: the estimators take it, document it and check it),
    ``step_sizes``, the parameters that must stay positive in the training
    dtype, and makes itself for a fit with ``from_config``; ``check`` may
    refuse a configuration. It steps with ``update(params, grad)``, which
    asks ``_apply_controls`` for the step's rate first.

    The scratch and scalar arrays are working space, not state: each is made
    on first use, made again when what it was made for changes (the dtype, a
    learning rate), and left out of pickles and copies.
    """

    _WORKING_SPACE = ("_scratch_arrays", "_scalar_arrays")

    parameters = ()
    step_sizes = ("learning_rate_init",)
    summary = ""
    """What the rule is, in the docstring of the ``solver`` parameter."""

    @classmethod
    def from_config(cls, params, config):
        """A fresh rule for the parameter vector ``params``, from a fit's ``FitConfig``."""
        raise NotImplementedError

    @classmethod
    def check(cls, config):
        """Refuse a ``FitConfig`` this rule cannot train as asked; by default none."""

    controls = NO_CONTROLS
    """The rule's ``Controls``: none, unless the maker sets them (and in models saved
    before they existed)."""

    def next_rate(self):
        """The learning rate of the next step: the schedule's, or the rule's own."""
        schedule = self.controls.schedule
        return self._own_rate() if schedule is None else schedule.current()

    def _own_rate(self):
        """The rule's rate without a schedule: ``learning_rate_init``, unless it has its own."""
        return self.learning_rate_init

    def iteration_ends(self, samples_seen):
        """An epoch ended, after ``samples_seen`` samples: the schedule's clock moves on.

        A rule that changes its own rate between epochs (sgd's ``"invscaling"``)
        does it here too.
        """
        self._end_epoch()

    def _apply_controls(self, params, grad):
        """Clip ``grad`` and decay the weights for the step about to be taken; its rate.

        The rate is the schedule's, or the rule's own (``_own_rate``).
        """
        controls = self.controls
        if controls is NO_CONTROLS:  # the default step, at no extra cost
            return self._own_rate()
        rate = self._own_rate()
        if controls.schedule is not None:
            rate = controls.schedule.current()
            controls.schedule.advance()
        if controls.max_grad_norm is not None:
            clip_global_norm(grad, controls.max_grad_norm)
        if controls.weight_decay:
            params[:controls.n_weights] *= 1.0 - rate * controls.weight_decay
        return rate

    def _scaled(self, step):
        """``step`` times each parameter's rate factor, where the controls have them."""
        scale = self.controls.rate_scale
        if scale is not None:
            step *= scale
        return step

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
