"""Learning-rate schedules of the stochastic solvers: ``lr_schedule`` and ``warmup``.

``LearningRate`` is the rate an sgd or adam fit steps with when either
parameter is set. It knows where training stands, the epoch and the batch
within it, so that ``"cosine"`` and the warmup move with every batch. It
lives in the update rule: ``partial_fit`` continues it, a new ``fit`` (warm
or not) starts it afresh, as MLPClassifier starts its update rule afresh.

The rate of batch ``k`` (from 0) of ``b`` in epoch ``e`` (from 0), with
``s = e + k / b`` the epoch position where the batch starts:

- ``None``: ``learning_rate_init``;
- ``"cosine"``: ``learning_rate_init * (1 + cos(pi * q)) / 2`` with
  ``q = (s - warmup) / (max_iter - warmup)`` held within [0, 1]: the full
  rate until the warmup ends, then down toward 0 at the end of ``max_iter``
  epochs, and 0 past it;
- ``"plateau"``: ``learning_rate_init``, divided by 5 whenever the stopping
  rule would stop (see ``divided_on_stall``);
- a callable: ``schedule(epoch, lr)`` at the start of each epoch, ``lr``
  being the rate it returned for the epoch before (``learning_rate_init``
  first).

With ``warmup`` epochs, each of those is multiplied by ``min(1, (s + 1 / b)
/ warmup)``: a linear ramp that reaches the full rate with the last batch of
the warmup.
"""

import math
import numbers

STALL_DIVISOR = 5.0
"""What a stall divides the rate by: sgd's ``"adaptive"``, and ``"plateau"``."""

SMALLEST_RATE = 1e-6
"""A stall at or below this rate stops training instead of dividing it."""


def divided_on_stall(rate):
    """What a stall does to ``rate``: divide it by 5, or stop once it is at most 1e-6.

    This is MLPClassifier's rule for ``learning_rate="adaptive"``; a stall is
    the stopping rule's: ``n_iter_no_change`` epochs in a row without ``tol``
    improvement of the training loss (the validation score with early
    stopping).

    Returns
    -------
    stop : bool
    action : str
        The words verbose output reports, MLPClassifier's.
    rate : float
        The rate from now on.
    """
    if rate <= SMALLEST_RATE:
        return True, "Learning rate too small. Stopping.", rate
    rate /= STALL_DIVISOR
    return False, f"Setting learning rate to {rate:f}", rate


class LearningRate:
    """The scheduled rate of one fit's update rule (see the module's formulas).

    Parameters
    ----------
    learning_rate_init : float
    schedule : None, "cosine", "plateau" or callable
        ``lr_schedule``.
    warmup : int
        Epochs of the linear ramp.
    horizon : int
        ``max_iter``: the epochs over which ``"cosine"`` anneals.
    """

    def __init__(self, learning_rate_init, schedule, warmup, horizon):
        self.learning_rate_init = learning_rate_init
        self.schedule = schedule
        self.warmup = warmup
        self.horizon = horizon
        self.base = learning_rate_init
        self.epoch = 0
        self.batch = 0
        self.n_batches = 1

    @property
    def settings(self):
        """What the schedule was made from: two with the same settings rate alike."""
        return self.learning_rate_init, self.schedule, self.warmup, self.horizon

    def begin_epoch(self, n_batches):
        """An epoch of ``n_batches`` batches starts: a callable sets its rate now."""
        self.n_batches, self.batch = max(int(n_batches), 1), 0
        if callable(self.schedule):
            self.base = _checked_rate(self.schedule(self.epoch, self.base), self.epoch)

    @property
    def spent(self):
        """Whether ``"cosine"`` has annealed to 0: past ``max_iter`` epochs of ``partial_fit``."""
        return self.schedule == "cosine" and self.epoch >= self.horizon

    def current(self):
        """The rate of the batch about to be taken."""
        start = self.epoch + self.batch / self.n_batches
        rate = self._scheduled(start)
        if start < self.warmup:
            rate *= (start + 1 / self.n_batches) / self.warmup
        return rate

    def _scheduled(self, start):
        if self.schedule != "cosine":
            return self.base
        span = self.horizon - self.warmup
        progress = min(max((start - self.warmup) / span, 0.0), 1.0)
        return self.learning_rate_init * (1 + math.cos(math.pi * progress)) / 2

    def advance(self):
        """A batch was taken."""
        self.batch += 1

    def end_epoch(self):
        """The epoch ended: the next one starts at its first batch."""
        self.epoch += 1
        self.batch = 0

    def stall(self):
        """``(stop, action)`` when progress stalls: ``"plateau"`` divides, others stop."""
        if self.schedule != "plateau":
            return True, "Stopping."
        stop, action, self.base = divided_on_stall(self.base)
        return stop, action


def _checked_rate(rate, epoch):
    """A callable schedule's return value, which must be a finite float >= 0."""
    if (not isinstance(rate, numbers.Real) or isinstance(rate, bool)
            or not math.isfinite(rate) or rate < 0):
        raise ValueError(f"lr_schedule returned {rate!r} for epoch {epoch}; it must return "
                         "the epoch's learning rate, a finite float >= 0.")
    return float(rate)


def learning_rate_of(config):
    """The ``LearningRate`` of a fit's ``FitConfig``, or None where the rule keeps its own.

    Without ``lr_schedule`` and ``warmup`` the update rule steps with its own
    rate (sgd's ``learning_rate`` schedules, adam's ``learning_rate_init``),
    computed exactly as before these parameters existed.
    """
    if config.lr_schedule is None and not config.warmup:
        return None
    return LearningRate(config.learning_rate_init, config.lr_schedule, config.warmup,
                        config.max_iter)
