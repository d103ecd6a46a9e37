"""One fitted model serves many threads; parallel searches score as serial ones."""

import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from skxor import MLPBackpropClassifier

RNG = np.random.RandomState(0)
X = RNG.normal(size=(400, 6))
Y = (X[:, 0] + X[:, 1] ** 2 > 1).astype(int) + (X[:, 2] > 0.5)


@pytest.mark.usefixtures("quiet_convergence")
def test_predict_proba_from_8_threads_matches_serial_calls():
    clf = MLPBackpropClassifier(hidden_layer_sizes=(32, 16), max_iter=50,
                                random_state=0).fit(X, Y)
    batches = [X[start:start + 50] for start in range(0, 400, 50)] * 4
    serial = [clf.predict_proba(batch) for batch in batches]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(clf.predict_proba, batches))
    for mine, reference in zip(threaded, serial, strict=True):
        np.testing.assert_array_equal(mine, reference)


def test_grid_search_with_two_jobs_scores_as_with_one():
    grid = {"hidden_layer_sizes": [(4,), (16,)], "learning_rate_init": [0.001, 0.01]}
    results = {}
    for n_jobs in (1, 2):
        search = GridSearchCV(MLPBackpropClassifier(max_iter=30, random_state=0), grid,
                              cv=3, n_jobs=n_jobs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            results[n_jobs] = search.fit(X, Y).cv_results_
    for key in ["mean_test_score", "split0_test_score", "split1_test_score",
                "split2_test_score"]:
        np.testing.assert_array_equal(results[2][key], results[1][key])
