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
from ._training import (
    Diverged,
    EpochHooks,
    TrainingRun,
    check_divergence,
    in_memory,
    report_epoch,
)
from ._update_rules import Controls, new_update_rule
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
    has_learning_rate = True

    def __init__(self, config):
        _check_schedule(config)
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
        config = self.config
        names = (["learning_rate_init"] + (["epsilon"] if config.solver == "adam" else [])
                 + (["max_grad_norm"] if config.max_grad_norm is not None else []))
        where = "the dtype parameter" if config.dtype else "X's dtype"
        for name in names:
            value = getattr(config, name)
            if dtype.type(value) == 0:
                raise ValueError(
                    f"{name}={value!r} is 0 in {dtype.name}, the dtype training computes "
                    f"in ({where}; its smallest positive number is "
                    f"{np.finfo(dtype).smallest_subnormal:.3g}). Use a larger {name}, "
                    "or train in float64 (dtype='float64').")

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
        n_weights = training.network.n_coef_params
        if training.update_rule is not None:
            update_rule = copy.deepcopy(training.update_rule)
            update_rule.continue_under(Controls.of(self.config, n_weights))
        else:
            update_rule = new_update_rule(training.params, self.config, n_weights)
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


def _check_schedule(config):
    """Refuse ``lr_schedule`` and ``warmup`` where they cannot mean what they say.

    sgd's ``learning_rate`` schedules its rate itself unless it is
    ``"constant"``: two schedules of one rate would contradict each other.
    A warmup must end within the ``max_iter`` epochs that a schedule spans.
    """
    scheduled = config.lr_schedule is not None or config.warmup
    if scheduled and config.solver == "sgd" and config.learning_rate != "constant":
        raise ValueError(
            f"lr_schedule={config.lr_schedule!r} with warmup={config.warmup} and "
            f"learning_rate={config.learning_rate!r} would schedule sgd's rate twice. Set "
            "learning_rate='constant' to use lr_schedule or warmup, or lr_schedule=None "
            "and warmup=0 to use learning_rate's schedule.")
    if config.warmup and config.warmup >= config.max_iter:
        raise ValueError(f"warmup={config.warmup} must be less than max_iter="
                         f"{config.max_iter}: the rate ramps up within the scheduled epochs.")


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
    finally:
        epochs.rows.close()


class _Epochs:
    """The epoch loop of ``train_epochs``; ``open`` while an epoch's hooks await its end."""

    def __init__(self, training, update_rule, settings):
        self.training, self.update_rule, self.settings = training, update_rule, settings
        self.hooks = training.hooks or EpochHooks()
        self.recorded_before = len(training.progress.loss_curve)
        self.open = False
        self.rows = epoch_rows(training.data, settings)
        self.shown_rate = None

    def run(self):
        training, settings, update_rule = self.training, self.settings, self.update_rule
        params, progress = training.params, training.progress
        grad = primitives(params).empty(params.shape, params)
        for epoch in range(1, settings.max_epochs + 1):
            self.open = True
            self.hooks.begin()
            rate = self._begin_rate()
            total_loss = 0.0
            for block in self.rows.blocks(training.rng):
                total_loss += self._train_block(block, grad)
            diverged = self._record(epoch, float(total_loss / self.rows.n_rows), rate)
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

    def _begin_rate(self):
        """Start the update rule's epoch; its first rate, shown by ``verbose`` as it changes.

        Only a scheduled rate is shown (sgd's own schedules print what
        MLPClassifier prints, and nothing more).
        """
        self.update_rule.begin_epoch(self.rows.n_batches)
        rate = self.update_rule.next_rate()
        schedule = self.update_rule.controls.schedule
        if schedule is None:
            return rate
        if schedule.spent:
            warn(f"lr_schedule='cosine' annealed the learning rate to 0 over max_iter="
                 f"{schedule.horizon} epochs, so epoch {schedule.epoch + 1} does not move "
                 "the weights. Set max_iter to the number of epochs partial_fit will train.")
        if self.settings.verbose and rate != self.shown_rate:
            print(f"Learning rate: {rate:.6g}")
            self.shown_rate = rate
        return rate

    def _train_block(self, block, grad):
        """One pass over a ``RowBlock`` in mini-batches; return its loss summed over rows.

        A batch whose sample weights are all zero is skipped: no update, and a
        loss of 0 in the sum. (The full data's weights never all are zero: the
        estimator refuses that before training.) That is decided on the
        block's host copy of the weights, so that arrays on a device are never
        read back inside the epoch: the epoch's loss accumulates there too.
        """
        network, params = self.training.network, self.training.params
        X, target, sample_weight = block.data
        settings, update_rule = self.settings, self.update_rule
        n_samples, order, dropout = X.shape[0], block.order, settings.dropout
        if order is None and settings.batch_size >= n_samples:
            masks = None if dropout is None else dropout.batch(n_samples, params)
            loss = network.loss_gradient(params, block.data, settings.alpha, grad,
                                         dropout=masks)
            update_rule.update(params, grad)
            return loss * n_samples
        ops = primitives(params)
        arrays = [X, target] + ([] if sample_weight is None else [sample_weight])
        buffers = block.buffers or [None] * len(arrays)
        rows_order = None if order is None else ops.index_rows(order, X)
        total_loss = 0.0
        for start in range(0, n_samples, settings.batch_size):
            rows = slice(start, min(start + settings.batch_size, n_samples))
            if block.weight_on_host is not None and not _weighs_something(
                    block.weight_on_host, order, rows):
                update_rule.skip_step()  # no update, and it adds 0 to the epoch's loss
                continue
            index = rows if order is None else rows_order[rows]
            batch = [ops.take_rows(array, index, buffer)
                     for array, buffer in zip(arrays, buffers, strict=True)]
            batch_weight = batch[2] if sample_weight is not None else None
            masks = None if dropout is None else dropout.batch(rows.stop - rows.start, params)
            loss = network.loss_gradient(params, (batch[0], batch[1], batch_weight),
                                         settings.alpha, grad, dropout=masks)
            update_rule.update(params, grad)
            total_loss += loss * (rows.stop - rows.start)
        return total_loss

    def _record(self, epoch, loss, rate):
        """Check, record and report an epoch's loss (and first ``rate``); True if it diverged.

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
        progress.samples_seen += self.rows.n_rows
        progress.learning_rate_curve.append(rate)
        progress.record(loss, training.params, self.settings.tol, scores)
        report_epoch(self.settings.verbose, epoch, loss, scores)
        self.update_rule.iteration_ends(progress.samples_seen)
        return diverged


class RowBlock(NamedTuple):
    """Rows that an epoch trains on in one pass of mini-batches.

    ``data`` is ``(X, target, sample_weight)``; ``order`` the order to visit
    its rows in (NumPy indices), or None for the data's own; ``weight_on_host``
    a NumPy copy of the weights when some are zero, else None; ``buffers``
    reusable batches (``batch_buffers``) for gathering rows in ``order``, or None.
    """

    data: tuple
    order: object
    weight_on_host: object
    buffers: object


def epoch_rows(data, settings):
    """What each epoch visits: in-memory data as one block, or a streamed source's blocks.

    A source other than the ``(X, target, sample_weight)`` tuple (a dask
    fit's chunks) offers ``streamed(settings)``: an object with ``n_rows``,
    ``n_batches`` (the batches of an epoch), ``blocks(rng)`` and ``close()``,
    as ``InMemoryRows`` has.
    """
    return InMemoryRows(data, settings) if in_memory(data) else data.streamed(settings)


class InMemoryRows:
    """In-memory data, which every epoch visits as one block in a freshly shuffled order.

    The order is shuffled in place, with the same draws (and the same order)
    as ``order[rng.permutation(n)]`` in MLPClassifier. When one batch holds
    every row, the order changes only the summation order: it is drawn all
    the same, so that the generator's later draws stay MLPClassifier's.

    A shuffled batch is gathered into buffers made once per start and reused
    by every epoch: half the time of gathering a shuffled copy of the whole
    data set (measured on 20000 x 100), which also cost a copy's worth of
    peak memory, and the rows land in cache just before they are used. The
    host copy of the weights is made once too: arrays on a device are not
    read back inside the training loop.
    """

    def __init__(self, data, settings):
        self.shuffle = settings.shuffle
        self.n_rows = data[0].shape[0]
        self.n_batches = math.ceil(self.n_rows / settings.batch_size)
        self.order = np.arange(self.n_rows)
        gathers = settings.shuffle and self.n_rows > settings.batch_size
        buffers = batch_buffers(data, settings.batch_size) if gathers else None
        self._blocks = (RowBlock(data, self.order if gathers else None,
                                 weights_if_some_zero(data[2]), buffers),)

    def blocks(self, rng):
        """This epoch's one block, its order drawn from ``rng`` when shuffling."""
        if self.shuffle:
            rng.shuffle(self.order)
        return self._blocks

    def close(self):
        """Nothing to stop: the rows were in memory all along."""


def weights_if_some_zero(sample_weight):
    """A NumPy copy of ``sample_weight`` if any weight is zero, else None."""
    weights = to_numpy(sample_weight)
    return None if weights is None or weights.all() else weights


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
