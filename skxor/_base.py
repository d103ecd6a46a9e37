"""What the scikit-learn faces of the core share: the training orchestration.

``BaseMLP`` validates parameters and data once, picks the solver, trains from
each random start, keeps validation sets and records, drives scikit-learn's
callbacks, and rolls a failed fit back. A face (``MLPBackpropClassifier``)
subclasses it with what is its own: how targets are encoded and checked, the
output activation, and the public methods with their documentation.
"""

import copy
import dataclasses
import functools
import math
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import get_scorer
from sklearn.utils import check_random_state
from sklearn.utils.validation import validate_data

from ._callbacks import CallbackSupportMixin, FitTasks
from ._checks import check_starting_weights, naming_non_numeric_X, validated_sample_weight
from ._constants import numpy_dtype
from ._dropout import Dropout
from ._init import initialize
from ._network import Network
from ._params import validate_params
from ._placement import Placement, float_dtypes, placement_of, put
from ._primitives import primitives, to_numpy
from ._solvers import (
    SGD,
    Adam,
    Diverged,
    EpochSettings,
    Progress,
    check_divergence,
    minimize_lbfgs,
    train_epochs,
)
from ._validation import ValidationSet, split_off
from ._warnings import warn

STATE_FORMAT = 2
"""Layout of the pickled state; raise it when the fitted attributes change shape."""

CALLBACK_STATE = ("_skl_callbacks", "_skl_callbacks_to_teardown", "_callback_fit_ctx",
                  "_parent_callback_ctx")
"""Attributes through which scikit-learn's callbacks reach this one estimator object."""


def rolls_back_on_failure(method):
    """Make ``method`` leave the estimator exactly as it was if it raises.

    Outermost on ``fit`` and ``partial_fit``, around scikit-learn's callback
    wrapper, so a callback whose ``teardown`` raises after training rolls
    the fit back too. Training never writes into the arrays the estimator
    held before: it trains a fresh flat vector.
    """
    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        saved_state = dict(self.__dict__)
        try:
            return method(self, *args, **kwargs)
        except BaseException:
            self.__dict__ = saved_state
            raise

    return guarded


def has_stochastic_solver(estimator):
    """``available_if`` check of ``partial_fit``: only sgd and adam train incrementally."""
    if estimator.solver not in ("sgd", "adam"):
        raise AttributeError(
            "partial_fit is only available for stochastic optimizers. "
            f"{estimator.solver} is not stochastic.")
    return True


class BaseMLP(CallbackSupportMixin, BaseEstimator):
    """Training orchestration shared by the estimators; not for direct use.

    Subclasses store their parameters in ``__init__``, define ``fit`` and
    ``partial_fit`` (decorated with ``rolls_back_on_failure`` outermost, then
    scikit-learn's ``with_callbacks``) and the target hooks below.
    """

    _ENCODED_MARK = None
    """Name of the face's fitted attribute that shows a fit has encoded targets."""

    _NETWORK_LOSSES = {}
    """The face's ``loss`` values, each to the name the network knows the loss by."""

    _Y_NUMERIC = False
    """Whether y must be numeric (a regressor's), as ``validate_data`` checks."""

    _STRATIFIED_SPLIT = False
    """Whether the early-stopping split is stratified (a classifier's, as in scikit-learn)."""

    def __getstate__(self):
        """A copy of the state, without callbacks: pickles and copies carry none.

        A callback belongs to the live estimator it was set on. Copies
        (including the ``fitted_estimator`` that callbacks are shown at each
        epoch) and pickles leave it out, so a callback that keeps copies does
        not make each one hold all the earlier ones, and a callback that holds
        a file does not make the model unpicklable. Set callbacks again on a
        loaded model.
        """
        state = {name: value for name, value in super().__getstate__().items()
                 if name not in CALLBACK_STATE}
        state["_skxor_state_format"] = STATE_FORMAT
        return state

    def __setstate__(self, state):
        state = dict(state)
        found = state.pop("_skxor_state_format", None)
        if found != STATE_FORMAT:
            raise ValueError(
                f"This {type(self).__name__} was saved with state format {found}, "
                f"but this skxor reads format {STATE_FORMAT} only. Load it with the "
                "skxor version that saved it, and refit or re-save it from there.")
        super().__setstate__(state)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.array_api_support = True
        return tags

    def _network_loss(self):
        """The loss the network trains on: a ``LOSSES`` key, or a loss object."""
        return self._NETWORK_LOSSES[self.loss]

    def _hidden_sizes(self):
        sizes = self.hidden_layer_sizes
        return [sizes] if np.ndim(sizes) == 0 else list(sizes)

    def _encoded_targets(self, y, dtype, resume, incremental, classes):
        """``(encoder, labels, target)``: the face's encoding of validated ``y``.

        ``target`` is what the network trains on, of shape (n_samples,
        n_outputs) in ``dtype``; ``labels`` is the validated ``y`` it encodes.
        """
        raise NotImplementedError

    def _output_activation(self, encoder):
        """Name of the output layer's activation for targets encoded by ``encoder``."""
        raise NotImplementedError

    def _encoder_attributes(self, encoder, placement):
        """The face's fitted attributes that come from its encoder.

        ``placement`` is where y lived (under array API dispatch), or None.
        """
        raise NotImplementedError

    def _validation_target(self, encoder, y_val, dtype):
        """``(labels, target)`` of a user's validation set, checked against the fit's."""
        raise NotImplementedError

    def _validation_score(self, network):
        """The face's default metric: ``score(output, target, sample_weight)`` on NumPy arrays."""
        raise NotImplementedError

    def _validation_scorer(self, problem):
        """``score(validation_set, params, output, loss)`` by ``scoring`` (see ValidationSet).

        None is the face's metric (accuracy, R²), as in scikit-learn; ``"loss"``
        the validation loss, negated so that larger is better; a scorer name
        or callable scores a copy of this estimator holding ``params``.
        """
        if self.scoring is None:
            metric = self._validation_score(problem.network)
            return lambda validation, params, output, loss: metric(
                output, validation.host_target, validation.host_weight)
        if self.scoring == "loss":
            return lambda validation, params, output, loss: -loss
        scorer = self.scoring if callable(self.scoring) else get_scorer(self.scoring)
        weighs = not callable(self.scoring)  # scikit-learn's scorers take sample_weight

        def score(validation, params, output, loss):
            estimator = copy.copy(self)
            estimator.__dict__.update(self._fitted_attributes(problem, params))
            extra = ({} if not weighs or validation.host_weight is None
                     else {"sample_weight": validation.host_weight})
            return float(scorer(estimator, validation.X, validation.labels, **extra))

        return score

    def _fit(self, X, y, sample_weight, incremental, classes=None, validation_data=None):
        """Train, and warn as MLPClassifier does; ``rolls_back_on_failure`` guards it."""
        validate_params(self.get_params(deep=False), type(self).__name__, self._NETWORK_LOSSES)
        if self.solver == "lbfgs" and any(self._dropout_rates()):
            raise ValueError(
                f"dropout={self.dropout!r} needs solver='sgd' or 'adam': L-BFGS minimises "
                "one fixed objective, and dropout draws a different network for every batch.")
        tasks = FitTasks(self, n_starts=1 if self._resumes(incremental) else self.n_init,
                         max_epochs=self._max_epochs(incremental))
        try:
            best, interrupted = self._fit_or_raise(X, y, sample_weight, incremental, classes,
                                                   validation_data, tasks)
        except Diverged as divergence:
            raise ValueError(self._divergence_message(divergence)) from None
        if interrupted:
            warn("Training interrupted by user.")
        elif best.unconverged:
            warn(best.unconverged, ConvergenceWarning)
        return self

    def _divergence_message(self, divergence):
        """What diverged, and the remedy that fits the solver.

        Where the numbers stopped being finite, the message begins with
        scikit-learn's own sentence for non-finite weights.
        """
        if self.solver == "lbfgs":
            message = (f"L-BFGS diverged after {divergence.epoch} iterations: the loss "
                       f"reached {divergence.loss:.3g}. Scale X, for example with "
                       "StandardScaler.")
        else:
            message = (f"Training diverged at epoch {divergence.epoch}: the loss reached "
                       f"{divergence.loss:.3g}. Lower learning_rate_init (now "
                       f"{self.learning_rate_init}) or scale X, for example with "
                       "StandardScaler.")
        if math.isfinite(divergence.loss):
            return message
        return ("Solver produced non-finite parameter weights. The input data may contain "
                f"large values and need to be preprocessed. {message}")

    def _resumes(self, incremental):
        """Whether this fit continues from the fitted weights."""
        return hasattr(self, self._ENCODED_MARK) and (incremental or self.warm_start)

    def _max_epochs(self, incremental):
        """Most epochs (L-BFGS iterations) one start of this fit can run.

        L-BFGS can begin one iteration more than it finishes: the one whose
        line search fails.
        """
        if self.solver == "lbfgs":
            return self.max_iter + 1
        return 1 if incremental else self.max_iter

    def _fit_or_raise(self, X, y, sample_weight, incremental, classes, validation_data,
                      tasks):
        """Validate, train from each random start, then publish the best run.

        Returns
        -------
        best : TrainingRun
            The run the estimator now holds.
        interrupted : bool
        """
        problem = self._training_problem(X, y, sample_weight, incremental, classes)
        self._check_positive_in(numpy_dtype(problem.params.dtype))
        tasks.begin(problem.data[0], problem.labels, problem.data[2])
        data, validation = self._validation_split(problem, validation_data, incremental)
        settings = self._epoch_settings(data[0].shape[0], incremental)
        best, interrupted = self._train_starts(problem, data, validation, settings, tasks,
                                               incremental)
        self.__dict__.update(self._fitted_attributes(problem, best.params))
        self.loss_, self.n_iter_ = best.loss, best.n_iter
        if best.optimizer is not None:
            self._optimizer = best.optimizer
        self._record(best.progress)
        tasks.end()
        return best, interrupted

    def _train_starts(self, problem, data, validation, settings, tasks, incremental):
        """Train from each random start; return the best run and whether Ctrl-C ended it.

        In an interruptible fit, a ``KeyboardInterrupt`` ends the fit with the
        best start trained so far, wherever it lands: inside a start's epoch
        loop (which keeps that start's completed epochs), between two starts,
        or in a callback at a start's end. Before any start is trained, it
        propagates.
        """
        best = None
        for start in range(tasks.n_starts):
            try:
                start_problem = problem if start == 0 else problem.restart(start)
                params = problem.params if start == 0 else self._fresh_params(start_problem)
                start_task = tasks.begin_start()
                hooks = tasks.epoch_hooks(start_task,
                                          lambda p: self._fitted_attributes(problem, p),
                                          "iteration" if self.solver == "lbfgs" else "epoch")
                run = self._train(start_problem, params, data, validation, hooks, settings,
                                  incremental)
                if best is None or run.selection_key() > best.selection_key():
                    best = run
                stop = tasks.end_start(
                    start_task, lambda run=run: self._fitted_attributes(problem, run.params))
            except KeyboardInterrupt:
                if best is None or not settings.interruptible:
                    raise
                return best, True
            if run.interrupted:
                return best, True
            if stop:
                break
        return best, False

    def _check_positive_in(self, dtype):
        """The solver's positive step-size parameters must stay positive in ``dtype``.

        Training computes in X's dtype, where a value below the smallest
        positive number rounds to 0: an Adam ``epsilon`` of 1e-50 in float32
        divides by zero, a learning rate of 0 trains nothing.
        """
        names = {"sgd": ["learning_rate_init"], "adam": ["learning_rate_init", "epsilon"]}
        for name in names.get(self.solver, []):
            value = getattr(self, name)
            if dtype.type(value) == 0:
                raise ValueError(
                    f"{name}={value!r} is 0 in {dtype.name}, the dtype of X that training "
                    f"computes in (its smallest positive number is "
                    f"{np.finfo(dtype).smallest_subnormal:.3g}). Use a larger {name}, "
                    "or float64 X.")

    def _fitted_attributes(self, problem, params):
        """The attributes that make this estimator predict with ``params``."""
        network = problem.network
        coefs, intercepts = network.unpack(params)
        return {
            **self._encoder_attributes(problem.encoder, problem.label_placement),
            "n_outputs_": network.layer_sizes[-1],
            "n_layers_": network.n_layers,
            "out_activation_": network.output_activation,
            "_trained_activation": (self.activation if isinstance(self.activation, str)
                                    else list(self.activation)),
            "coefs_": coefs,
            "intercepts_": intercepts,
        }

    def _fresh_params(self, problem):
        """Starting weights of one more random start, drawn from the fit's rng."""
        params = initialize(problem.network, self.weight_init, self.activation, problem.rng,
                            numpy_dtype(problem.params.dtype))
        return put(problem.placement, params)

    def _train(self, problem, params, data, validation, hooks, settings, incremental):
        """Train ``params`` in place from one start; return the ``TrainingRun``."""
        progress = self._progress(problem.resume, validation)
        if self.solver == "lbfgs":
            run = self._fit_lbfgs(problem.network, params, data, settings, progress,
                                  validation, hooks)
        else:
            run = self._fit_stochastic(problem.network, params, data, settings, progress,
                                       validation, hooks, problem.rng, incremental)
        # The stochastic solvers check every epoch's loss; this checks the final
        # weights, and L-BFGS's loss. A run that diverged under early stopping has
        # gone back to its best weights, away from the loss it diverged with.
        check_divergence(run.n_iter, None if run.diverged else run.loss, params,
                         reference_loss=run.loss or 0.0)
        return run

    def _training_problem(self, X, y, sample_weight, incremental, classes=None):
        """Everything a fit trains on: network, starting parameters, data, rng.

        Validates the data (the caller has validated the parameters) and draws
        (or reads back) the starting weights; it trains nothing.
        ``check_gradients`` uses it too, so it checks exactly the loss that
        ``fit`` minimises.

        Under array API dispatch, y and the sample weights are checked and
        encoded with NumPy, then the targets, weights and starting parameters
        move to X's namespace and device (see ``_placement``).
        """
        if incremental and self.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True: "
                             "there is no held-out set across calls.")
        resume = self._resumes(incremental)
        placement, label_placement = placement_of(X), placement_of(y, "y")
        if placement is not None:
            y, sample_weight = to_numpy(y), to_numpy(sample_weight)
        with naming_non_numeric_X():
            X, y = validate_data(self, X, y, accept_sparse="csr", multi_output=True,
                                 y_numeric=self._Y_NUMERIC, dtype=float_dtypes(placement),
                                 reset=not resume)
        X, dtype = primitives(X).in_row_order(X), numpy_dtype(X.dtype)
        encoder, labels, target = self._encoded_targets(y, dtype, resume, incremental,
                                                        classes)
        sample_weight = self._weights(sample_weight, X, labels, encoder, incremental)
        network = Network([X.shape[1], *self._hidden_sizes(), target.shape[1]],
                          self.activation, self._output_activation(encoder),
                          self._network_loss())
        rng = check_random_state(self.random_state)
        params = self._starting_params(network, rng, dtype, incremental)
        data = (X, put(placement, target), put(placement, sample_weight))
        return TrainingProblem(network, put(placement, params), data, labels, encoder, rng,
                               resume, placement, label_placement,
                               restart_seeds=_peeked_seeds(rng, self.n_init - 1))

    def _weights(self, sample_weight, X, labels, encoder, incremental=False,
                 name="sample_weight"):
        """Per-sample weights in X's dtype, or None; a face may weigh its targets too."""
        return validated_sample_weight(sample_weight, X, name)

    def _validation_split(self, problem, validation_data, incremental):
        """The data to train on and the validation set (None without one).

        ``X_val``/``y_val`` when given; else, with early stopping, a split of
        the training data drawn from the fit's rng.
        """
        if validation_data is not None:
            return problem.data, self._user_validation_set(problem, *validation_data)
        if self.early_stopping and self.solver != "lbfgs" and not incremental:
            return split_off(problem.network, self._validation_scorer(problem), problem.data,
                             problem.rng, self.validation_fraction, self._STRATIFIED_SPLIT,
                             problem.labels)
        return problem.data, None

    def _user_validation_set(self, problem, X_val, y_val, sample_weight_val):
        """``X_val``/``y_val`` validated against the training data, as a ValidationSet."""
        placement = problem.placement
        if placement is not None:
            X_val, y_val = placement.put(X_val), to_numpy(y_val)
            sample_weight_val = to_numpy(sample_weight_val)
        with naming_non_numeric_X():
            X_val, y_val = validate_data(self, X_val, y_val, accept_sparse="csr",
                                         multi_output=True, dtype=problem.data[0].dtype,
                                         reset=False)
        labels, target = self._validation_target(problem.encoder, y_val,
                                                 numpy_dtype(X_val.dtype))
        weights = self._weights(sample_weight_val, X_val, labels, problem.encoder,
                                name="sample_weight_val")
        return ValidationSet(problem.network, self._validation_scorer(problem), X_val,
                             put(placement, target), put(placement, weights), labels=labels)

    def _starting_params(self, network, rng, dtype, incremental):
        """The current coefs_/intercepts_ for a warm or partial fit, else fresh draws.

        Either way a NumPy vector of ``dtype``: the caller moves it to X's device.
        """
        if hasattr(self, "coefs_") and (self.warm_start or incremental):
            coefs = [to_numpy(coef) for coef in self.coefs_]
            intercepts = [to_numpy(intercept) for intercept in self.intercepts_]
            check_starting_weights(coefs, intercepts, network)
            return network.pack(coefs, intercepts, dtype)
        return initialize(network, self.weight_init, self.activation, rng, dtype)

    def _progress(self, resume, validation):
        """Fresh training records, or the fitted ones to continue.

        A warm or partial fit also continues the count of epochs without
        improvement, as MLPClassifier does: a fit that stopped on
        ``n_iter_no_change`` stops after one more epoch without improvement.
        """
        judge = validation is not None and self.early_stopping and self.solver != "lbfgs"
        continued = resume and hasattr(self, "loss_curve_")
        if validation is None:
            curves = None, None
        elif continued and getattr(self, "validation_scores_", None) is not None:
            curves = list(self.validation_scores_), list(self.validation_loss_curve_)
        else:
            curves = [], []
        if not continued:
            return Progress(validation_scores=curves[0], validation_loss_curve=curves[1],
                            judge_on_validation=judge)
        return Progress(
            loss_curve=list(self.loss_curve_),
            best_loss=_none_as(self.best_loss_, np.inf),
            validation_scores=curves[0],
            validation_loss_curve=curves[1],
            best_validation_score=_none_as(getattr(self, "best_validation_score_", None),
                                          -np.inf),
            samples_seen=self.t_,
            no_improvement_count=self._no_improvement_count,
            judge_on_validation=judge,
        )

    def _record(self, progress):
        """Publish the training records as fitted attributes."""
        self.loss_curve_ = progress.loss_curve
        self.t_ = progress.samples_seen
        self._no_improvement_count = progress.no_improvement_count
        self.best_loss_ = None if progress.judge_on_validation else progress.best_loss
        records = {"validation_scores_": progress.validation_scores,
                   "validation_loss_curve_": progress.validation_loss_curve,
                   "best_validation_score_": (None if progress.validation_scores is None
                                              else progress.best_validation_score)}
        if self.solver == "lbfgs" and progress.validation_scores is None:
            for name in records:  # MLPClassifier's L-BFGS sets none of them
                self.__dict__.pop(name, None)
        else:
            self.__dict__.update(records)

    def _epoch_settings(self, n_train, incremental):
        """The training loop's settings for a fit on ``n_train`` rows.

        Only a stochastic ``fit`` is interruptible: there Ctrl-C keeps the
        model trained so far, as in MLPClassifier.
        """
        stochastic = self.solver != "lbfgs"
        return EpochSettings(
            max_epochs=self._max_epochs(incremental) if stochastic else self.max_iter,
            alpha=self.alpha, tol=self.tol, verbose=self.verbose,
            batch_size=self._batch_size(n_train) if stochastic else n_train,
            shuffle=self.shuffle, n_iter_no_change=self.n_iter_no_change,
            interruptible=stochastic and not incremental)

    def _fit_lbfgs(self, network, params, data, settings, progress, validation, hooks):
        result = minimize_lbfgs(network, params, data, settings, self.max_fun, progress,
                                validation, hooks)
        unconverged = None if result.finished else _lbfgs_warning(result, self.max_iter)
        return TrainingRun(params, result.loss, result.n_iter, unconverged, progress)

    def _dropout_rates(self):
        """The dropout rate of each hidden layer."""
        n_hidden = len(self._hidden_sizes())
        if isinstance(self.dropout, (list, tuple)):
            return [float(rate) for rate in self.dropout]
        return [float(self.dropout)] * n_hidden

    def _with_dropout(self, settings, network, rng):
        """``settings`` with a ``Dropout`` seeded from the fit's ``rng``, when any rate is set.

        Without dropout nothing is drawn, so the rng's other draws (the
        shuffles) stay MLPClassifier's.
        """
        rates = self._dropout_rates()
        if not any(rates):
            return settings
        seed = rng.randint(np.iinfo(np.int32).max)
        return dataclasses.replace(settings,
                                   dropout=Dropout(rates, network.layer_sizes[1:-1], seed))

    def _fit_stochastic(self, network, params, data, settings, progress, validation, hooks,
                        rng, incremental):
        settings = self._with_dropout(settings, network, rng)
        if incremental and hasattr(self, "_optimizer"):
            optimizer = copy.deepcopy(self._optimizer)
        else:
            optimizer = self._new_optimizer(params)
        end = train_epochs(network, params, optimizer, data, settings, progress, rng,
                           validation, hooks)
        if progress.best_params is not None:
            params[...] = progress.best_params
        loss = progress.loss_curve[-1] if progress.loss_curve else None
        unconverged = None
        if end.reason == "diverged":
            unconverged = (f"{self._divergence_message(Diverged(end.epochs, loss))} Early "
                           "stopping kept the weights of the best validation score, "
                           f"{progress.best_validation_score:.6g}.")
        elif end.reason == "max_epochs" and not incremental:
            unconverged = (f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) "
                           "reached and the optimization hasn't converged yet.")
        return TrainingRun(params, loss, end.epochs, unconverged, progress, optimizer,
                           interrupted=end.reason == "interrupted",
                           diverged=end.reason == "diverged")

    def _new_optimizer(self, params):
        if self.solver == "sgd":
            return SGD(params, self.learning_rate_init, self.learning_rate,
                       self.momentum, self.nesterovs_momentum, self.power_t)
        return Adam(params, self.learning_rate_init, self.beta_1, self.beta_2, self.epsilon)

    def _batch_size(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        if self.batch_size > n_samples:
            warn("Got `batch_size` less than 1 or larger than sample size. It is "
                 "going to be clipped")
        return min(self.batch_size, n_samples)


def _peeked_seeds(rng, count):
    """``count`` seeds read off a copy of ``rng``: ``rng`` itself draws nothing."""
    if count == 0:
        return ()
    return tuple(copy.deepcopy(rng).randint(np.iinfo(np.int32).max, size=count))


def _none_as(value, default):
    """``value``, or ``default`` where a fitted record holds None."""
    return default if value is None else value


def _lbfgs_warning(result, max_iter):
    """MLPClassifier's words when L-BFGS-B ends without converging."""
    message = (f"lbfgs failed to converge after {result.n_iter} iteration(s) "
               f"(status={result.status}):\n{result.message}\n")
    if result.n_iter == max_iter:
        message += ("\nIncrease the number of iterations to improve the convergence "
                    f"(max_iter={max_iter}).")
    return message + ("\nYou might also want to scale the data as shown in:\n"
                      "    https://scikit-learn.org/stable/modules/preprocessing.html")


@dataclass
class TrainingProblem:
    """What one fit trains: the network, its starting parameters and the data.

    ``data`` is ``(X, target, sample_weight)`` with the targets the network
    trains on; ``labels`` is the validated ``y`` they encode, and ``encoder``
    the face's encoder of it. ``placement`` is X's namespace and device under
    array API dispatch, where ``params`` and ``data`` live, and
    ``label_placement`` y's; None for NumPy.

    ``rng`` is the fit's generator, which the first start draws from just as
    MLPClassifier does. Each further random start draws (its weights, its
    shuffles) from a generator of its own, seeded by ``restart_seeds``: they
    are read off ``rng`` once its starting weights are drawn and before any
    draw that depends on the data, so that no start depends on how many rows
    the one before it shuffled (weighting a row then trains as repeating it),
    and the fit's own generator sees MLPClassifier's draws alone.
    """

    network: Network
    params: np.ndarray
    data: tuple
    labels: np.ndarray
    encoder: object
    rng: np.random.RandomState
    resume: bool
    placement: Placement | None = None
    label_placement: Placement | None = None
    restart_seeds: tuple = ()

    def restart(self, start):
        """This problem for random start ``start`` (from 1), with that start's generator."""
        rng = np.random.RandomState(self.restart_seeds[start - 1])
        return dataclasses.replace(self, rng=rng)


@dataclass
class TrainingRun:
    """What training from one start produced; ``params`` holds its final weights."""

    params: np.ndarray
    loss: float | None
    n_iter: int
    unconverged: str | None
    progress: Progress
    optimizer: SGD | Adam | None = None
    interrupted: bool = False
    diverged: bool = False

    def selection_key(self):
        """Larger is better: validation accuracy first when there is one, then low loss.

        Early stopping has restored the best parameters, so their score is the
        best one; otherwise the final parameters are kept and scored last. A
        run interrupted before its first epoch ended (loss None) ranks last.
        """
        loss = -np.inf if self.loss is None else -self.loss
        progress = self.progress
        if progress.validation_scores is None:
            return (loss,)
        if progress.judge_on_validation:
            return progress.best_validation_score, loss
        return (progress.validation_scores[-1] if progress.validation_scores
                else -np.inf), loss
