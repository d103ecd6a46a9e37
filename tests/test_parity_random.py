"""Randomized parity with MLPClassifier and MLPRegressor: drawn settings, both libraries fit,
outcomes agree.

Two implementations round differently, and some training amplifies that (Adam
with both betas 0; L-BFGS at the limit of float32 precision). So an observable
may differ only where rounding decides it, and the test checks that it does.
For L-BFGS runs that end at the same weights and loss, that is the iteration
at which L-BFGS-B's stopping test fires, and with it n_iter_ and the warning.
Otherwise, scikit-learn's own result must change in that observable too when
X moves by one unit in the last place, up or down (or, for float32 data, when
the same data train in float64), measured under the BLAS kernel in use, and the
weights may differ at most ten times as far as they move for scikit-learn.
Where one ulp moves scikit-learn's weights farther than their own size, the
fit is chaotic (``CHAOTIC_REACH``) and its weights bound nothing.

Two differences are deliberate: skxor stops a fit whose loss grew
ten-thousandfold, with an error or, under early stopping, with a warning at
the best weights (scikit-learn goes on, and the test checks that its loss did
blow up or its weights overflowed), and NumPy's floating-point
RuntimeWarnings, which name whichever operation the implementation used, are
left out."""

import contextlib
import io
import re
import warnings
from dataclasses import dataclass

import numpy as np
import pytest
from sklearn.datasets import (
    make_classification,
    make_multilabel_classification,
    make_regression,
)
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn_version import SKLEARN_VERSION

from skxor import MLPBackpropClassifier, MLPBackpropRegressor
from skxor.training.progress import DIVERGENCE_FACTOR

if SKLEARN_VERSION < (1, 7):
    pytest.skip("needs scikit-learn >= 1.7: parity is defined against MLPClassifier as of "
                "1.7 (its partial_fit signature and warning texts)", allow_module_level=True)

# Inside each constraint's allowed range, the span a fit of a few dozen
# samples and epochs can use (the allowed ranges are mostly unbounded).
SPANS = {
    "hidden_layer_sizes": (1, 6), "alpha": (0.0, 1.0), "batch_size": (1, 80),
    "learning_rate_init": (1e-4, 0.3), "power_t": (0.0, 1.0), "max_iter": (1, 25),
    "tol": (0.0, 0.05), "validation_fraction": (0.0, 0.5), "epsilon": (1e-10, 1e-6),
    "n_iter_no_change": (1, 6), "max_fun": (5, 300), "random_state": (0, 1000),
}


def _draw_from_interval(name, interval, rng):
    low, high = SPANS.get(name, (interval.left, interval.right))
    low = max(low, interval.left)
    high = high if interval.right is None else min(high, interval.right)
    while True:
        if interval.type.__name__ == "Integral":
            value = int(rng.randint(low, high + 1))
        else:
            value = float(rng.choice([low, high, rng.uniform(low, high)]))
        if interval.is_satisfied_by(value):
            return value


def _draw_valid(name, constraint, rng):
    if constraint in ("boolean", "verbose"):
        return bool(rng.randint(2))
    if constraint == "random_state":
        return int(rng.randint(*SPANS["random_state"]))
    if constraint == "array-like":
        low, high = SPANS[name]
        return tuple(int(size) for size in rng.randint(low, high + 1, size=rng.randint(1, 3)))
    if hasattr(constraint, "options"):
        return sorted(constraint.options, key=str)[rng.randint(len(constraint.options))]
    return _draw_from_interval(name, constraint, rng)


def _draw_invalid(name, constraints):
    """A value none of the parameter's constraints allows."""
    for candidate in ("not-an-option", -1, -0.5, 1.5, None):
        if not any(_satisfies(constraint, candidate) for constraint in constraints):
            return candidate
    raise AssertionError(f"no invalid value found for {name}")


def _satisfies(constraint, value):
    if constraint == "boolean":
        return isinstance(value, bool)
    if constraint in ("verbose", "random_state", "array-like"):
        return value is None if constraint == "random_state" else False
    return constraint.is_satisfied_by(value)


def draw_parameters(theirs, rng):
    params = {}
    for name, constraints in theirs._parameter_constraints.items():
        params[name] = _draw_valid(name, constraints[rng.randint(len(constraints))], rng)
    if rng.uniform() < 0.05:
        name = sorted(params)[rng.randint(len(params))]
        params[name] = _draw_invalid(name, theirs._parameter_constraints[name])
    return params


def _classification_datasets():
    X, y = make_classification(n_samples=60, n_features=5, n_informative=3, n_classes=3,
                               random_state=0)
    X_ml, Y_ml = make_multilabel_classification(n_samples=60, n_features=5, n_classes=3,
                                                random_state=0)
    return {
        "binary": (X, y % 2),
        "multiclass": (X, y),
        "multilabel": (X_ml.astype(float), Y_ml),
        "string labels": (X, np.array(["ant", "bee", "cat"])[y]),
        "float32": (X.astype(np.float32), y),
    }


def _regression_datasets():
    """Non-negative targets of unit spread, so that both of MLPRegressor's losses apply."""
    X, Y = make_regression(n_samples=60, n_features=5, n_informative=3, n_targets=2,
                           noise=1.0, random_state=0)
    Y = (Y - Y.min(axis=0)) / Y.std(axis=0)
    return {"one output": (X, Y[:, 0]), "two outputs": (X, Y),
            "float32": (X.astype(np.float32), Y[:, 0])}


@dataclass(frozen=True)
class Face:
    """One pair of estimators: scikit-learn's, ours, and what to fit them on."""

    ours: type
    theirs: type
    datasets: dict
    n_cases: int


FACES = {"classifier": Face(MLPBackpropClassifier, MLPClassifier, _classification_datasets(),
                            1000),
         "regressor": Face(MLPBackpropRegressor, MLPRegressor, _regression_datasets(), 300)}
WAYS = ["fit", "fit twice", "partial_fit x3"]


def train(estimator_class, params, X, y, way, sample_weight=None):
    """Run one case; return everything both libraries must agree on."""
    estimator = estimator_class(**params)
    stdout = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, \
            contextlib.redirect_stdout(stdout):
        warnings.simplefilter("always")
        try:
            _train(estimator, X, y, way, sample_weight)
            error = None
        except (ValueError, TypeError, AttributeError) as exception:
            error = exception
    observed = {"warnings": [(w.category.__name__, str(w.message)) for w in caught
                             if not issubclass(w.category, RuntimeWarning)],
                "printout": stdout.getvalue() if params["solver"] != "lbfgs" else ""}
    if error is not None:
        observed["error"] = tuple(isinstance(error, kind)
                                  for kind in (ValueError, TypeError, AttributeError))
        observed["message"] = str(error)
        return observed
    classifier = hasattr(estimator, "classes_")
    observed.update(
        n_iter_=estimator.n_iter_,
        classes_=estimator.classes_ if classifier else None,
        labels=estimator.predict(X) if classifier else None,
        outputs=estimator.predict_proba(X) if classifier else estimator.predict(X),
        weights=[*estimator.coefs_, *estimator.intercepts_],
        loss=estimator.loss_,
        losses=getattr(estimator, "loss_curve_", None) or [estimator.loss_])
    return observed


def _train(estimator, X, y, way, sample_weight):
    if way == "fit":
        estimator.fit(X, y, sample_weight=sample_weight)
    elif way == "fit twice":
        estimator.fit(X, y, sample_weight=sample_weight)
        estimator.set_params(max_iter=estimator.max_iter + 3).fit(
            X, y, sample_weight=sample_weight)
    else:
        extra = {}
        if hasattr(estimator, "predict_proba"):
            extra["classes"] = np.unique(y) if y.ndim == 1 else np.arange(y.shape[1])
        for _ in range(3):
            estimator.partial_fit(X, y, sample_weight=sample_weight, **extra)


def draw_case(face, seed):
    """``(params, X, y, way, sample_weight)`` of case ``seed`` of ``face``."""
    rng = np.random.RandomState(seed)
    params = draw_parameters(face.theirs, rng)
    data_name = sorted(face.datasets)[rng.randint(len(face.datasets))]
    way = WAYS[rng.randint(len(WAYS))]
    if way == "partial_fit x3" and params["solver"] == "lbfgs":
        way = "fit"
    weighted = rng.uniform() < 0.3
    X, y = face.datasets[data_name]
    sample_weight = rng.uniform(0.1, 3.0, size=len(y)) if weighted else None
    return params, X, y, way, sample_weight


DECIMAL = re.compile(r"\d+\.\d+")


def _close(a, b, rtol):
    return len(a) == len(b) and np.allclose(a, b, rtol=rtol, atol=0)


def weight_distance(ours, theirs):
    """Largest difference between matching weight arrays, relative to each array's largest."""
    return max(np.abs(mine - reference).max() / max(np.abs(reference).max(), 1e-12)
               for mine, reference in zip(ours, theirs, strict=True))


def differences(a, b, rtol):
    """Names of the observables in which two successful runs differ."""
    numbers_a, numbers_b = (DECIMAL.findall(run["printout"]) for run in (a, b))
    found = {
        "warnings": a["warnings"] != b["warnings"],
        "n_iter_": a["n_iter_"] != b["n_iter_"],
        "predict": not np.array_equal(a["labels"], b["labels"]),
        "words printed": DECIMAL.sub("#", a["printout"]) != DECIMAL.sub("#", b["printout"]),
        "numbers printed": not _close(np.array(numbers_a, float), np.array(numbers_b, float),
                                      rtol),
        "outputs": (np.abs(a["outputs"] - b["outputs"]).max()
                    > 10 * rtol * max(np.abs(b["outputs"]).max(), 1.0)),
        "weights": weight_distance(a["weights"], b["weights"]) > rtol,
    }
    return {name for name, differs in found.items() if differs}


# Observables that move continuously with the weights.
FOLLOW_THE_WEIGHTS = {"weights", "outputs", "numbers printed"}


def rounding_sensitivity(theirs_class, params, X, y, way, sample_weight, rtol):
    """How scikit-learn's own result moves when X moves by one unit in the last place.

    For float32 data, also when the same data train in float64.

    Returns
    -------
    changed : set of str
        The observables that changed.
    reach : float
        The largest ``weight_distance`` it moved.
    """
    theirs = train(theirs_class, params, X, y, way, sample_weight)
    variants = [np.nextafter(X, np.inf), np.nextafter(X, -np.inf)]
    if X.dtype == np.float32:
        variants.append(X.astype(np.float64))
    changed, reach = set(), 0.0
    for variant in variants:
        other = train(theirs_class, params, variant, y, way, sample_weight)
        if "error" in other:
            changed.add("error")
            continue
        changed |= differences(other, theirs, rtol)
        reach = max(reach, weight_distance(other["weights"], theirs["weights"]))
    return changed, reach


def same_lbfgs_end(params, ours, theirs, differing, rtol):
    """L-BFGS runs that reached the same weights and loss, told apart only by when
    L-BFGS-B's own stopping test fired (at the limit of the dtype's precision)."""
    return (params["solver"] == "lbfgs" and differing <= {"n_iter_", "warnings"}
            and abs(ours["loss"] - theirs["loss"]) <= rtol * abs(theirs["loss"]))


def blew_up(losses):
    """Whether a loss curve grew past skxor's divergence limit, or left the numbers."""
    return (not np.isfinite(losses).all()
            or max(losses) > DIVERGENCE_FACTOR * max(losses[0], 1.0))


CHAOTIC_REACH = 1.0
"""A fit is chaotic where one ulp of X moves scikit-learn's weights farther than their size.

Its weights are then decided by rounding alone (the BLAS kernel's last bits,
the order of a sum), even within the first epoch, so they bound no difference
between two implementations: such a case is held to everything else (errors,
warnings, n_iter_, classes, the words printed), each of which must agree or be
rounding-decided too."""

def stopped_diverging(ours):
    """Whether skxor stopped the fit as diverged: with an error, or under early stopping
    with a warning, back at the best weights."""
    return "diverged" in ours.get("message", "") or any(
        text.startswith("Training diverged") for _, text in ours["warnings"])


FAST_LANE_CASES = 25
"""Drawn cases per estimator that the fast lane (``-m "not slow"``) runs; the rest are slow."""
CASES = [pytest.param(name, seed, marks=[pytest.mark.slow] if seed >= FAST_LANE_CASES else [])
         for name, face in FACES.items() for seed in range(face.n_cases)]


@pytest.mark.parametrize(("face_name", "seed"), CASES)
def test_drawn_settings_give_scikit_learns_outcome(face_name, seed):
    face = FACES[face_name]
    params, X, y, way, sample_weight = draw_case(face, seed)
    ours = train(face.ours, params, X, y, way, sample_weight)
    theirs = train(face.theirs, params, X, y, way, sample_weight)
    if stopped_diverging(ours):
        assert "non-finite" in theirs.get("message", "") or blew_up(theirs["losses"])
        return
    assert ours.get("error") == theirs.get("error")
    if "error" in ours:
        assert ours["warnings"] == theirs["warnings"]
        return
    np.testing.assert_array_equal(ours["classes_"], theirs["classes_"])
    rtol = 1e-3 if X.dtype == np.float32 else 1e-6
    differing = differences(ours, theirs, rtol)
    if differing and not same_lbfgs_end(params, ours, theirs, differing, rtol):
        changed, reach = rounding_sensitivity(face.theirs, params, X, y, way, sample_weight,
                                              rtol)
        assert differing - FOLLOW_THE_WEIGHTS <= changed, differing
        if reach <= CHAOTIC_REACH:
            assert weight_distance(ours["weights"], theirs["weights"]) <= 10 * max(reach, rtol)


def tally(face):
    """How the cases of ``face`` came out, by kind: the figures a closing note reports."""
    counts = {}
    for seed in range(face.n_cases):
        params, X, y, way, sample_weight = draw_case(face, seed)
        ours = train(face.ours, params, X, y, way, sample_weight)
        theirs = train(face.theirs, params, X, y, way, sample_weight)
        rtol = 1e-3 if X.dtype == np.float32 else 1e-6
        if stopped_diverging(ours):
            kind = "skxor stopped a diverging fit"
        elif "error" in ours:
            kind = "both raised the same kind of error"
        else:
            differing = differences(ours, theirs, rtol)
            kind = ("agree in every observable" if not differing else
                    "lbfgs, same end" if same_lbfgs_end(params, ours, theirs, differing, rtol)
                    else "rounding-decided, chaotic"
                    if rounding_sensitivity(face.theirs, params, X, y, way, sample_weight,
                                            rtol)[1] > CHAOTIC_REACH
                    else "rounding-decided")
        counts[kind] = counts.get(kind, 0) + 1
    return counts


if __name__ == "__main__":
    # python tests/test_parity_random.py
    for name, face in FACES.items():
        print(f"{name}, {face.n_cases} cases:")
        for kind, count in sorted(tally(face).items()):
            print(f"{count:5d}  {kind}")
