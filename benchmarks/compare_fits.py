"""Byte-for-byte comparison of fits between this checkout and another copy of skxor.

A change meant to keep behaviour (a refactor) must leave every observable of
every fit as it was: the weights to the last bit, ``n_iter_``, the curves, the
predictions, the warnings (text, category and location), the verbose lines
and the errors. This fits a grid of settings (both estimators, every solver,
early stopping, restarts, dropout, class and sample weights, float32, sparse
X, multilabel and string labels, warm starts, partial_fit, every loss, the
activation parameter's forms and the initialisations) here
and, in a subprocess, with the other copy first on ``sys.path``, and reports
every setting whose record differs.

Run: python benchmarks/compare_fits.py --against PATH
(PATH holds the other copy's ``skxor`` package, for example an unpacked
``git archive`` of an older commit.)
"""

import argparse
import contextlib
import io
import os
import pickle
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import scipy.sparse
from sklearn.datasets import make_classification, make_multilabel_classification, make_regression


def _datasets():
    X, y = make_classification(n_samples=120, n_features=5, n_informative=3, n_classes=3,
                               random_state=0)
    X_ml, Y_ml = make_multilabel_classification(n_samples=120, n_features=5, n_classes=3,
                                                random_state=0)
    X_reg, Y_reg = make_regression(n_samples=120, n_features=5, n_targets=2, noise=1.0,
                                   random_state=0)
    Y_reg = (Y_reg - Y_reg.min(axis=0)) / Y_reg.std(axis=0)
    return {"multiclass": (X, y), "binary": (X, y % 2), "multilabel": (X_ml.astype(float), Y_ml),
            "strings": (X, np.array(["ant", "bee", "cat"])[y]),
            "float32": (X.astype(np.float32), y), "sparse": (scipy.sparse.csr_matrix(X), y),
            "one output": (X_reg, Y_reg[:, 0]), "two outputs": (X_reg, Y_reg),
            "float32 regression": (X_reg.astype(np.float32), Y_reg[:, 0]),
            "sparse regression": (scipy.sparse.csr_matrix(X_reg), Y_reg[:, 0])}


CLASSIFIER_VARIANTS = {
    "plain": ({}, "multiclass", "fit"),
    "binary": ({}, "binary", "fit"),
    "early stopping": ({"early_stopping": True}, "multiclass", "fit"),
    "n_init": ({"n_init": 3}, "binary", "fit"),
    "dropout": ({"dropout": 0.3}, "multiclass", "fit"),
    "class weight": ({"class_weight": "balanced"}, "multiclass", "fit"),
    "sample weight": ({}, "multiclass", "weighted"),
    "float32": ({}, "float32", "fit"),
    "sparse": ({}, "sparse", "fit"),
    "multilabel": ({}, "multilabel", "fit"),
    "string labels": ({}, "strings", "fit"),
    "warm start": ({"warm_start": True}, "multiclass", "fit twice"),
    "partial_fit": ({}, "multiclass", "partial_fit"),
    "squared error": ({"loss": "squared_error"}, "binary", "fit"),
    "verbose": ({"verbose": True, "early_stopping": True}, "binary", "fit"),
    "X_val": ({}, "multiclass", "X_val"),
    "scoring loss": ({"early_stopping": True, "scoring": "loss"}, "multiclass", "fit"),
    "scoring by name": ({"early_stopping": True, "scoring": "balanced_accuracy"}, "multiclass",
                        "fit"),
    "mini-batches, shuffle off": ({"batch_size": 16, "shuffle": False}, "multiclass", "fit"),
    "sigmoid": ({"activation": "sigmoid"}, "binary", "fit"),
    "one activation per layer": ({"hidden_layer_sizes": (5, 4),
                                  "activation": ["tanh", "sigmoid"]}, "multiclass", "fit"),
    "no hidden layer": ({"hidden_layer_sizes": (), "activation": "logistic"}, "binary", "fit"),
    "he init": ({"weight_init": "he", "activation": "gelu"}, "multiclass", "fit"),
    "bad parameter": ({"alpha": -1.0}, "multiclass", "fit"),
    "diverging": ({"learning_rate_init": 1e6}, "big", "fit"),
}
REGRESSOR_VARIANTS = {
    "plain": ({}, "one output", "fit"),
    "two outputs": ({}, "two outputs", "fit"),
    "poisson": ({"loss": "poisson"}, "one output", "fit"),
    "absolute error": ({"loss": "absolute_error"}, "one output", "fit"),
    "huber": ({"loss": "huber"}, "one output", "fit"),
    "early stopping": ({"early_stopping": True}, "one output", "fit"),
    "sample weight": ({}, "one output", "weighted"),
    "warm start": ({"warm_start": True}, "one output", "fit twice"),
    "partial_fit": ({}, "two outputs", "partial_fit"),
    "float32": ({}, "float32 regression", "fit"),
    "sparse": ({}, "sparse regression", "fit"),
    "dropout": ({"dropout": [0.2, 0.4], "hidden_layer_sizes": (6, 5)}, "one output", "fit"),
}
STOCHASTIC_ONLY = {"early stopping", "dropout", "partial_fit", "verbose", "scoring loss",
                   "scoring by name",
                   "mini-batches, shuffle off", "diverging"}


def settings():
    """``(name, face, params, data, way)`` of every setting in the grid."""
    for face, variants in (("classifier", CLASSIFIER_VARIANTS),
                           ("regressor", REGRESSOR_VARIANTS)):
        for solver in ("sgd", "adam", "lbfgs"):
            for variant, (params, data, way) in variants.items():
                if solver == "lbfgs" and variant in STOCHASTIC_ONLY:
                    continue
                base = {"hidden_layer_sizes": (6,), "max_iter": 8, "random_state": 0,
                        "solver": solver}
                yield f"{face} {solver} {variant}", face, base | params, data, way


def _fit(estimator, X, y, way):
    if way == "fit":
        estimator.fit(X, y)
    elif way == "weighted":
        estimator.fit(X, y, sample_weight=np.linspace(0.5, 2.0, X.shape[0]))
    elif way == "fit twice":
        estimator.fit(X, y)
        estimator.set_params(max_iter=estimator.max_iter + 4).fit(X, y)
    elif way == "X_val":
        estimator.fit(X[:90], y[:90], X_val=X[90:], y_val=y[90:])
    else:
        extra = {"classes": np.unique(y)} if hasattr(estimator, "predict_proba") else {}
        for _ in range(3):
            estimator.partial_fit(X, y, **extra)


FITTED = ("n_iter_", "loss_", "loss_curve_", "best_loss_", "t_", "validation_scores_",
          "best_validation_score_", "validation_loss_curve_", "n_outputs_", "out_activation_")


def record(face, params, data, way):
    """Everything a user can observe of one setting, as comparable Python values."""
    from skxor import MLPBackpropClassifier, MLPBackpropRegressor

    datasets = _datasets()
    X, y = datasets[data] if data != "big" else (datasets["binary"][0] * 1e6,
                                                 datasets["binary"][1])
    estimator = (MLPBackpropClassifier if face == "classifier" else MLPBackpropRegressor)(**params)
    stdout = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(stdout):
        warnings.simplefilter("always")
        try:
            _fit(estimator, X, y, way)
            error = None
        except Exception as exception:  # the comparison reports it
            error = (type(exception).__name__, str(exception))
    observed = {
        "error": error, "stdout": stdout.getvalue(),
        "warnings": [(w.category.__name__, str(w.message), Path(w.filename).name, w.lineno)
                     for w in caught if not issubclass(w.category, RuntimeWarning)],
    }
    if error is None:
        observed["weights"] = [array.tobytes() for array in estimator.coefs_
                               + estimator.intercepts_]
        observed["attributes"] = {name: getattr(estimator, name, "<unset>") for name in FITTED}
        output = (estimator.predict_proba(X) if face == "classifier" else estimator.predict(X))
        observed["output"] = np.asarray(output).tobytes()
    return observed


def record_all():
    return {name: record(face, params, data, way)
            for name, face, params, data, way in settings()}


def main(against):
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(Path(against).resolve()), os.environ.get("PYTHONPATH", "")]))
    theirs = pickle.loads(subprocess.run(
        [sys.executable, __file__, "--record"], env=environment, capture_output=True,
        check=True).stdout)
    ours = record_all()
    differing = [name for name in ours if ours[name] != theirs[name]]
    errors = sum(record["error"] is not None for record in ours.values())
    print(f"{len(ours)} settings, {errors} of them ending in an error, "
          f"{len(differing)} differing byte for byte from {against}")
    for name in differing:
        keys = [key for key in ours[name] if ours[name].get(key) != theirs[name].get(key)]
        print(f"  {name}: {', '.join(keys)}")
    return 1 if differing else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", help="folder holding the other copy's skxor package")
    parser.add_argument("--record", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.record:
        sys.stdout.buffer.write(pickle.dumps(record_all()))
    else:
        sys.exit(main(arguments.against))
