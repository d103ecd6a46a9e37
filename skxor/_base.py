"""What the scikit-learn faces share: the story of a fit, and the hooks a face fills in.

``BaseMLP._fit`` reads as the algorithm: validate the parameters, resolve them
into a ``FitConfig``, pick the solver from the registry, build the training
problem (``_problem``), train from each random start, publish the best run,
warn. Pickling and tags live here too. A face (``MLPBackpropClassifier``)
subclasses it with what is its own: how targets are encoded and checked, the
output activation, and the public methods with their documentation.
"""

import functools
import inspect

from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning

from ._callbacks import CallbackSupportMixin, FitTasks
from ._checks import validated_sample_weight
from ._config import FitConfig
from ._constants import numpy_dtype
from ._params import validate_params
from ._predict import HiddenActivationsMixin
from ._problem import build_problem, validation_split
from ._solvers import SOLVERS, solver_for
from ._starts import publish, train_starts
from ._training import Diverged
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
    if not getattr(SOLVERS.get(estimator.solver), "trains_incrementally", False):
        raise AttributeError(
            "partial_fit is only available for stochastic optimizers. "
            f"{estimator.solver} is not stochastic.")
    return True


class BaseMLP(CallbackSupportMixin, HiddenActivationsMixin, BaseEstimator):
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

    def _network_loss(self):
        """The loss the network trains on: a ``LOSSES`` key, or a loss object."""
        return self._NETWORK_LOSSES[self.loss]

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

    def _validation_target(self, encoder, y_val, dtype, name="y_val"):
        """``(labels, target)`` of a user's validation set, checked against the fit's.

        A dask fit encodes each chunk of ``y`` with it too, as ``name="y"``.
        """
        raise NotImplementedError

    def _validation_score(self, network):
        """The face's default metric: ``score(output, target, sample_weight)`` on NumPy arrays."""
        raise NotImplementedError

    def _fit(self, X, y, sample_weight, incremental, classes=None, validation_data=None):
        """Train, and warn as MLPClassifier does; ``rolls_back_on_failure`` guards it."""
        validate_params(self.get_params(deep=False), type(self).__name__, self._NETWORK_LOSSES)
        config = FitConfig.of(self, incremental)
        solver = solver_for(config)
        tasks = FitTasks(self, n_starts=1 if self._resumes(config) else config.n_init,
                         max_epochs=solver.max_epochs)
        try:
            best, interrupted = self._fit_or_raise((X, y, sample_weight), classes,
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

    def _fit_or_raise(self, given, classes, validation_data, solver, tasks):
        """Validate, train from each random start, then publish the best run.

        Returns
        -------
        best : TrainingRun
            The run the estimator now holds.
        interrupted : bool
        """
        problem = build_problem(self, *given, solver.config, classes)
        solver.check_dtype(numpy_dtype(problem.params.dtype))
        tasks.begin(*problem.callback_data)
        split = validation_split(self, problem, validation_data, solver)
        best, interrupted = train_starts(self, problem, split, solver, tasks)
        publish(self, problem, best, solver)
        tasks.end()
        return best, interrupted

    def _fitted_attributes(self, problem, params):
        """The attributes that make this estimator predict with ``params``."""
        network = problem.network
        coefs, intercepts = network.unpack(params)
        return {
            **self._encoder_attributes(problem.encoder, problem.label_placement),
            "n_outputs_": network.layer_sizes[-1],
            "n_layers_": network.n_layers,
            "out_activation_": network.output_activation,
            "_trained_activation": problem.config.trained_activation,
            "_compute_dtype": problem.config.dtype,
            "coefs_": coefs,
            "intercepts_": intercepts,
        }

    def _weights(self, sample_weight, X, labels, encoder, incremental=False,
                 name="sample_weight"):
        """Per-sample weights in X's dtype, or None; a face may weigh its targets too."""
        return validated_sample_weight(sample_weight, X, name)
