"""The constructor parameters of the stochastic solvers, whichever update rule steps.

Each is a ``Parameter`` declaration (see ``skxor.utils.parameters``); the
estimators take them because ``StochasticSolver`` is in the solver registry.
An update rule's own parameters (sgd's ``momentum``, adam's ``beta_1``) are
declared in the rule's module.
"""

import numpy as np

from ..utils.parameters import (
    BOOLEAN,
    Allowed,
    Parameter,
    integer,
    is_bool,
    is_int,
    is_real,
    one_of,
    one_or_one_per_layer,
    or_none,
    real,
)


def _n_iter_no_change():
    return Allowed(lambda v: (is_int(v) and v >= 1) or (is_real(v) and v == np.inf),
                   "an int in the range [1, inf) or a float among {inf}")


def _batch_size():
    return Allowed(lambda v: v == "auto" if isinstance(v, str) else is_int(v) and v >= 1,
                   "a str among {'auto'} or an int in the range [1, inf)")


def _lr_schedule():
    return Allowed(lambda v: v is None or callable(v) or (isinstance(v, str)
                                                          and v in ("cosine", "plateau")),
                   "a str among {'cosine', 'plateau'}, a callable schedule(epoch, lr) -> lr "
                   "or None")


def _dropout_rate(value):
    return is_real(value) and not is_bool(value) and 0 <= value < 1


DASK_TRAINING = ("stream", "data_parallel")
"""How the stochastic solvers can train on a dask X: the values of ``dask_training``."""


STOCHASTIC_PARAMETERS = (
    Parameter("batch_size", "auto", _batch_size(), 'int or "auto"',
              'Mini-batch size of the stochastic solvers; ``"auto"`` is ``min(200, n_samples)``, '
              "and larger values are clipped to ``n_samples``."),
    Parameter("learning_rate_init", 1e-3, real(0.0, low_open=True), "float",
              "Initial learning rate of the stochastic solvers.", shown_default="1e-3"),
    Parameter("shuffle", True, BOOLEAN, "bool", "Shuffle the samples before each epoch."),
    Parameter("epsilon", 1e-8, real(0.0, low_open=True), "float",
              "Numerical-stability constant of the update rules that divide each step by a "
              "running root mean square of the gradients (adam): it is added to that root.",
              shown_default="1e-8"),
    Parameter("early_stopping", False, BOOLEAN, "bool",
              "Hold out ``validation_fraction`` of the data and stop when its validation "
              "score (see ``scoring``: accuracy for the classifier, R² for the regressor, "
              'D² pinball for ``loss="quantile"``) stalls; the best parameters seen are kept. '
              "The held-out rows are scikit-learn's for the same ``random_state``: the "
              "classifier's are stratified for binary targets only (for a stratified "
              "multiclass validation set, pass your own as ``X_val``/``y_val``). Stochastic "
              "solvers only."),
    Parameter("validation_fraction", 0.1, real(0.0, 1.0, high_open=True), "float",
              "Share of the data held out for early stopping, in [0, 1)."),
    Parameter("n_iter_no_change", 10, _n_iter_no_change(), "int or np.inf",
              "Epochs without ``tol`` improvement before stopping; ``np.inf`` never stops on "
              "it. A warm start continues the count of the previous fit."),
    Parameter("dropout", 0.0, one_or_one_per_layer(_dropout_rate, "a float in the range "
                                                                  "[0.0, 1.0)"),
              "float or list of float",
              "Inverted dropout on the hidden layers' outputs while a stochastic solver "
              "trains: each unit is dropped with this probability (one rate for every hidden "
              "layer, or one per layer, each in [0, 1)) and the kept ones scaled by "
              "``1 / (1 - rate)``. Every batch draws new masks from ``random_state``; "
              "prediction, validation scores and ``check_gradients`` use the whole network. "
              'Not with ``"lbfgs"``, whose objective must not change between evaluations.'),
    Parameter("lr_schedule", None, _lr_schedule(), 'None, "cosine", "plateau" or callable',
              "Learning-rate schedule of the stochastic solvers. None is scikit-learn's "
              "behaviour: ``learning_rate`` schedules sgd, and adam steps with "
              '``learning_rate_init``. ``"cosine"`` anneals from ``learning_rate_init`` toward '
              '0 over ``max_iter`` epochs, stepping every batch. ``"plateau"`` divides the '
              "rate by 5 whenever the stopping rule would stop (``n_iter_no_change`` epochs "
              "without ``tol`` improvement of the training loss, or of the validation score "
              "with early stopping), and stops once the rate is at most 1e-6: sgd's "
              '``"adaptive"`` rule, for every solver. A callable ``schedule(epoch, lr)`` '
              "returns each epoch's rate, given the epoch (from 0) and the rate it returned "
              "before (``learning_rate_init`` first). With sgd, any of them needs "
              '``learning_rate="constant"``. ``partial_fit`` continues the schedule from call '
              "to call (a schedule changed between calls starts afresh); each ``fit``, warm or "
              "not, starts it afresh, as it starts the update rule afresh."),
    Parameter("warmup", 0, integer(0), "int",
              "Epochs over which the rate ramps linearly, batch by batch, up to the schedule's "
              'rate; less than ``max_iter``. With ``"cosine"`` the annealing starts after it.'),
    Parameter("weight_decay", 0.0, real(0.0), "float",
              "Decoupled weight decay, as in AdamW and SGDW: before each step the weights "
              "shrink by ``lr * weight_decay`` of themselves, ``lr`` being the scheduled rate. "
              "``alpha`` instead adds an L2 term to the loss, whose gradient Adam then "
              "rescales with everything else; decay shrinks every weight at the same rate "
              "whatever its gradient history. Biases are not decayed, as ``alpha`` does not "
              "penalise them."),
    Parameter("max_grad_norm", None, or_none(real(0.0, low_open=True)), "float or None",
              "Scale each batch's gradient down to this global L2 norm (over every weight and "
              "bias) when it is larger, before the step: a fit whose steps blow up stays "
              "finite. Stochastic solvers only."),
    Parameter("dask_training", "stream", one_of(DASK_TRAINING), '{"stream", "data_parallel"}',
              "How a stochastic solver trains on a dask X (it changes nothing for other X). "
              '``"stream"`` sends the chunks to the client, the next few fetched while one '
              "trains, and trains there as in memory. ``\"data_parallel\"`` trains on the workers: "
              "each mini-batch takes a slice of every chunk, each worker computes the "
              "gradient of its slices, and only the parameters and the summed gradient "
              "move. Its results depend on the chunking, not on the number of workers; see "
              "the Dask guide for how its batches differ from training in memory."),
)
"""What ``StochasticSolver`` reads of the estimators' parameters, besides the update rule's."""
