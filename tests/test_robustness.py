"""Training never goes silently wrong, and a failed fit destroys nothing."""


from types import SimpleNamespace

import numpy as np
import pytest
from callback_protocol import SilentCallback
from sklearn.datasets import load_iris
from sklearn.exceptions import ConvergenceWarning, FitFailedWarning
from sklearn.model_selection import GridSearchCV

from skxor import MLPBackpropClassifier, MLPBackpropRegressor
from skxor.network.activations import ACTIVATIONS
from skxor.targets.losses import CLASSIFICATION_LOSSES

RNG = np.random.RandomState(0)
X = RNG.normal(size=(200, 5))
Y = (X[:, 0] > 0).astype(int)
HUGE_X = X * 1e6
X_IRIS, Y_IRIS = load_iris(return_X_y=True)


pytestmark = pytest.mark.usefixtures("quiet_convergence")


def exploding(**params):
    return MLPBackpropClassifier(solver="sgd", learning_rate_init=1e12, random_state=0,
                                 **params)


def test_divergence_stops_with_the_epoch_and_a_remedy():
    with pytest.raises(ValueError, match=r"diverged at epoch \d+.*learning_rate_init"
                                         r".*scale X"):
        exploding().fit(HUGE_X, Y)


def diverging_under_early_stopping(max_iter=20):
    """scikit-learn's ``test_mlp_diverging_loss``: its loss blows up in epoch 2."""
    return MLPBackpropRegressor(hidden_layer_sizes=100, activation="identity", solver="sgd",
                                learning_rate_init=1, max_iter=max_iter, early_stopping=True,
                                random_state=0)


def test_divergence_under_early_stopping_warns_with_the_epoch_and_the_learning_rate():
    with pytest.warns(ConvergenceWarning, match=r"diverged at epoch 2: .*learning_rate_init "
                                                r"\(now 1\).*best validation score"):
        diverging_under_early_stopping().fit(X_IRIS, Y_IRIS)


def test_divergence_under_early_stopping_stops_there_and_records_nan():
    mlp = diverging_under_early_stopping().fit(X_IRIS, Y_IRIS)
    assert mlp.n_iter_ == len(mlp.loss_curve_) == 2
    assert np.isnan(mlp.validation_scores_[-1]) and isinstance(mlp.validation_scores_[-1],
                                                                float)
    assert np.isfinite(mlp.validation_scores_[0])


def test_divergence_under_early_stopping_keeps_the_best_weights_seen():
    diverged = diverging_under_early_stopping().fit(X_IRIS, Y_IRIS)
    before_it = diverging_under_early_stopping(max_iter=1).fit(X_IRIS, Y_IRIS)
    for kept, best in zip(diverged.coefs_ + diverged.intercepts_,
                          before_it.coefs_ + before_it.intercepts_, strict=True):
        np.testing.assert_array_equal(kept, best)


def test_a_callback_that_stops_on_the_diverged_epoch_does_not_hide_the_divergence():
    pytest.importorskip("sklearn.callback", reason="callbacks need scikit-learn >= 1.9")

    class StopAtTheSecondEpoch(SilentCallback):
        epochs = 0

        def on_fit_task_end(self, estimator, context, **kwargs):
            self.epochs += context.task_name == "epoch"
            return self.epochs == 2  # the epoch the loss blows up in

    mlp = diverging_under_early_stopping().set_callbacks(StopAtTheSecondEpoch())
    with pytest.warns(ConvergenceWarning, match="diverged at epoch 2"):
        mlp.fit(X_IRIS, Y_IRIS)


def test_divergence_without_a_validation_set_still_raises():
    with pytest.raises(ValueError, match="diverged at epoch 2"):
        diverging_under_early_stopping().set_params(early_stopping=False).fit(X_IRIS, Y_IRIS)


def test_divergence_in_partial_fit_is_reported_too():
    clf = exploding()
    with pytest.raises(ValueError, match="diverged"):
        for _ in range(5):
            clf.partial_fit(HUGE_X, Y, classes=[0, 1])


def test_a_failed_warm_fit_leaves_the_fitted_model_as_it_was():
    clf = MLPBackpropClassifier(max_iter=5, random_state=0).fit(X, Y)
    before = {name: value for name, value in vars(clf).items() if name.endswith("_")}
    proba = clf.predict_proba(X)
    clf.set_params(warm_start=True, solver="sgd", learning_rate_init=1e12)
    with pytest.raises(ValueError, match="diverged"):
        clf.fit(HUGE_X, Y)
    assert {name for name in vars(clf) if name.endswith("_")} == set(before)
    np.testing.assert_array_equal(clf.predict_proba(X), proba)
    assert clf.loss_curve_ == before["loss_curve_"]


def test_a_failed_partial_fit_keeps_the_optimizer_state_of_the_last_good_call():
    clf = MLPBackpropClassifier(solver="sgd", learning_rate_init=1e12, random_state=0)
    clf.partial_fit(X, Y, classes=[0, 1])
    for _ in range(10):
        velocity, coef = clf._optimizer.velocity.copy(), clf.coefs_[0].copy()
        try:
            clf.partial_fit(HUGE_X, Y)
        except ValueError as error:
            assert "diverged" in str(error)
            break
    else:
        pytest.fail("training at learning rate 1e12 on inputs of 1e6 never diverged")
    np.testing.assert_array_equal(clf._optimizer.velocity, velocity)
    np.testing.assert_array_equal(clf.coefs_[0], coef)


def test_a_failed_first_fit_leaves_no_fitted_attributes():
    clf = exploding()
    with pytest.raises(ValueError):
        clf.fit(HUGE_X, Y)
    assert not [name for name in vars(clf) if name.endswith("_")]


@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_a_diverging_grid_point_fails_visibly_in_grid_search():
    search = GridSearchCV(MLPBackpropClassifier(solver="sgd", max_iter=20, random_state=0),
                          {"learning_rate_init": [0.01, 1e12]}, cv=2, error_score=np.nan)
    with pytest.warns(FitFailedWarning, match="diverged"):
        search.fit(X, Y)
    scores = search.cv_results_["mean_test_score"]
    assert np.isfinite(scores[0]) and np.isnan(scores[1])


EXTREME = np.array([[-1e6, -1e3, -50.0, 0.0, 50.0, 1e3, 1e6]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_and_its_backward_rule_are_silent_at_extremes(name, dtype):
    activation = ACTIVATIONS[name]
    with np.errstate(all="raise"):
        z = EXTREME.astype(dtype)
        output = activation.forward(z.copy())
        saved = z if activation.backward_from == "input" else output
        grad = activation.backward(saved, np.full_like(output, 1e-3))
    assert np.isfinite(output).all() and np.isfinite(grad).all()
    if name in ("logistic", "softmax"):
        assert (output >= 0).all() and (output <= 1).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("output_activation", ["logistic", "softmax"])
@pytest.mark.parametrize("loss", CLASSIFICATION_LOSSES)
def test_loss_and_output_delta_are_silent_for_saturated_outputs(loss, output_activation,
                                                                 dtype):
    loss = CLASSIFICATION_LOSSES[loss].make(SimpleNamespace(**MLPBackpropClassifier().get_params()))
    with np.errstate(all="raise"):
        proba = ACTIVATIONS[output_activation].forward(EXTREME.astype(dtype))
        target = np.zeros_like(proba)
        target[0, 0] = 1
        value = loss.value(proba, target, None, output_activation)
        delta = loss.output_delta(proba, target, None, output_activation, np.empty_like(proba))
    assert np.isfinite(value) and np.isfinite(delta).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("target", ["binary", "multiclass"])
def test_predict_proba_on_huge_inputs_is_silent_and_normalised(dtype, target):
    y = Y if target == "binary" else np.arange(len(X)) % 3
    clf = MLPBackpropClassifier(hidden_layer_sizes=(8,), max_iter=20,
                                random_state=0).fit(X.astype(dtype), y)
    with np.errstate(all="raise"):
        proba = clf.predict_proba(HUGE_X.astype(dtype))
        log_proba = clf.predict_log_proba(HUGE_X.astype(dtype))
    assert ((proba >= 0) & (proba <= 1)).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert np.isfinite(log_proba).all()
