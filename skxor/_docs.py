"""Docstring parts both estimators share: each shared parameter is described once.

The faces' class docstrings hold ``{network_parameters}``, ``{solver_parameters}``,
``{weight_init}``, ``{dropout}``, ``{scoring}`` and ``{toolkit}``, and the
attributes ``{epoch_records}``, filled in by ``shared_docstring``.
"""

NETWORK_PARAMETERS = """\
    hidden_layer_sizes : int or tuple of int, default=(100,)
        Units of each hidden layer; ``()`` fits a network without hidden layer.
    activation : str or list of str, default="relu"
        Activation of the hidden units: ``"relu"``, ``"tanh"``, ``"logistic"``
        (``"sigmoid"`` is the seeds' name for it), ``"identity"``,
        ``"leaky_relu"`` (slope 0.01 below zero), ``"elu"``, ``"softplus"`` or
        ``"gelu"`` (tanh approximation); or a list with one name per hidden
        layer.
    solver : {"adam", "sgd", "lbfgs"}, default="adam"
        ``"sgd"`` and ``"adam"`` train in mini-batches for ``max_iter`` epochs;
        ``"lbfgs"`` minimises the full-batch loss with SciPy's L-BFGS-B fed by
        the backpropagated gradient.
    alpha : float, default=1e-4
        Strength of the L2 penalty ``alpha / 2 * ||W||**2 / n_samples`` (the
        sum of sample weights replaces ``n_samples`` when they are given).
    batch_size : int or "auto", default="auto"
        Mini-batch size of the stochastic solvers; ``"auto"`` is
        ``min(200, n_samples)``, and larger values are clipped to ``n_samples``.
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Learning-rate schedule of ``solver="sgd"``.
    learning_rate_init : float, default=1e-3
        Initial learning rate of ``"sgd"`` and ``"adam"``.
    power_t : float, default=0.5
        Exponent of the ``"invscaling"`` schedule.
    max_iter : int, default=200
        Maximum epochs (``"sgd"``, ``"adam"``) or iterations (``"lbfgs"``).
    shuffle : bool, default=True
        Shuffle the samples before each epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation, the validation split and the shuffles.
        The same integer gives bit-identical weights.
    tol : float, default=1e-4
        Training stops when the loss (or validation score) has not improved by
        at least ``tol`` for ``n_iter_no_change`` epochs; ``"lbfgs"`` uses it as
        its gradient tolerance.
    verbose : bool or int, default=False
        Print the loss after every epoch (scikit-learn's MLP's lines) or L-BFGS
        iteration.
    warm_start : bool, default=False
        Continue from the current ``coefs_`` and ``intercepts_``, including
        ones you assigned yourself, even before the first fit.
    momentum : float, default=0.9
        Momentum of ``solver="sgd"``, in [0, 1].
    nesterovs_momentum : bool, default=True
        Use Nesterov's momentum with ``solver="sgd"``.
"""

SOLVER_PARAMETERS = """\
    validation_fraction : float, default=0.1
        Share of the data held out for early stopping, in [0, 1).
    beta_1, beta_2 : float, default=0.9, 0.999
        Decay rates of Adam's moment estimates, in [0, 1).
    epsilon : float, default=1e-8
        Adam's numerical-stability constant.
    n_iter_no_change : int or np.inf, default=10
        Epochs without ``tol`` improvement before stopping; ``np.inf`` never
        stops on it. A warm start continues the count of the previous fit.
    max_fun : int, default=15000
        Maximum loss evaluations of ``"lbfgs"``.
"""

WEIGHT_INIT = """\
    weight_init : {"glorot", "he", "uniform", "normal"}, default="glorot"
        ``"glorot"`` is scikit-learn's scheme and draws; ``"he"`` is
        ``N(0, 2 / fan_in)``; ``"uniform"`` is ``U[-1, 1]`` (seeds 000, 002);
        ``"normal"`` is ``N(0, 0.1**2)`` with biases 0.1 (seed 001).
"""


DROPOUT = """\
    dropout : float or list of float, default=0.0
        Inverted dropout on the hidden layers' outputs while ``"sgd"`` or
        ``"adam"`` train: each unit is dropped with this probability (one
        rate for every hidden layer, or one per layer, each in [0, 1)) and
        the kept ones scaled by ``1 / (1 - rate)``. Every batch draws new
        masks from ``random_state``; prediction, validation scores and
        ``check_gradients`` use the whole network. Not with ``"lbfgs"``,
        whose objective must not change between evaluations.
"""


SCORING = """\
    scoring : None, "loss", str or callable, default=None
        What a validation set (``X_val``/``y_val``, or early stopping's
        split) is judged by, for early stopping, the choice among ``n_init``
        starts and ``validation_scores_``. None is scikit-learn's: accuracy
        for the classifier, R² for the regressor (D² pinball, its
        ``score``, for ``loss="quantile"``). ``"loss"`` is the
        validation loss, recorded negated so that larger is better (as
        scikit-learn's ``neg_*`` scorers). Any other string names a
        scikit-learn scorer (``"balanced_accuracy"``, ``"roc_auc"``,
        ``"neg_log_loss"``, ...), called with the sample weights; a callable
        is called as ``scorer(estimator, X_val, y_val)`` with the estimator
        as it stands after that epoch.
"""


TOOLKIT = """\
    lr_schedule : None, "cosine", "plateau" or callable, default=None
        Learning-rate schedule of ``"sgd"`` and ``"adam"``. None is
        scikit-learn's behaviour: ``learning_rate`` schedules sgd, and adam
        steps with ``learning_rate_init``. ``"cosine"`` anneals from
        ``learning_rate_init`` toward 0 over ``max_iter`` epochs, stepping
        every batch. ``"plateau"`` divides the rate by 5 whenever the stopping
        rule would stop (``n_iter_no_change`` epochs without ``tol``
        improvement of the training loss, or of the validation score with
        early stopping), and stops once the rate is at most 1e-6: sgd's
        ``"adaptive"`` rule, for adam too. A callable ``schedule(epoch, lr)``
        returns each epoch's rate, given the epoch (from 0) and the rate it
        returned before (``learning_rate_init`` first). With sgd, any of them
        needs ``learning_rate="constant"``. ``partial_fit`` continues the
        schedule from call to call (a schedule changed between calls starts
        afresh); each ``fit``, warm or not, starts it afresh, as it starts the
        update rule afresh.
    warmup : int, default=0
        Epochs over which the rate ramps linearly, batch by batch, up to the
        schedule's rate; less than ``max_iter``. With ``"cosine"`` the
        annealing starts after it.
    weight_decay : float, default=0.0
        Decoupled weight decay, as in AdamW and SGDW: before each step the
        weights shrink by ``lr * weight_decay`` of themselves, ``lr`` being
        the scheduled rate. ``alpha`` instead adds an L2 term to the loss,
        whose gradient Adam then rescales with everything else; decay
        shrinks every weight at the same rate whatever its gradient history.
        Biases are not decayed, as ``alpha`` does not penalise them.
    max_grad_norm : float or None, default=None
        Scale each batch's gradient down to this global L2 norm (over every
        weight and bias) when it is larger, before the step: a fit whose
        steps blow up stays finite. Stochastic solvers only.
    dtype : None, "float32" or "float64", default=None
        The float type training and prediction compute in. None follows X,
        as scikit-learn does: float32 X trains in float32, anything else in
        float64. ``"float32"`` (or ``np.float32``) trains float64 data in
        float32, about twice as fast on large networks; ``coefs_`` come out
        in it, and ``predict`` converts X of either float type to it. Under
        array API dispatch it must be a dtype X's device has.
"""


EPOCH_RECORDS = """\
    n_iter_ : int
        Epochs (or L-BFGS iterations) run by the last call to fit.
    t_ : int
        Training samples seen by the stochastic solvers.
    learning_rate_curve_ : list of float
        The learning rate each epoch of ``"sgd"`` or ``"adam"`` began with
        (the scheduled rate, before Adam's bias correction); continued by
        warm and partial fits. Not set by ``"lbfgs"``, so after an lbfgs fit
        a warm sgd or adam fit's curve is shorter than ``loss_curve_``.
"""


def shared_docstring(cls):
    """Class decorator: put the shared parameter descriptions into ``cls``'s docstring."""
    parts = {"{network_parameters}": NETWORK_PARAMETERS, "{solver_parameters}": SOLVER_PARAMETERS,
             "{weight_init}": WEIGHT_INIT, "{dropout}": DROPOUT, "{scoring}": SCORING,
             "{toolkit}": TOOLKIT, "{epoch_records}": EPOCH_RECORDS}
    doc = cls.__doc__
    for placeholder, text in parts.items():
        doc = doc.replace(placeholder, text.rstrip("\n"))
    cls.__doc__ = doc
    return cls
