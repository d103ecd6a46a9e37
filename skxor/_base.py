"""What the estimators share: the story of a fit, and the hooks an estimator fills in.

``BaseMLP._fit`` reads as the algorithm: check the parameters, read them
once into a ``FitConfig``, pick the solver from the registry, validate the
data into the estimator's targets and a data object, build the network and
draw the starting weights, hold out a validation set, train from each
random start (``training.starts``), then hold the best run and warn. What
goes down is the configuration, the targets, the data and the generator:
never the estimator, which stays up here and is the only one to write its
attributes. Pickling and tags live here too.

An estimator (``MLPBackpropClassifier``) subclasses it with its parameter
list (``_PARAMETERS``), its targets object (``_targets``) and its public
methods with their documentation.
"""

import contextlib
import copy
import dataclasses
import functools
import inspect
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import get_scorer
from sklearn.utils import check_random_state
from sklearn.utils.validation import validate_data

from ._callbacks import CallbackSupportMixin, FitTasks
from ._docs_link import api_page_template
from ._prediction import PredictionMixin
from .data.checks import check_starting_weights, naming_non_numeric_X
from .data.in_memory import InMemoryData
from .data.placement import (
    Placement,
    compute_dtypes,
    is_dask_collection,
    placement_of,
    put,
)
from .network.constants import numpy_dtype
from .network.initialization import initialize
from .network.network import Network
from .network.primitives import primitives, to_numpy
from .training.config import FitConfig
from .training.progress import Diverged
from .training.solvers import SOLVERS, solver_for
from .training.starts import Continuation, TrainingProblem, peeked_seeds, train_starts
from .utils._warnings import warn

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
    """``available_if`` check of ``partial_fit``: only stochastic solvers train incrementally."""
    if not getattr(SOLVERS.get(estimator.solver), "trains_incrementally", False):
        raise AttributeError(
            "partial_fit is only available for stochastic optimizers. "
            f"{estimator.solver} is not stochastic.")
    return True


def validation_arguments(X_val, y_val, sample_weight_val):
    """``(X_val, y_val, sample_weight_val)``, or None when no validation set is given."""
    if X_val is None and y_val is None:
        if sample_weight_val is not None:
            raise ValueError("sample_weight_val is given without X_val and y_val.")
        return None
    if X_val is None or y_val is None:
        given, missing = ("X_val", "y_val") if y_val is None else ("y_val", "X_val")
        raise ValueError(f"{given} is given but {missing} is not: pass both.")
    return X_val, y_val, sample_weight_val


@dataclass
class FitParts:
    """One fit as the estimator sees it: the problem it hands down, and what stays up.

    ``targets`` is the estimator's targets object, fitted to y;
    ``label_placement`` where y lived under array API dispatch (None for
    NumPy), where ``classes_`` go.
    """

    problem: TrainingProblem
    targets: object
    label_placement: Placement | None = None


class BaseMLP(CallbackSupportMixin, PredictionMixin, BaseEstimator):
    """Training orchestration shared by the estimators; not for direct use.

    A subclass sets ``_PARAMETERS`` (an ``EstimatorParameters``: its
    ``__init__`` is ``_PARAMETERS.constructor()``), ``_ENCODED_MARK``, and
    ``_targets``; it defines ``fit`` and ``partial_fit`` (decorated with
    ``rolls_back_on_failure`` outermost, then scikit-learn's
    ``with_callbacks``), which call ``_fit``.
    """

    _PARAMETERS = None
    """The estimator's ``EstimatorParameters``."""

    _ENCODED_MARK = None
    """Name of the estimator's fitted attribute that shows a fit has encoded targets."""

    _doc_link_module = "skxor"
    """The package whose estimators scikit-learn's HTML repr links to their API pages."""

    @property
    def _doc_link_template(self):
        """The address of the estimator's API page, for scikit-learn's HTML repr."""
        return api_page_template()

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
        """Restore a saved state of this format; a parameter it lacks takes its default.

        Models saved before a parameter existed (``lr_schedule``, ``dtype``...)
        trained as its default does, so they keep training and cloning so.
        """
        state = dict(state)
        found = state.pop("_skxor_state_format", None)
        if found != STATE_FORMAT:
            raise ValueError(
                f"This {type(self).__name__} was saved with state format {found}, "
                f"but this skxor reads format {STATE_FORMAT} only. Load it with the "
                "skxor version that saved it, and refit or re-save it from there.")
        for name, parameter in inspect.signature(type(self)).parameters.items():
            state.setdefault(name, parameter.default)  # added after the model was saved
        super().__setstate__(state)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.array_api_support = True
        return tags

    def _targets(self, config, resume, classes):
        """The estimator's targets object for a fit with ``config``.

        ``resume`` says whether the fit continues the fitted model, whose
        encoding the targets must keep; ``classes`` is ``partial_fit``'s.
        """
        raise NotImplementedError

    def _fit(self, X, y, sample_weight, incremental, classes=None, validation_data=None):
        """Train, and warn as MLPClassifier does; ``rolls_back_on_failure`` guards it."""
        params = self.get_params(deep=False)
        self._PARAMETERS.validate(params, type(self).__name__)
        config = FitConfig.of(self._PARAMETERS.for_fit(params), incremental)
        solver = solver_for(config)
        tasks = FitTasks(self, n_starts=1 if self._resumes(config) else config.n_init,
                         max_epochs=solver.max_epochs)
        try:
            best, interrupted = self._train_and_hold((X, y, sample_weight), classes,
                                            validation_data, solver, tasks)
        except Diverged as divergence:
            raise ValueError(solver.divergence_message(divergence)) from None
        if interrupted:
            warn("Training interrupted by user.")
        elif best.unconverged:
            warn(best.unconverged, ConvergenceWarning)
        return self

    def _resumes(self, config):
        """Whether this fit continues from the fitted weights."""
        return hasattr(self, self._ENCODED_MARK) and (config.incremental or config.warm_start)

    def _train_and_hold(self, inputs, classes, validation_data, solver, tasks):
        """Validate, train from each random start, then hold the best run.

        Returns
        -------
        best : TrainingRun
            The run the estimator now holds.
        interrupted : bool
        """
        fit = self._fit_parts(inputs, solver.config, classes)
        data = fit.problem.data
        try:
            solver.check_dtype(numpy_dtype(fit.problem.params.dtype))
            tasks.attributes_for = functools.partial(self._fitted_attributes, fit)
            tasks.begin(*data.callback_data)
            best, interrupted = self._train_runs(fit, validation_data, solver, tasks)
        finally:
            data.release()  # a cluster's chunks go now, however the fit ended
        self._hold(fit, best, solver)
        tasks.end()
        return best, interrupted

    def _train_runs(self, fit, validation_data, solver, tasks):
        """Split off the validation set, then train from each random start.

        Returns ``(best, interrupted)``, as ``_train_and_hold``.
        """
        with fit.problem.data.lost_cluster_worded():
            train, validation = self._validation_split(fit, validation_data, solver)
        fit.problem = dataclasses.replace(fit.problem, data=train, validation=validation)
        # a cluster's actors and chunks go as the fit ends, not at a garbage collection
        with contextlib.ExitStack() as releases:
            releases.callback(train.release)
            if validation is not None:
                releases.callback(validation.release)
            with train.lost_cluster_worded():
                return train_starts(fit.problem, solver, tasks)

    def _fit_parts(self, inputs, config, classes=None):
        """Everything a fit trains on: the data, the network, starting weights, the generator.

        Validates the data (the caller has validated the parameters) and
        draws (or reads back) the starting weights; it trains nothing.
        ``check_gradients`` uses it too, so it checks exactly the loss that
        ``fit`` minimises.

        Under array API dispatch, y and the sample weights are checked and
        encoded with NumPy, then the targets, weights and starting parameters
        move to X's namespace and device (see ``data.placement``). A dask X is
        validated chunk by chunk on the Dask workers, where its rows stay
        (see ``data.dask_inputs``).
        """
        self._check_incremental(config)
        resume = self._resumes(config)
        targets = self._targets(config, resume, classes)
        if is_dask_collection(inputs[0]):
            data, placement, label_placement = self._chunked_rows(inputs, config, targets,
                                                                  resume), None, None
        else:
            data, placement, label_placement = self._rows_in_memory(inputs, config, targets,
                                                                    resume)
        network = self._new_network(config, data, targets)
        rng = check_random_state(config.random_state)
        params = self._starting_params(network, rng, data.dtype, config)
        continued = (Continuation(dict(vars(self)), getattr(self, "_optimizer", None))
                     if resume else None)
        problem = TrainingProblem(network, put(placement, params), data, None, rng, config,
                                  placement, peeked_seeds(rng, self._n_starts(config) - 1),
                                  continued)
        return FitParts(problem, targets, label_placement)

    def _n_starts(self, config):
        """How many random starts a fit draws generators for: ``n_init``."""
        return config.n_init

    def _check_incremental(self, config):
        """``partial_fit`` refuses ``early_stopping=True``: it holds out nothing across calls."""
        if config.incremental and config.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True: "
                             "there is no held-out set across calls.")

    def _new_network(self, config, data, targets):
        """The network this fit trains: a perceptron of ``hidden_layer_sizes``."""
        return Network.perceptron([data.n_features, *config.hidden_sizes, data.n_outputs],
                                  config.activation, targets.output_activation, targets.loss,
                                  config.dropout_rates)

    def _rows_in_memory(self, inputs, config, targets, resume):
        """``(data, placement, label_placement)``: ``inputs`` validated and encoded in memory."""
        X, y, sample_weight = inputs
        placement, label_placement = placement_of(X), placement_of(y, "y")
        if placement is not None:
            y, sample_weight = to_numpy(y), to_numpy(sample_weight)
        X, y = self._validated_training_data(X, y, config, targets, resume, placement)
        X = primitives(X).in_row_order(X)
        labels, target = targets.encode(y, numpy_dtype(X.dtype))
        sample_weight = targets.weigh(sample_weight, X, labels)
        data = InMemoryData(X, put(placement, target), put(placement, sample_weight), labels)
        return data, placement, label_placement

    def _validated_training_data(self, X, y, config, targets, resume, placement):
        """``(X, y)`` checked as scikit-learn checks them, X in the dtype training computes in."""
        with naming_non_numeric_X():
            return validate_data(self, X, y, accept_sparse="csr", multi_output=True,
                                 y_numeric=targets.y_numeric,
                                 dtype=compute_dtypes(placement, config.dtype), reset=not resume)

    def _chunked_rows(self, inputs, config, targets, resume):
        """``inputs``, dask collections, validated and encoded on the Dask workers."""
        if config.incremental:
            raise TypeError(
                "partial_fit trains on one block in memory, and X is a dask collection. Call "
                "fit(X, y), which streams the chunks from the cluster, or wrap the estimator "
                "in dask_ml.wrappers.Incremental, which passes each block to partial_fit.")
        from .data.cluster_faults import lost_scheduler_worded
        from .data.dask_inputs import chunked_training_data, columns_of, current_client

        client = current_client()
        validate_data(self, columns_of(inputs[0]), skip_check_array=True, reset=not resume)
        with lost_scheduler_worded(client, client.scheduler.address,
                                   lambda: "the validation of X's chunks"):
            return chunked_training_data(client, inputs, targets, config.dtype,
                                         type(self).__name__)

    def _starting_params(self, network, rng, dtype, config):
        """The current coefs_/intercepts_ for a warm or partial fit, else fresh draws.

        Either way a NumPy vector of ``dtype``: the caller moves it to X's device.
        """
        if hasattr(self, "coefs_") and (config.warm_start or config.incremental):
            coefs = [to_numpy(coef) for coef in self.coefs_]
            intercepts = [to_numpy(intercept) for intercept in self.intercepts_]
            check_starting_weights(coefs, intercepts, network.coef_shapes)
            return network.pack(network.layer_parameters(coefs, intercepts), dtype)
        return initialize(network, config.weight_init, config.activation, rng, dtype)

    def _validation_split(self, fit, validation_data, solver):
        """``(train, validation)``: the rows to train on, and the validation set or None.

        ``X_val``/``y_val`` when given; else, with early stopping, a split of
        the training rows drawn from the fit's generator.
        """
        problem = fit.problem
        config = problem.config
        if validation_data is not None:
            return problem.data, self._user_validation_set(fit, *validation_data)
        if config.early_stopping and solver.uses_early_stopping and not config.incremental:
            score = self._validation_scorer(fit)
            train, held_out = problem.data.split_off(problem.rng, config.validation_fraction,
                                                     fit.targets.stratified_split)
            return train, held_out.validation_set(problem.network, score)
        return problem.data, None

    def _user_validation_set(self, fit, X_val, y_val, sample_weight_val):
        """``X_val``/``y_val`` validated against the training data, as a validation set."""
        placement = fit.problem.placement
        if placement is not None:
            X_val, y_val = placement.put(X_val), to_numpy(y_val)
            sample_weight_val = to_numpy(sample_weight_val)
        X_val, y_val = self._validated_validation_data(X_val, y_val, fit.problem.params.dtype)
        X_val = primitives(X_val).in_row_order(X_val)
        labels, target = fit.targets.encode_more(y_val, numpy_dtype(X_val.dtype))
        weights = fit.targets.weigh(sample_weight_val, X_val, labels, name="sample_weight_val")
        rows = InMemoryData(X_val, put(placement, target), put(placement, weights), labels)
        return rows.validation_set(fit.problem.network, self._validation_scorer(fit))

    def _validated_validation_data(self, X_val, y_val, dtype):
        """``(X_val, y_val)`` checked against the training data, X_val in ``dtype``."""
        with naming_non_numeric_X():
            return validate_data(self, X_val, y_val, accept_sparse="csr", multi_output=True,
                                 dtype=dtype, reset=False)

    def _validation_scorer(self, fit):
        """``score(validation_set, params, output, loss)`` by ``scoring`` (see ValidationSet).

        None is the targets' metric (accuracy, R²), as in scikit-learn;
        ``"loss"`` the validation loss, negated so that larger is better; a
        scorer name or callable scores a copy of this estimator holding
        ``params``.
        """
        scoring, targets = fit.problem.config.scoring, fit.targets
        if scoring is None:
            return lambda validation, params, output, loss: targets.score(
                output, validation.host_target, validation.host_weight)
        if scoring == "loss":
            return lambda validation, params, output, loss: -loss
        scorer = scoring if callable(scoring) else get_scorer(scoring)
        weighs = not callable(scoring)  # scikit-learn's scorers take sample_weight

        def score(validation, params, output, loss):
            extra = ({} if not weighs or validation.host_weight is None
                     else {"sample_weight": validation.host_weight})
            return float(scorer(self._scoring_copy(fit, params), validation.X,
                                validation.labels, **extra))

        return score

    def _scoring_copy(self, fit, params):
        """A copy of this estimator that predicts with ``params``, for a scorer to score on
        the validation set's rows."""
        holding = copy.copy(self)
        holding.__dict__.update(self._fitted_attributes(fit, params))
        return holding

    def _fitted_attributes(self, fit, params):
        """The attributes that make this estimator predict with ``params``."""
        network, config = fit.problem.network, fit.problem.config
        coefs, intercepts = network.dense_parameters(network.unpack(params))
        return {
            **fit.targets.fitted_attributes(fit.label_placement),
            "n_outputs_": network.layer_sizes[-1],
            "n_layers_": network.n_layers,
            "out_activation_": network.output_activation,
            "_trained_activation": config.trained_activation,
            "_compute_dtype": config.dtype,
            "coefs_": coefs,
            "intercepts_": intercepts,
        }

    def _hold(self, fit, best, solver):
        """Hold the ``best`` run: its weights, ``loss_``, ``n_iter_`` and records.

        Without a validation set, a solver without early stopping (L-BFGS) sets
        no validation records, as MLPClassifier's sets none; L-BFGS, which has
        no learning rate, sets no ``learning_rate_curve_``.
        """
        self.__dict__.update(self._fitted_attributes(fit, best.params))
        self.loss_, self.n_iter_ = best.loss, best.n_iter
        if best.update_rule is not None:
            self._optimizer = best.update_rule
        else:  # the update rule of earlier weights would not fit the ones L-BFGS trained
            self.__dict__.pop("_optimizer", None)
        records = best.progress.fitted_attributes()
        left_out = [] if solver.has_learning_rate else ["learning_rate_curve_"]
        if not solver.uses_early_stopping and best.progress.validation_scores is None:
            left_out += ["validation_scores_", "validation_loss_curve_", "best_validation_score_"]
        for name in left_out:
            del records[name]
            self.__dict__.pop(name, None)
        self.__dict__.update(records)

    def _gradient_check_problem(self, X, y, sample_weight):
        """``(network, params, data, alpha)``: the loss a fit on ``X``, ``y`` would minimise,
        in float64, at this estimator's current weights (at a fit's first, before one)."""
        probe = clone(self).set_params(dtype=None)  # float64 X below, float64 weights
        if hasattr(self, "coefs_"):
            probe.set_params(warm_start=True)
            probe._hold_float64_weights(self)
        params = probe.get_params(deep=False)
        probe._PARAMETERS.validate(params, type(probe).__name__)
        config = FitConfig.of(probe._PARAMETERS.for_fit(params), incremental=False)
        problem = probe._fit_parts((probe._float64_inputs(X), y, sample_weight), config).problem
        return problem.network, problem.params, problem.data, config.alpha

    def _hold_float64_weights(self, fitted):
        """Hold ``fitted``'s weights in float64, for a warm start from them."""
        self.coefs_ = [np.array(coef, dtype=np.float64) for coef in fitted.coefs_]
        self.intercepts_ = [np.array(intercept, dtype=np.float64)
                            for intercept in fitted.intercepts_]

    def _float64_inputs(self, X):
        """``X`` in float64: what ``check_gradients`` checks in."""
        return X.astype(np.float64) if hasattr(X, "astype") else np.asarray(X, dtype=np.float64)

