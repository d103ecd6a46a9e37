"""``loss="quantile"``: the pinball loss, one output per level, never crossing, scored by D²."""

import warnings

import numpy as np
import pytest
from arrays import host
from sklearn import config_context
from sklearn.metrics import d2_pinball_score, mean_pinball_loss

from skxor import InvalidParameterError, MLPBackpropRegressor, check_gradients
from skxor.network.losses import Pinball

pytestmark = pytest.mark.usefixtures("quiet_convergence")


def heteroscedastic(n_samples, seed):
    """y = sin(x) + (0.2 + 0.5 |x|) noise: the spread grows away from 0."""
    rng = np.random.RandomState(seed)
    x = rng.uniform(-3, 3, size=(n_samples, 1))
    return x, np.sin(x[:, 0]) + (0.2 + 0.5 * np.abs(x[:, 0])) * rng.standard_normal(n_samples)


X, Y = heteroscedastic(1500, seed=0)
X_TEST, Y_TEST = heteroscedastic(3000, seed=1)
LEVELS = [0.1, 0.5, 0.9]
SOLVERS = {"adam": dict(learning_rate_init=0.01), "sgd": dict(learning_rate_init=0.01),
           "lbfgs": {}}


def quantile_model(quantile=LEVELS, **params):
    return MLPBackpropRegressor(**{"loss": "quantile", "quantile": quantile,
                                   "hidden_layer_sizes": (32, 32), "max_iter": 150,
                                   "random_state": 0, **params})


def unsorted_output(model, X):
    """The output layer's values, one column per level, before ``predict`` sorts them."""
    return model.hidden_activations(X) @ model.coefs_[-1] + model.intercepts_[-1]


def test_the_pinball_loss_is_q_r_above_the_fit_and_q_minus_one_r_below():
    target = np.array([[1.0], [1.0], [-2.0]])
    output = np.array([[0.0], [3.0], [-2.0]])
    weights = np.array([0.5, 0.25, 0.25])
    # residuals y - p: 1 (above, q r = 0.3), -2 (below, (q - 1) r = 1.4), 0
    value = Pinball((0.3,)).value(output, target, weights, "identity")
    assert value == pytest.approx(0.5 * 0.3 + 0.25 * 1.4)


def test_the_pinball_loss_of_each_level_matches_scikit_learns():
    rng = np.random.RandomState(0)
    target, output = rng.standard_normal((50, 1)), rng.standard_normal((50, 2))
    loss = Pinball((0.2, 0.7)).value(output, np.repeat(target, 2, axis=1), None, "identity")
    expected = sum(mean_pinball_loss(target[:, 0], output[:, column], alpha=level)
                   for column, level in enumerate((0.2, 0.7)))
    assert loss == pytest.approx(expected, rel=1e-12)


def test_the_reported_loss_is_the_mean_over_levels():
    model = quantile_model(solver="lbfgs", max_iter=20).fit(X, Y)
    raw = unsorted_output(model, X)
    expected = np.mean([mean_pinball_loss(Y, raw[:, column], alpha=level)
                        for column, level in enumerate(LEVELS)])
    penalty = 0.5 * model.alpha * sum((coef ** 2).sum() for coef in model.coefs_) / len(X)
    assert model.loss_ == pytest.approx(expected + penalty, rel=1e-9)  # as MLPRegressor adds it


def test_the_median_trains_as_half_the_absolute_error_under_adam():
    # Adam's steps do not change when every gradient is halved (up to epsilon)
    params = dict(hidden_layer_sizes=(8,), alpha=0.0, max_iter=20, random_state=0)
    median = MLPBackpropRegressor(loss="quantile", quantile=0.5, **params).fit(X, Y)
    absolute = MLPBackpropRegressor(loss="absolute_error", **params).fit(X, Y)
    np.testing.assert_allclose(median.loss_curve_, np.multiply(absolute.loss_curve_, 0.5),
                               rtol=1e-5)


@pytest.mark.parametrize("solver", list(SOLVERS))
def test_each_level_holds_its_share_of_held_out_targets(solver):
    model = quantile_model(solver=solver, **SOLVERS[solver]).fit(X, Y)
    predicted = model.predict(X_TEST)
    below = (Y_TEST[:, None] <= predicted).mean(axis=0)
    np.testing.assert_allclose(below, LEVELS, atol=0.04)


def test_the_predicted_spread_follows_the_noise():
    model = quantile_model(solver="lbfgs").fit(X, Y)
    width = np.diff(model.predict([[0.0], [2.5]])[:, [0, 2]], axis=1).ravel()
    # the true 10 %-90 % width is 2 * 1.2816 * (0.2 + 0.5 |x|): 0.51 at 0, 3.7 at 2.5
    assert width[1] > 3 * width[0]


def test_several_levels_give_one_column_each():
    model = quantile_model(max_iter=5).fit(X, Y)
    assert model.predict(X_TEST).shape == (len(X_TEST), 3)
    assert model.n_outputs_ == 3
    np.testing.assert_array_equal(model.quantiles_, LEVELS)


def test_predictions_are_sorted_even_where_the_outputs_cross():
    model = quantile_model(max_iter=5).fit(X, Y)
    model.coefs_[-1][:] = model.coefs_[-1][:, ::-1].copy()  # the 90 % unit now answers first
    model.intercepts_[-1][:] = model.intercepts_[-1][::-1].copy()
    raw = unsorted_output(model, X_TEST)
    assert (np.diff(raw, axis=1) < 0).any()
    np.testing.assert_array_equal(model.predict(X_TEST), np.sort(raw, axis=1))


def test_one_level_predicts_a_vector_and_fits_every_column_of_y():
    assert quantile_model(quantile=0.9, max_iter=5).fit(X, Y).predict(X_TEST).shape == (3000,)
    two_columns = np.stack([Y, -Y], axis=1)
    model = quantile_model(quantile=0.9, max_iter=5).fit(X, two_columns)
    assert model.predict(X_TEST).shape == (3000, 2)


def test_several_levels_need_a_one_dimensional_y():
    with pytest.raises(ValueError, match=r"quantile=\[0.1, 0.5, 0.9\] fits 3 quantiles of one "
                                         r"target, but y has 2 columns"):
        quantile_model().fit(X, np.stack([Y, Y], axis=1))


@pytest.mark.parametrize("quantile", [0.0, 1.0, -0.5, [0.9, 0.1], [0.5, 0.5], [], "0.5",
                                      True, [[0.1, 0.9]]], ids=repr)
def test_quantile_takes_increasing_levels_strictly_between_zero_and_one(quantile):
    with pytest.raises(InvalidParameterError, match="'quantile' parameter of "
                                                    "MLPBackpropRegressor must be"):
        quantile_model(quantile=quantile).fit(X, Y)


def test_quantile_takes_a_numpy_array_of_levels():
    model = quantile_model(quantile=np.array([0.25, 0.75]), max_iter=5).fit(X, Y)
    np.testing.assert_array_equal(model.quantiles_, [0.25, 0.75])


def test_a_warm_start_with_another_number_of_levels_names_quantile():
    model = quantile_model(quantile=[0.1, 0.9], max_iter=5).fit(X, Y)
    model.set_params(quantile=LEVELS, warm_start=True)
    with pytest.raises(ValueError, match=r"y has 3 outputs \(one per level of "
                                         r"quantile=\[0.1, 0.5, 0.9\]\), but this "
                                         r"MLPBackpropRegressor was fitted with 2"):
        model.fit(X, Y)


def test_refitting_with_another_loss_forgets_the_levels():
    model = quantile_model(max_iter=5).fit(X, Y)
    model.set_params(loss="squared_error").fit(X, Y)
    assert model.quantiles_ is None
    assert model.predict(X_TEST).shape == (3000,)


@pytest.mark.parametrize("quantile", [0.3, LEVELS], ids=["one level", "three levels"])
def test_backprop_matches_finite_differences(quantile):
    model = quantile_model(quantile=quantile, hidden_layer_sizes=(4,), alpha=0.1)
    result = check_gradients(model, X[:30], Y[:30])
    assert result.passed, result


def test_score_is_the_d2_pinball_score_averaged_over_levels():
    model = quantile_model(max_iter=20).fit(X, Y)
    predicted = model.predict(X_TEST)
    expected = np.mean([d2_pinball_score(Y_TEST, predicted[:, column], alpha=level)
                        for column, level in enumerate(LEVELS)])
    assert model.score(X_TEST, Y_TEST) == pytest.approx(expected)


def test_score_takes_sample_weights():
    model = quantile_model(quantile=0.8, max_iter=20).fit(X, Y)
    weights = np.random.RandomState(0).uniform(0, 2, len(X_TEST))
    expected = d2_pinball_score(Y_TEST, model.predict(X_TEST), alpha=0.8,
                                sample_weight=weights)
    assert model.score(X_TEST, Y_TEST, weights) == pytest.approx(expected)


def test_a_validation_set_is_scored_as_score_scores_it():
    model = quantile_model(max_iter=10).fit(X, Y, X_val=X_TEST, y_val=Y_TEST)
    assert model.validation_scores_[-1] == pytest.approx(model.score(X_TEST, Y_TEST))


def test_early_stopping_keeps_the_best_d2_pinball_score():
    model = quantile_model(early_stopping=True, max_iter=60).fit(X, Y)
    assert model.best_validation_score_ == max(model.validation_scores_)
    assert 0.2 < model.best_validation_score_ <= 1


def test_scoring_loss_scores_by_the_negated_validation_pinball_loss():
    model = quantile_model(early_stopping=True, scoring="loss", max_iter=10).fit(X, Y)
    np.testing.assert_allclose(model.validation_scores_,
                               np.negative(model.validation_loss_curve_))


def test_a_scorer_for_one_column_scores_a_single_level():
    model = quantile_model(quantile=0.5, early_stopping=True,
                           scoring="neg_mean_absolute_error", max_iter=10).fit(X, Y)
    assert all(score < 0 for score in model.validation_scores_)


@pytest.mark.parametrize("namespace", ["array_api_strict", "torch"])
def test_a_fit_on_a_namespace_matches_the_numpy_fit(namespace):
    module = pytest.importorskip(namespace)
    params = dict(solver="sgd", max_iter=10, hidden_layer_sizes=(8,), learning_rate_init=0.01)
    reference = quantile_model(**params).fit(X, Y)
    with config_context(array_api_dispatch=True), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # array-api-strict's device notes
        fitted = quantile_model(**params).fit(module.asarray(X), module.asarray(Y))
        predicted = fitted.predict(module.asarray(X_TEST))
        score = fitted.score(module.asarray(X_TEST), module.asarray(Y_TEST))
    assert type(predicted).__module__.split(".")[0] == namespace
    np.testing.assert_allclose(host(predicted), reference.predict(X_TEST), atol=1e-9)
    assert score == pytest.approx(reference.score(X_TEST, Y_TEST))
