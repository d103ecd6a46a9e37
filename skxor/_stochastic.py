"""The stochastic solvers, sgd and adam: epochs of mini-batches under an update rule.

``StochasticSolver`` is their entry in the solver registry: it checks the
step sizes, settles each fit's epoch settings (batch size, epoch limit,
dropout), trains one start (``train``) and words its warnings and its
divergence remedy. ``train_epochs`` is the epoch loop: shuffle, mini-batches,
records, the no-improvement rule and the callbacks' hooks.
"""

import copy
import dataclasses
import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ._dropout import Dropout
from ._primitives import primitives, to_numpy
from ._training import Diverged, EpochHooks, TrainingRun, check_divergence, report_epoch
from ._update_rules import new_update_rule
from ._warnings import warn


@dataclass
class EpochSettings:
    """The epoch loop's knobs for one fit of a stochastic solver."""

    max_epochs: int
    alpha: float
    tol: float
    verbose: bool
    batch_size: int
    shuffle: bool
    n_iter_no_change: float
    interruptible: bool
    dropout: object = None
    """A ``Dropout`` that draws each batch's masks, or None."""


class StochasticSolver:
    """sgd and adam, for the solver registry.

    Parameters
    ----------
    config : FitConfig
    """

    task_name = "epoch"
    uses_early_stopping = True
    trains_incrementally = True

    def __init__(self, config):
        self.config = config

    @property
    def max_epochs(self):
        """Most epochs one start of this fit runs: one for ``partial_fit``."""
        return 1 if self.config.incremental else self.config.max_iter

    @property
    def interruptible(self):
        """Ctrl-C ends a ``fit`` with the model so far, as in MLPClassifier; not ``partial_fit``."""
        return not self.config.incremental

    def check_dtype(self, dtype):
        """The step-size parameters must stay positive in ``dtype``, where training computes.

        A value below the smallest positive number rounds to 0: an Adam
        ``epsilon`` of 1e-50 in float32 divides by zero, a learning rate of 0
        trains nothing.
        """
        names = ["learning_rate_init"] + (["epsilon"] if self.config.solver == "adam" else [])
        for name in names:
            value = getattr(self.config, name)
            if dtype.type(value) == 0:
                raise ValueError(
                    f"{name}={value!r} is 0 in {dtype.name}, the dtype of X that training "
                    f"computes in (its smallest positive number is "
                    f"{np.finfo(dtype).smallest_subnormal:.3g}). Use a larger {name}, "
                    "or float64 X.")

    def settings(self, n_train):
        """The epoch loop's settings for a fit on ``n_train`` rows."""
        config = self.config
        return EpochSettings(
            max_epochs=self.max_epochs, alpha=config.alpha, tol=config.tol,
            verbose=config.verbose, batch_size=self._batch_size(n_train),
            shuffle=config.shuffle, n_iter_no_change=config.n_iter_no_change,
            interruptible=self.interruptible)

    def _batch_size(self, n_samples):
        if self.config.batch_size == "auto":
            return min(200, n_samples)
        if self.config.batch_size > n_samples:
            warn("Got `batch_size` less than 1 or larger than sample size. It is "
                 "going to be clipped")
        return min(self.config.batch_size, n_samples)

    def train(self, training, settings):
        """Train ``training.params`` in place from one start; return the ``TrainingRun``."""
        settings = self._with_dropout(settings, training)
        if training.update_rule is not None:
            update_rule = copy.deepcopy(training.update_rule)
        else:
            update_rule = new_update_rule(training.params, self.config)
        end = train_epochs(training, update_rule, settings)
        progress, params = training.progress, training.params
        if progress.best_params is not None:
            params[...] = progress.best_params
        loss = progress.loss_curve[-1] if progress.loss_curve else None
        return TrainingRun(params, loss, end.epochs, self._unconverged(end, loss, progress),
                           progress, update_rule, interrupted=end.reason == "interrupted",
                           diverged=end.reason == "diverged")

    def _unconverged(self, end, loss, progress):
        """The ConvergenceWarning's words for how the epochs ended, or None."""
        if end.reason == "diverged":
            return (f"{self.divergence_message(Diverged(end.epochs, loss))} Early "
                    "stopping kept the weights of the best validation score, "
                    f"{progress.best_validation_score:.6g}.")
        if end.reason == "max_epochs" and not self.config.incremental:
            return (f"Stochastic Optimizer: Maximum iterations ({self.config.max_iter}) "
                    "reached and the optimization hasn't converged yet.")
        return None

    def _with_dropout(self, settings, training):
        """``settings`` with a ``Dropout`` seeded from the start's rng, when any rate is set.

        Without dropout nothing is drawn, so the rng's other draws (the
        shuffles) stay MLPClassifier's.
        """
        rates = self.config.dropout_rates
        if not any(rates):
            return settings
        seed = training.rng.randint(np.iinfo(np.int32).max)
        dropout = Dropout(rates, training.network.layer_sizes[1:-1], seed)
        return dataclasses.replace(settings, dropout=dropout)

    def divergence_message(self, divergence):
        """What diverged, and the remedy: a lower learning rate, or scaled X."""
        return divergence.worded(
            f"Training diverged at epoch {divergence.epoch}: the loss reached "
            f"{divergence.loss:.3g}. Lower learning_rate_init (now "
            f"{self.config.learning_rate_init}) or scale X, for example with StandardScaler.")


class EpochsEnd(NamedTuple):
    """How ``train_epochs`` ended: epochs run, and why it stopped.

    ``reason`` is ``"converged"`` (the stopping rule), ``"callback"`` (a hook
    asked to stop), ``"max_epochs"``, ``"diverged"`` (under early stopping,
    see ``_Epochs._record``) or ``"interrupted"`` (Ctrl-C, when the settings
    allow it; ``epochs`` then counts the completed epochs only).
    """

    epochs: int
    reason: str


def train_epochs(training, update_rule, settings):
    """Run up to ``settings.max_epochs`` epochs of ``training``; return an ``EpochsEnd``.

    Parameters
    ----------
    training : Training
        Its ``params`` and ``progress`` are updated in place; its ``rng``
        draws each epoch's shuffle; its ``hooks`` are told of each epoch and
        stop training when their ``end`` returns True.
    update_rule : SGD or Adam
    settings : EpochSettings
        With ``interruptible``, a ``KeyboardInterrupt`` ends training after
        the last completed epoch instead of propagating.

    Returns
    -------
    EpochsEnd
    """
    epochs = _Epochs(training, update_rule, settings)
    try:
        return epochs.run()
    except KeyboardInterrupt:
        if not settings.interruptible:
            raise
        if epochs.open:
            epochs.hooks.end(None)
        return EpochsEnd(len(training.progress.loss_curve) - epochs.recorded_before,
                         "interrupted")


class _Epochs:
    """The epoch loop of ``train_epochs``; ``open`` while an epoch's hooks await its end."""

    def __init__(self, training, update_rule, settings):
        self.training, self.update_rule, self.settings = training, update_rule, settings
        self.hooks = training.hooks or EpochHooks()
        self.recorded_before = len(training.progress.loss_curve)
        self.open = False
        # a host copy of the weights, made once: arrays on a device are not read back
        # inside the training loop (the zero-weight batch test reads this copy, and
        # is skipped where no weight is zero)
        weights = to_numpy(training.data[2])
        self.weight_on_host = None if weights is None or weights.all() else weights

    def run(self):
        training, settings, update_rule = self.training, self.settings, self.update_rule
        X, params, progress = training.data[0], training.params, training.progress
        grad = primitives(params).empty(params.shape, params)
        order = np.arange(X.shape[0])
        # When one batch holds every row, the order changes only the summation order:
        # it is drawn all the same, so the rng's later draws stay MLPClassifier's.
        gathers = settings.shuffle and X.shape[0] > settings.batch_size
        buffers = batch_buffers(training.data, settings.batch_size) if gathers else None
        for epoch in range(1, settings.max_epochs + 1):
            self.open = True
            self.hooks.begin()
            if settings.shuffle:
                # in place: the same draws, and the same order, as order[shuffled arange]
                training.rng.shuffle(order)
            loss = float(self._run_epoch(grad, order if gathers else None, buffers))
            diverged = self._record(epoch, loss)
            self.open = False
            stop = self.hooks.end(params)
            if diverged:  # a callback's stop must not hide it
                return EpochsEnd(epoch, "diverged")
            if stop:
                return EpochsEnd(epoch, "callback")
            if progress.no_improvement_count > settings.n_iter_no_change:
                stop, action = update_rule.trigger_stopping()
                _report_stall(settings, progress.judge_on_validation, action)
                if stop:
                    return EpochsEnd(epoch, "converged")
                progress.no_improvement_count = 0
        return EpochsEnd(settings.max_epochs, "max_epochs")

    def _run_epoch(self, grad, order, buffers):
        """One pass over the data in mini-batches; return the mean batch loss.

        A batch whose sample weights are all zero is skipped: no update, and a
        loss of 0 in the mean. (The full data's weights never all are zero: the
        estimator refuses that before training.) That is decided on the host
        copy of the weights, made once per start, so that arrays on a device are
        never read back inside the epoch: the epoch's loss accumulates there too.

        ``order`` is the sample order of this epoch, or None to keep the data's.
        A shuffled batch is gathered into ``buffers`` (from ``batch_buffers``,
        made once per start and reused by every epoch): half the time of gathering
        a shuffled copy of the whole data set (measured on 20000 x 100), which
        also cost a copy's worth of peak memory, and the rows land in cache just
        before they are used.
        """
        network, params, data = self.training.network, self.training.params, self.training.data
        X, target, sample_weight = data
        settings, update_rule = self.settings, self.update_rule
        n_samples = X.shape[0]
        dropout = settings.dropout
        if order is None and settings.batch_size >= n_samples:
            masks = None if dropout is None else dropout.batch(n_samples, params)
            loss = network.loss_gradient(params, data, settings.alpha, grad, dropout=masks)
            update_rule.update(params, grad)
            # rounded exactly as the batched mean below, so the stopping rule agrees
            return loss * n_samples / n_samples
        ops = primitives(params)
        arrays = [X, target] + ([] if sample_weight is None else [sample_weight])
        buffers = buffers or [None] * len(arrays)
        weight_on_host = self.weight_on_host
        rows_order = None if order is None else ops.index_rows(order, X)
        total_loss = 0.0
        for start in range(0, n_samples, settings.batch_size):
            rows = slice(start, min(start + settings.batch_size, n_samples))
            if weight_on_host is not None and not _weighs_something(weight_on_host, order,
                                                                    rows):
                continue  # no update, and it adds 0 to the epoch's loss
            index = rows if order is None else rows_order[rows]
            batch = [ops.take_rows(array, index, buffer)
                     for array, buffer in zip(arrays, buffers, strict=True)]
            batch_weight = batch[2] if sample_weight is not None else None
            masks = None if dropout is None else dropout.batch(rows.stop - rows.start, params)
            loss = network.loss_gradient(params, (batch[0], batch[1], batch_weight),
                                         settings.alpha, grad, dropout=masks)
            update_rule.update(params, grad)
            total_loss += loss * (rows.stop - rows.start)
        return total_loss / n_samples

    def _record(self, epoch, loss):
        """Check, record and report an epoch's loss; True if training diverged.

        A diverged epoch raises ``Diverged``, except under early stopping with
        best weights to go back to: there it is recorded, with a validation
        score and loss of NaN (a diverged network has none), as
        MLPClassifier records it.
        """
        training = self.training
        progress = training.progress
        try:
            check_divergence(epoch, loss, None,
                             progress.loss_curve[0] if progress.loss_curve else loss)
        except Diverged:
            if progress.best_params is None:
                raise
            scores, diverged = (math.nan, math.nan), True
        else:
            scores = None if training.validation is None else training.validation(
                training.params)
            diverged = False
        progress.samples_seen += training.data[0].shape[0]
        progress.record(loss, training.params, self.settings.tol, scores)
        report_epoch(self.settings.verbose, epoch, loss, scores)
        self.update_rule.iteration_ends(progress.samples_seen)
        return diverged


def batch_buffers(data, batch_size):
    """One reusable batch of rows per array of ``data``; None for sparse ones."""
    return [primitives(array).batch_buffer(array, batch_size)
            for array in data if array is not None]


def _weighs_something(weights, order, rows):
    """Whether the batch ``rows`` of this epoch's ``order`` has a positive weight."""
    return bool(weights[rows if order is None else order[rows]].any())


def _report_stall(settings, on_validation, action):
    if settings.verbose:
        what = "Validation score" if on_validation else "Training loss"
        print(f"{what} did not improve more than tol={settings.tol:f} "
              f"for {settings.n_iter_no_change} consecutive epochs. {action}")
