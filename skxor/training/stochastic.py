"""The stochastic solvers: epochs of mini-batches under an update rule (sgd, adam...).

``StochasticSolver`` is the solver registry's entry of every update rule: it
checks the step sizes, settles each fit's epoch settings (batch size, epoch
limit, dropout), trains one start (``train``) and words its warnings and its
divergence remedy. ``train_epochs`` is the epoch loop: shuffle, mini-batches,
records, the no-improvement rule and the callbacks' hooks. It asks the data
for the rows each epoch visits (``data.epoch_rows``): one block in memory,
one per chunk on a Dask cluster.
"""

import copy
import dataclasses
import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..network.dropout import Dropout
from ..network.primitives import primitives
from ..utils._warnings import warn
from .progress import Diverged, EpochHooks, TrainingRun, check_divergence, report_epoch
from .stochastic_parameters import STOCHASTIC_PARAMETERS
from .update_rules import UPDATE_RULES, Controls, new_update_rule


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
    dask_training: str = "stream"
    """How a dask X trains: streamed to the client, or ``"data_parallel"`` on the workers."""


class StochasticSolver:
    """Every update rule of ``UPDATE_RULES`` (sgd, adam...), for the solver registry.

    Parameters
    ----------
    config : FitConfig
    """

    task_name = "epoch"
    uses_early_stopping = True
    trains_incrementally = True
    has_learning_rate = True
    parameters = STOCHASTIC_PARAMETERS

    def __init__(self, config):
        UPDATE_RULES[config.solver].check(config)
        if config.warmup and config.warmup >= config.max_iter:
            raise ValueError(f"warmup={config.warmup} must be less than max_iter="
                             f"{config.max_iter}: the rate ramps up within the scheduled "
                             "epochs.")
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
        names = (list(UPDATE_RULES[config.solver].step_sizes)
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
            interruptible=self.interruptible, dask_training=config.dask_training)

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
        network = training.network
        if training.update_rule is not None:
            update_rule = copy.deepcopy(training.update_rule)
            update_rule.continue_under(Controls.of(self.config, network, training.params))
        else:
            update_rule = new_update_rule(training.params, self.config, network)
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
    update_rule : UpdateRule
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
        self.rows = training.data.epoch_rows(settings)
        # Rows either come to the client in blocks, or stay where they are and hand back
        # each step's gradient (Dask's data-parallel training): the rows object says which.
        self.train_block = self._train_steps if self.rows.steps_elsewhere else self._train_block
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
                total_loss += self.train_block(block, grad)
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

    def _train_steps(self, batches, grad):
        """One epoch of global mini-batches computed elsewhere (Dask's data-parallel
        ``SharedBatches``); return its loss summed over rows. A batch that weighs
        nothing is skipped, as in ``_train_block``."""
        network, params = self.training.network, self.training.params
        total_loss = 0.0
        for step in range(batches.n_steps):
            loss = batches.loss_gradient(network, params, step, self.settings.alpha, grad)
            if loss is None:
                self.update_rule.skip_step()
                continue
            self.update_rule.update(params, grad)
            total_loss += loss * batches.step_rows(step)
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


def _weighs_something(weights, order, rows):
    """Whether the batch ``rows`` of this epoch's ``order`` has a positive weight."""
    return bool(weights[rows if order is None else order[rows]].any())


def _report_stall(settings, on_validation, action):
    if settings.verbose:
        what = "Validation score" if on_validation else "Training loss"
        print(f"{what} did not improve more than tol={settings.tol:f} "
              f"for {settings.n_iter_no_change} consecutive epochs. {action}")
