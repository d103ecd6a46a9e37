"""Update rules, one closed-form step at a time, and the stopping rule."""

import numpy as np
import pytest

from skxor.training.progress import Progress
from skxor.training.update_rules import SGD, Adam

GRAD = np.array([0.5, -2.0, 1.0])
START = np.array([1.0, 1.0, -1.0])


def test_plain_sgd_step_is_minus_learning_rate_times_gradient():
    params = START.copy()
    SGD(np.zeros(3), 0.1, momentum=0.0, nesterov=False).update(params, GRAD)
    np.testing.assert_allclose(params, START - 0.1 * GRAD)


def test_momentum_step_adds_the_decayed_velocity():
    optimizer = SGD(np.zeros(3), 0.1, momentum=0.9, nesterov=False)
    params = START.copy()
    optimizer.update(params, GRAD)
    optimizer.update(params, GRAD)
    first = -0.1 * GRAD
    second = 0.9 * first - 0.1 * GRAD
    np.testing.assert_allclose(params, START + first + second)


def test_nesterov_step_looks_ahead_along_the_new_velocity():
    optimizer = SGD(np.zeros(3), 0.1, momentum=0.9, nesterov=True)
    params = START.copy()
    optimizer.update(params, GRAD)
    velocity = -0.1 * GRAD
    np.testing.assert_allclose(params, START + 0.9 * velocity - 0.1 * GRAD)


def test_invscaling_rate_decays_with_samples_seen():
    optimizer = SGD(np.zeros(3), 0.1, schedule="invscaling", power_t=0.5)
    optimizer.iteration_ends(99)
    assert optimizer.learning_rate == pytest.approx(0.1 / 10)


def test_adaptive_rate_shrinks_fivefold_instead_of_stopping():
    optimizer = SGD(np.zeros(3), 0.1, schedule="adaptive")
    assert optimizer.trigger_stopping() == (False, "Setting learning rate to 0.020000")
    assert optimizer.learning_rate == pytest.approx(0.02)


def test_adaptive_rate_stops_once_below_one_millionth():
    optimizer = SGD(np.zeros(3), 1e-6, schedule="adaptive")
    assert optimizer.trigger_stopping() == (True, "Learning rate too small. Stopping.")


@pytest.mark.parametrize("schedule", ["constant", "invscaling"])
def test_fixed_schedules_stop_when_progress_stalls(schedule):
    assert SGD(np.zeros(3), 0.1, schedule=schedule).trigger_stopping() == (True, "Stopping.")


def test_adam_stops_when_progress_stalls():
    assert Adam(np.zeros(3), 0.1).trigger_stopping() == (True, "Stopping.")


def test_first_adam_step_has_size_learning_rate_in_every_coordinate():
    params = START.copy()
    Adam(np.zeros(3), 0.01, epsilon=0.0).update(params, GRAD)
    np.testing.assert_allclose(params, START - 0.01 * np.sign(GRAD))


def test_second_adam_step_uses_bias_corrected_moments():
    b1, b2, lr = 0.9, 0.999, 0.01
    optimizer = Adam(np.zeros(3), lr, b1, b2, epsilon=1e-8)
    params = START.copy()
    optimizer.update(params, GRAD)
    after_first = params.copy()
    optimizer.update(params, 2 * GRAD)
    m = b1 * (1 - b1) * GRAD + (1 - b1) * 2 * GRAD
    v = b2 * (1 - b2) * GRAD**2 + (1 - b2) * 4 * GRAD**2
    step = lr * np.sqrt(1 - b2**2) / (1 - b1**2) * m / (np.sqrt(v) + 1e-8)
    np.testing.assert_allclose(params, after_first - step)


def test_optimizers_keep_float32_parameters_in_float32():
    for optimizer in (SGD(np.zeros(3, np.float32), 0.1), Adam(np.zeros(3, np.float32), 0.1)):
        params = START.astype(np.float32)
        optimizer.update(params, GRAD.astype(np.float32))
        assert params.dtype == np.float32


def test_progress_counts_epochs_that_miss_the_tolerance():
    progress = Progress()
    for loss in [1.0, 0.5, 0.49995, 0.4999]:
        progress.record(loss, None, tol=1e-4)
    assert progress.no_improvement_count == 2
    assert progress.best_loss == 0.4999


def test_progress_keeps_the_parameters_of_the_best_validation_score():
    progress = Progress(validation_scores=[], validation_loss_curve=[],
                        judge_on_validation=True)
    progress.record(1.0, np.array([1.0]), tol=0.0, validation=(0.8, 0.5))
    progress.record(0.9, np.array([2.0]), tol=0.0, validation=(0.7, 0.6))
    assert progress.best_validation_score == 0.8
    np.testing.assert_array_equal(progress.best_params, [1.0])
    assert progress.no_improvement_count == 1


def test_progress_only_monitoring_a_validation_set_judges_the_training_loss():
    progress = Progress(validation_scores=[], validation_loss_curve=[])
    progress.record(1.0, np.array([1.0]), tol=0.0, validation=(0.8, 0.5))
    progress.record(0.9, np.array([2.0]), tol=0.0, validation=(0.7, 0.6))
    assert progress.no_improvement_count == 0
    assert progress.best_params is None
    assert progress.validation_loss_curve == [0.5, 0.6]


@pytest.mark.parametrize("rule", [Adam, SGD])
def test_scratch_and_scalar_arrays_are_not_part_of_the_saved_state(rule):
    import pickle

    optimizer = rule(np.zeros(3), 0.01)
    optimizer.update(START.copy(), GRAD)
    restored = pickle.loads(pickle.dumps(optimizer))
    assert not {"_scratch_arrays", "_scalar_arrays"} & set(vars(restored))
    params, reference = START.copy(), START.copy()
    restored.update(params, GRAD)
    optimizer.update(reference, GRAD)
    np.testing.assert_array_equal(params, reference)


@pytest.mark.usefixtures("quiet_convergence")
def test_lbfgs_runs_scipys_own_blas_on_one_thread_and_restores_it(monkeypatch):
    import scipy.optimize
    from threadpoolctl import threadpool_info

    import skxor.training.lbfgs as solvers
    from skxor import MLPBackpropClassifier

    if solvers._scipy_own_blas() is None:
        pytest.skip("SciPy shares NumPy's BLAS here: nothing is limited")
    own = {library.filepath for library in solvers._scipy_own_blas().lib_controllers}

    def threads():
        return {info["filepath"]: info["num_threads"] for info in threadpool_info()}

    before = threads()
    seen = {}
    real_minimize = scipy.optimize.minimize

    def recording_minimize(*args, **kwargs):
        seen.update(threads())
        return real_minimize(*args, **kwargs)

    monkeypatch.setattr(solvers.scipy.optimize, "minimize", recording_minimize)
    MLPBackpropClassifier(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=5).fit(
        [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])
    assert all(seen[path] == 1 for path in own)
    assert all(seen[path] == before[path] for path in before if path not in own)
    assert threads() == before


def test_sgd_step_follows_a_changed_learning_rate():
    changed = SGD(np.zeros(3), 0.1, momentum=0.0)
    changed.update(START.copy(), GRAD)
    changed.learning_rate = 0.02
    params = START.copy()
    changed.update(params, GRAD)
    np.testing.assert_allclose(params, START - 0.02 * GRAD)
