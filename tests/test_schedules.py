"""``lr_schedule`` and ``warmup``: each schedule's rates in closed form, and how fits use them."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from skxor import InvalidParameterError, MLPBackpropClassifier, MLPBackpropRegressor
from skxor.training.schedules import LearningRate
from skxor.training.update_rules import SGD, Controls

X = np.random.RandomState(0).normal(size=(40, 3))
Y = (X[:, 0] > 0).astype(int)
COS_QUARTER = 0.8535533905932737  # (1 + cos(pi / 4)) / 2
COS_THREE_QUARTERS = 0.14644660940672624  # (1 + cos(3 pi / 4)) / 2


def batch_rates(schedule, n_epochs, n_batches):
    """The rate of every batch of ``n_epochs`` epochs of ``n_batches`` each."""
    rates = []
    for _ in range(n_epochs):
        schedule.begin_epoch(n_batches)
        for _ in range(n_batches):
            rates.append(schedule.current())
            schedule.advance()
        schedule.end_epoch()
    return rates


def full_batch(**params):
    """A classifier whose every epoch is one batch, trained without stopping early."""
    params = {"n_iter_no_change": np.inf, "batch_size": len(X), **params}
    return MLPBackpropClassifier(hidden_layer_sizes=(4,), random_state=0, **params)


def quietly(fit, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return fit(*args, **kwargs)


def test_cosine_anneals_every_batch_toward_zero_at_max_iter():
    rates = batch_rates(LearningRate(1.0, "cosine", warmup=0, horizon=2), 2, 2)
    assert rates == pytest.approx([1.0, COS_QUARTER, 0.5, COS_THREE_QUARTERS], abs=1e-15)


def test_warmup_ramps_linearly_to_the_full_rate_with_its_last_batch():
    rates = batch_rates(LearningRate(0.1, None, warmup=2, horizon=10), 3, 2)
    assert rates == pytest.approx([0.025, 0.05, 0.075, 0.1, 0.1, 0.1], abs=1e-15)


def test_cosine_starts_to_anneal_when_the_warmup_ends():
    rates = batch_rates(LearningRate(1.0, "cosine", warmup=1, horizon=3), 3, 2)
    assert rates == pytest.approx([0.5, 1.0, 1.0, COS_QUARTER, 0.5, COS_THREE_QUARTERS],
                                  abs=1e-15)


def test_plateau_divides_the_rate_by_five_on_a_stall_and_stops_below_1e_6():
    schedule = LearningRate(1e-3, "plateau", warmup=0, horizon=10)
    assert schedule.stall() == (False, "Setting learning rate to 0.000200")
    assert schedule.current() == pytest.approx(2e-4, abs=1e-18)
    schedule.base = 1e-6
    assert schedule.stall() == (True, "Learning rate too small. Stopping.")


@pytest.mark.parametrize("schedule", [None, "cosine"])
def test_schedules_other_than_plateau_stop_on_a_stall(schedule):
    assert LearningRate(1e-3, schedule, 0, 10).stall() == (True, "Stopping.")


def test_a_callable_gets_the_epoch_and_the_rate_it_returned_before():
    calls = []

    def halve(epoch, lr):
        calls.append((epoch, lr))
        return lr / 2

    assert batch_rates(LearningRate(1.0, halve, 0, 10), 3, 1) == [0.5, 0.25, 0.125]
    assert calls == [(0, 1.0), (1, 0.5), (2, 0.25)]


def test_an_sgd_step_takes_the_scheduled_rate():
    rule = SGD(np.zeros(2), 0.1, momentum=0.0, nesterov=False)
    rule.controls = Controls(schedule=LearningRate(0.1, None, warmup=2, horizon=10))
    rule.begin_epoch(1)
    params = np.array([1.0, 2.0])
    rule.update(params, np.array([1.0, -1.0]))
    np.testing.assert_allclose(params, [1.0 - 0.05, 2.0 + 0.05], rtol=1e-15)


def test_a_fit_records_each_epochs_first_rate():
    clf = quietly(full_batch(lr_schedule="cosine", max_iter=4, learning_rate_init=0.1).fit,
                  X, Y)
    assert clf.learning_rate_curve_ == pytest.approx(
        [0.1, 0.1 * COS_QUARTER, 0.05, 0.1 * COS_THREE_QUARTERS], abs=1e-15)


def test_without_a_schedule_adam_records_its_constant_rate():
    clf = quietly(full_batch(max_iter=3, learning_rate_init=0.01).fit, X, Y)
    assert clf.learning_rate_curve_ == [0.01, 0.01, 0.01]


def test_plateau_with_sgd_is_sgds_adaptive_rule():
    params = dict(solver="sgd", tol=10.0, n_iter_no_change=1, max_iter=8)
    plateau = quietly(full_batch(lr_schedule="plateau", **params).fit, X, Y)
    adaptive = quietly(full_batch(learning_rate="adaptive", **params).fit, X, Y)
    assert plateau.learning_rate_curve_ == adaptive.learning_rate_curve_
    assert plateau.learning_rate_curve_[-1] < plateau.learning_rate_curve_[0]
    for ours, theirs in zip(plateau.coefs_, adaptive.coefs_, strict=True):
        np.testing.assert_array_equal(ours, theirs)


def test_plateau_divides_adams_rate_where_it_would_have_stopped():
    clf = quietly(full_batch(lr_schedule="plateau", tol=10.0, max_iter=6,
                             n_iter_no_change=1).fit, X, Y)
    # epoch 1 sets the best loss; epochs 2 and 3 stall, and the count exceeds 1 after 3
    assert clf.learning_rate_curve_ == pytest.approx(
        [1e-3, 1e-3, 1e-3, 2e-4, 2e-4, 4e-5], abs=1e-18)
    assert clf.n_iter_ == 6


def test_plateau_follows_the_validation_score_under_early_stopping(capsys):
    clf = quietly(full_batch(lr_schedule="plateau", early_stopping=True, tol=10.0,
                             max_iter=4, verbose=True, n_iter_no_change=1,
                             batch_size=36).fit,
                  X, Y)
    assert clf.learning_rate_curve_ == pytest.approx([1e-3, 1e-3, 1e-3, 2e-4], abs=1e-18)
    assert ("Validation score did not improve more than tol=10.000000 for 1 consecutive "
            "epochs. Setting learning rate to 0.000200") in capsys.readouterr().out


def test_partial_fit_continues_the_schedule():
    clf = full_batch(lr_schedule="cosine", max_iter=4, learning_rate_init=0.1)
    clf.partial_fit(X, Y, classes=[0, 1])
    clf.partial_fit(X, Y)
    assert clf.learning_rate_curve_ == pytest.approx([0.1, 0.1 * COS_QUARTER], abs=1e-15)


def test_partial_fit_past_cosines_horizon_warns_that_it_trains_nothing():
    clf = full_batch(lr_schedule="cosine", max_iter=2)
    clf.partial_fit(X, Y, classes=[0, 1])
    clf.partial_fit(X, Y)
    before = [coef.copy() for coef in clf.coefs_]
    with pytest.warns(UserWarning, match="annealed the learning rate to 0 over max_iter=2"):
        clf.partial_fit(X, Y)
    for coef, old in zip(clf.coefs_, before, strict=True):
        np.testing.assert_array_equal(coef, old)


def test_partial_fit_takes_up_controls_set_since_the_last_call():
    clf = full_batch(max_iter=4, learning_rate_init=0.1)
    clf.partial_fit(X, Y, classes=[0, 1])
    clf.set_params(lr_schedule="cosine").partial_fit(X, Y)
    clf.partial_fit(X, Y)
    assert clf.learning_rate_curve_ == pytest.approx([0.1, 0.1, 0.1 * COS_QUARTER], abs=1e-15)


def test_a_batch_skipped_for_its_zero_weights_still_moves_the_schedule(monkeypatch):
    rates = []
    current = LearningRate.current
    monkeypatch.setattr(LearningRate, "current", lambda self: rates.append(current(self))
                        or rates[-1])
    weights = np.r_[np.zeros(10), np.ones(30)]  # the first of 4 batches weighs nothing
    quietly(MLPBackpropClassifier(hidden_layer_sizes=(4,), batch_size=10, shuffle=False,
                                  warmup=1, max_iter=2, learning_rate_init=1.0,
                                  random_state=0).fit, X, Y, sample_weight=weights)
    # the epoch's first rate, then the three batches that step: the 2nd, 3rd and 4th
    assert rates[:4] == [0.25, 0.5, 0.75, 1.0]


def test_a_warm_started_fit_starts_the_schedule_afresh():
    clf = quietly(full_batch(lr_schedule="cosine", max_iter=2, warm_start=True).fit, X, Y)
    quietly(clf.fit, X, Y)
    assert clf.learning_rate_curve_ == pytest.approx([1e-3, 5e-4, 1e-3, 5e-4], abs=1e-18)


def test_every_random_start_has_its_own_schedule():
    clf = quietly(full_batch(lr_schedule="cosine", max_iter=2, n_init=3).fit, X, Y)
    assert clf.learning_rate_curve_ == pytest.approx([1e-3, 5e-4], abs=1e-18)


def test_verbose_prints_the_rate_when_it_changes(capsys):
    quietly(full_batch(lr_schedule=lambda epoch, lr: 0.01 if epoch < 2 else 0.001,
                       max_iter=3, verbose=True).fit, X, Y)
    lines = [line for line in capsys.readouterr().out.splitlines() if "Learning rate" in line]
    assert lines == ["Learning rate: 0.01", "Learning rate: 0.001"]


def test_verbose_prints_no_rate_without_a_schedule(capsys):
    quietly(full_batch(max_iter=2, verbose=True).fit, X, Y)
    assert "Learning rate" not in capsys.readouterr().out


def test_sgds_learning_rate_schedule_and_lr_schedule_are_not_combined():
    clf = full_batch(solver="sgd", learning_rate="invscaling", lr_schedule="cosine")
    with pytest.raises(ValueError, match="would schedule sgd's rate twice"):
        clf.fit(X, Y)
    assert not hasattr(clf, "coefs_")


def test_adam_ignores_learning_rate_beside_a_schedule_as_scikit_learn_does():
    clf = quietly(full_batch(learning_rate="invscaling", lr_schedule="cosine",
                             max_iter=2).fit, X, Y)
    assert clf.learning_rate_curve_ == pytest.approx([1e-3, 5e-4], abs=1e-18)


def test_a_warmup_must_end_before_max_iter():
    with pytest.raises(ValueError, match="warmup=5 must be less than max_iter=5"):
        full_batch(warmup=5, max_iter=5).fit(X, Y)


@pytest.mark.parametrize("bad", [-0.1, np.nan, "fast", None])
def test_a_callable_returning_no_rate_is_refused_naming_the_epoch(bad):
    clf = full_batch(lr_schedule=lambda epoch, lr: lr if epoch == 0 else bad, max_iter=3)
    with pytest.raises(ValueError, match=r"lr_schedule returned .* for epoch 1"):
        clf.fit(X, Y)
    assert not hasattr(clf, "coefs_")


@pytest.mark.parametrize(("name", "value"), [("lr_schedule", "linear"), ("lr_schedule", 3),
                                             ("warmup", -1), ("warmup", 1.5)])
def test_bad_schedule_parameters_raise_invalid_parameter_error(name, value):
    with pytest.raises(InvalidParameterError, match=f"The '{name}' parameter of "
                                                    "MLPBackpropRegressor must be"):
        MLPBackpropRegressor(**{name: value}).fit(X, Y)


def test_schedules_work_with_dropout_and_the_regressor():
    reg = quietly(MLPBackpropRegressor(hidden_layer_sizes=(8,), lr_schedule="cosine",
                                       warmup=1, dropout=0.2, max_iter=5,
                                       random_state=0).fit, X, X[:, 0])
    assert len(reg.learning_rate_curve_) == 5 and np.isfinite(reg.loss_)


def test_lbfgs_has_no_learning_rate_curve():
    clf = quietly(MLPBackpropClassifier(hidden_layer_sizes=(4,), solver="lbfgs",
                                        max_iter=5).fit, X, Y)
    assert not hasattr(clf, "learning_rate_curve_")
