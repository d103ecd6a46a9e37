"""scikit-learn's estimator checks and the behaviours a drop-in swap relies on."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skxor import MLPBackpropClassifier

CHECKED_ESTIMATORS = [
    MLPBackpropClassifier(),
    MLPBackpropClassifier(solver="lbfgs"),
    MLPBackpropClassifier(solver="sgd", loss="squared_error", activation="tanh"),
]


@parametrize_with_checks(CHECKED_ESTIMATORS)
def test_sklearn_estimator_check(estimator, check):
    check(estimator)
