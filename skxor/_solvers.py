"""Solvers: mini-batch SGD and Adam over epochs, and SciPy's L-BFGS-B.

The update rules own their state (velocity, moment estimates) and update the
flat parameter vector in place. ``train_epochs`` runs the mini-batch loop and
applies the stopping rule; ``minimize_lbfgs`` hands the network's exact loss
and gradient to ``scipy.optimize.minimize``.
"""

import math
import os
import threading
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

import numpy as np
import scipy
import scipy.optimize
from threadpoolctl import ThreadpoolController

from ._constants import read_only_scalar
from ._primitives import primitives, to_numpy


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


DIVERGENCE_FACTOR = 1e4


class Diverged(ArithmeticError):
    """Training left the region where its numbers mean anything.

    Raised when an epoch's loss or a parameter is not finite, or the loss
    exceeds ``DIVERGENCE_FACTOR`` times the larger of 1 and the first epoch's
    loss: the log loss is clipped and the squared error bounded, so only
    exploding weights (through the L2 term) get there.
    """

    def __init__(self, epoch, loss):
        super().__init__(f"training diverged at epoch {epoch}: the loss reached {loss:.3g}")
        self.epoch = epoch
        self.loss = loss


def check_divergence(epoch, loss, params, reference_loss):
    """Raise ``Diverged`` if this epoch's loss (unless None) or ``params`` (unless None) blew up.

    The training loops check only the loss after each epoch: a parameter
    that is not finite makes the next epoch's loss not finite. The estimator
    checks the parameters once, after the last epoch.
    """
    limit = DIVERGENCE_FACTOR * max(reference_loss, 1.0)
    if loss is not None and not (math.isfinite(loss) and loss <= limit):
        raise Diverged(epoch, loss)
    if params is not None and not primitives(params).all_finite(params):
        raise Diverged(epoch, loss)


@dataclass
class Progress:
    """What training has recorded so far; carried across warm starts.

    With a validation set, each epoch's accuracy and loss on it are recorded
    too. When ``judge_on_validation`` (early stopping), progress is judged by
    the validation accuracy and the best parameters seen are kept in
    ``best_params``; otherwise by the training loss against ``best_loss``.
    """

    loss_curve: list = field(default_factory=list)
    best_loss: float = np.inf
    validation_scores: list | None = None
    validation_loss_curve: list | None = None
    best_validation_score: float = -np.inf
    best_params: np.ndarray | None = None
    samples_seen: int = 0
    no_improvement_count: int = 0
    judge_on_validation: bool = False

    def record(self, loss, params, tol, validation=None):
        """Add an epoch's results and update the no-improvement count.

        ``validation`` is the epoch's ``(accuracy, loss)`` on the validation
        set, or None without one.
        """
        self.loss_curve.append(loss)
        if self.judge_on_validation:
            stalled = validation[0] < self.best_validation_score + tol
        else:
            stalled = loss > self.best_loss - tol
        self.best_loss = min(self.best_loss, loss)
        if validation is not None:
            self._record_validation(*validation, params)
        self.no_improvement_count = self.no_improvement_count + 1 if stalled else 0

    def _record_validation(self, score, loss, params):
        self.validation_scores.append(score)
        self.validation_loss_curve.append(loss)
        if score > self.best_validation_score:
            self.best_validation_score = score
            if self.judge_on_validation:
                self.best_params = primitives(params).copy(params)


class EpochHooks:
    """Observer of a training loop, told when each epoch (or iteration) begins and ends.

    This base observes nothing; the estimator passes a subclass that forwards
    to scikit-learn's callbacks.
    """

    def begin(self):
        """An epoch is about to run."""

    def end(self, params):
        """An epoch ended with ``params``; return True to stop training."""
        return False


@dataclass
class EpochSettings:
    """The knobs of the training loops that the estimator passes through."""

    max_epochs: int
    alpha: float
    tol: float
    verbose: bool
    batch_size: int = 0
    shuffle: bool = False
    n_iter_no_change: float = 0
    interruptible: bool = False
    dropout: object = None
    """A ``Dropout`` that draws each batch's masks, or None."""


def run_epoch(network, params, grad, optimizer, X, target, sample_weight, order,
              settings, buffers=None):
    """One pass over the data in mini-batches; return the mean batch loss.

    A batch whose sample weights are all zero is skipped: no update, and a
    loss of 0 in the mean. (The full data's weights never all are zero: the
    estimator refuses that before training.) That is decided on a host copy
    of the weights, made once per epoch, so that arrays on a device are never
    read back inside the epoch: the epoch's loss accumulates there too.

    ``order`` is the sample order of this epoch, or None to keep the data's.
    A shuffled batch is gathered into ``buffers`` (from ``batch_buffers``,
    made once per fit and reused by every epoch): half
    the time of gathering a shuffled copy of the whole data set (measured on
    20000 x 100), which also cost a copy's worth of peak memory, and the rows
    land in cache just before they are used.
    """
    n_samples = X.shape[0]
    dropout = settings.dropout
    if order is None and settings.batch_size >= n_samples:
        masks = None if dropout is None else dropout.batch(n_samples, params)
        loss = network.loss_gradient(params, X, target, sample_weight, settings.alpha, grad,
                                     dropout=masks)
        optimizer.update(params, grad)
        # rounded exactly as the batched mean below, so the stopping rule agrees
        return loss * n_samples / n_samples
    ops = primitives(params)
    arrays = [X, target] + ([] if sample_weight is None else [sample_weight])
    buffers = buffers or [None] * len(arrays)
    weight_on_host = to_numpy(sample_weight)
    rows_order = None if order is None else ops.index_rows(order, X)
    total_loss = 0.0
    for start in range(0, n_samples, settings.batch_size):
        rows = slice(start, min(start + settings.batch_size, n_samples))
        if weight_on_host is not None and not _weighs_something(weight_on_host, order, rows):
            continue  # no update, and it adds 0 to the epoch's loss
        index = rows if order is None else rows_order[rows]
        batch = [ops.take_rows(array, index, buffer)
                 for array, buffer in zip(arrays, buffers, strict=True)]
        batch_weight = batch[2] if sample_weight is not None else None
        masks = None if dropout is None else dropout.batch(rows.stop - rows.start, params)
        loss = network.loss_gradient(params, batch[0], batch[1], batch_weight,
                                     settings.alpha, grad, dropout=masks)
        optimizer.update(params, grad)
        total_loss += loss * (rows.stop - rows.start)
    return total_loss / n_samples


def batch_buffers(data, batch_size):
    """One reusable batch of rows per array of ``data``; None for sparse ones."""
    return [np.empty((batch_size, *array.shape[1:]), dtype=array.dtype)
            if isinstance(array, np.ndarray) else None
            for array in data if array is not None]


def _weighs_something(weights, order, rows):
    """Whether the batch ``rows`` of this epoch's ``order`` has a positive weight."""
    return bool(weights[rows if order is None else order[rows]].any())


class EpochsEnd(NamedTuple):
    """How ``train_epochs`` ended: epochs run, and why it stopped.

    ``reason`` is ``"converged"`` (the stopping rule), ``"callback"`` (a hook
    asked to stop), ``"max_epochs"``, ``"diverged"`` (under early stopping,
    see ``_Epochs._record``) or ``"interrupted"`` (Ctrl-C, when the settings
    allow it; ``epochs`` then counts the completed epochs only).
    """

    epochs: int
    reason: str


def train_epochs(network, params, optimizer, data, settings, progress, rng,
                 validation=None, hooks=None):
    """Run up to ``max_epochs`` epochs; return an ``EpochsEnd``.

    Parameters
    ----------
    network : Network
    params : ndarray of shape (network.size,)
        Updated in place.
    optimizer : SGD or Adam
    data : tuple
        ``(X, target, sample_weight)`` of the training set.
    settings : EpochSettings
        With ``interruptible``, a ``KeyboardInterrupt`` ends training after
        the last completed epoch instead of propagating.
    progress : Progress
        Updated in place.
    rng : numpy.random.RandomState
        Draws each epoch's shuffle.
    validation : callable, optional
        ``validation(params) -> (accuracy, loss)`` on a validation set.
    hooks : EpochHooks, optional
        Told of each epoch; stops training when its ``end`` returns True.

    Returns
    -------
    EpochsEnd
    """
    hooks = hooks or EpochHooks()
    epochs = _Epochs(network, params, optimizer, data, settings, progress, rng,
                     validation, hooks)
    try:
        return epochs.run()
    except KeyboardInterrupt:
        if not settings.interruptible:
            raise
        if epochs.open:
            hooks.end(None)
        return EpochsEnd(len(progress.loss_curve) - epochs.recorded_before, "interrupted")


class _Epochs:
    """The epoch loop of ``train_epochs``; ``open`` while an epoch's hooks await its end."""

    def __init__(self, network, params, optimizer, data, settings, progress, rng,
                 validation, hooks):
        self.network, self.params, self.optimizer = network, params, optimizer
        self.data, self.settings, self.progress = data, settings, progress
        self.rng, self.validation, self.hooks = rng, validation, hooks
        self.recorded_before = len(progress.loss_curve)
        self.open = False

    def run(self):
        X = self.data[0]
        settings, progress, optimizer = self.settings, self.progress, self.optimizer
        grad = primitives(self.params).empty(self.params.shape, self.params)
        order = np.arange(X.shape[0])
        # When one batch holds every row, the order changes only the summation order:
        # it is drawn all the same, so the rng's later draws stay MLPClassifier's.
        gathers = settings.shuffle and X.shape[0] > settings.batch_size
        buffers = batch_buffers(self.data, settings.batch_size) if gathers else None
        for epoch in range(1, settings.max_epochs + 1):
            self.open = True
            self.hooks.begin()
            if settings.shuffle:
                # in place: the same draws, and the same order, as order[shuffled arange]
                self.rng.shuffle(order)
            loss = float(run_epoch(self.network, self.params, grad, optimizer, *self.data,
                                   order if gathers else None, settings, buffers))
            diverged = self._record(epoch, loss)
            self.open = False
            if self.hooks.end(self.params):
                return EpochsEnd(epoch, "callback")
            if diverged:
                return EpochsEnd(epoch, "diverged")
            if progress.no_improvement_count > settings.n_iter_no_change:
                stop, action = optimizer.trigger_stopping()
                _report_stall(settings, progress.judge_on_validation, action)
                if stop:
                    return EpochsEnd(epoch, "converged")
                progress.no_improvement_count = 0
        return EpochsEnd(settings.max_epochs, "max_epochs")

    def _record(self, epoch, loss):
        """Check, record and report an epoch's loss; True if training diverged.

        A diverged epoch raises ``Diverged``, except under early stopping with
        best weights to go back to: there it is recorded, with a validation
        score and loss of NaN (a diverged network has none), as
        MLPClassifier records it.
        """
        progress = self.progress
        try:
            check_divergence(epoch, loss, None,
                             progress.loss_curve[0] if progress.loss_curve else loss)
        except Diverged:
            if progress.best_params is None:
                raise
            scores, diverged = (math.nan, math.nan), True
        else:
            scores = None if self.validation is None else self.validation(self.params)
            diverged = False
        progress.samples_seen += self.data[0].shape[0]
        progress.record(loss, self.params, self.settings.tol, scores)
        _report_epoch(self.settings.verbose, epoch, loss, scores)
        self.optimizer.iteration_ends(progress.samples_seen)
        return diverged


def _report_epoch(verbose, iteration, loss, validation):
    if verbose:
        print(f"Iteration {iteration}, loss = {loss:.8f}")
        if validation is not None:
            print(f"Validation score: {validation[0]:f}")


def _report_stall(settings, on_validation, action):
    if settings.verbose:
        what = "Validation score" if on_validation else "Training loss"
        print(f"{what} did not improve more than tol={settings.tol:f} "
              f"for {settings.n_iter_no_change} consecutive epochs. {action}")


@dataclass
class LbfgsResult:
    """Outcome of ``minimize_lbfgs``: SciPy's ``status`` and ``message``, and whether
    it ``finished`` (converged, or a hook stopped it)."""

    loss: float
    n_iter: int
    finished: bool
    status: int
    message: str


@cache
def _scipy_own_blas():
    """threadpoolctl handle on the BLAS libraries inside SciPy's installation, or None.

    SciPy's wheels bundle an OpenBLAS of their own, separate from NumPy's.
    L-BFGS-B calls it for small vector operations, where waking a second
    thread costs more than the work: on digits with 100 hidden units, one
    thread there made the whole lbfgs fit 3.4 times faster. When SciPy and
    NumPy share one BLAS (as in conda), limiting it would slow the network's
    matrix products too, so nothing is selected.
    """
    scipy_home = os.path.dirname(scipy.__file__)
    controller = ThreadpoolController()
    own = [library.filepath for library in controller.lib_controllers
           if library.user_api == "blas" and library.filepath.startswith(scipy_home)]
    return controller.select(filepath=own) if own else None


def _one_thread_for_scipy_blas():
    """SciPy's own BLAS on one thread inside the block, for a fit on the main thread.

    OpenBLAS (0.3.30 measured) does not reliably apply a thread count set
    from any other thread: such a limit may not take, and its restore may
    not either, which left the process on one thread after concurrent fits
    (GridSearchCV with the threading backend). So a fit on another thread
    leaves SciPy's BLAS as it is, and each limit is restored by the thread
    that set it; nested fits restore in order, as threadpoolctl's limits do.
    """
    own = _scipy_own_blas()
    if own is None or threading.current_thread() is not threading.main_thread():
        return nullcontext()
    return own.limit(limits=1)


def minimize_lbfgs(network, params, data, settings, max_fun, progress, validation=None,
                   hooks=None):
    """Minimise the full-batch loss with SciPy's L-BFGS-B; ``params`` is updated.

    SciPy works in float64; the network computes in the dtype of ``params``.
    Each iteration is recorded in ``progress`` with the loss of the point it
    ended on (L-BFGS-B ends every iteration on the point its line search
    evaluated last). ``settings`` gives ``max_epochs`` (the iteration limit),
    ``alpha``, ``tol`` (the gradient tolerance) and ``verbose``; ``validation``
    and ``hooks`` are as in ``train_epochs``, an iteration standing for an
    epoch. A hook's ``begin`` comes with the iteration's first evaluation.
    """
    X, target, sample_weight = data
    hooks = hooks or EpochHooks()
    ops = primitives(params)
    grad = ops.empty(params.shape, params)
    last_loss = []
    state = {"in_iteration": False, "stopped": False}
    start = len(progress.loss_curve)

    def loss_and_gradient(vector):
        if not state["in_iteration"]:
            hooks.begin()
            state["in_iteration"] = True
        ops.assign_from_host(params, vector)
        loss = float(network.loss_gradient(params, X, target, sample_weight, settings.alpha,
                                           grad))
        last_loss[:] = [loss]
        return loss, ops.to_numpy(grad).astype(np.float64)

    def end_of_iteration(vector):
        ops.assign_from_host(params, vector)
        scores = None if validation is None else validation(params)
        progress.record(last_loss[0], params, settings.tol, scores)
        _report_epoch(settings.verbose, len(progress.loss_curve) - start, last_loss[0], scores)
        state["in_iteration"] = False
        if hooks.end(params):
            state["stopped"] = True
            raise StopIteration

    with _one_thread_for_scipy_blas():
        result = scipy.optimize.minimize(
            loss_and_gradient, ops.to_numpy(params).astype(np.float64), method="L-BFGS-B",
            jac=True,
            callback=end_of_iteration,
            options={"maxiter": settings.max_epochs, "maxfun": max_fun,
                     "gtol": settings.tol},
        )
    if state["in_iteration"]:
        hooks.end(None)
    ops.assign_from_host(params, result.x)
    n_iter = len(progress.loss_curve) - start
    return LbfgsResult(float(result.fun), n_iter, result.status == 0 or state["stopped"],
                       int(result.status), str(result.message))
