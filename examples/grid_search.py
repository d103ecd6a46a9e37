"""Tune hidden size and learning rate in a Pipeline with GridSearchCV
==================================================================

A StandardScaler + MLPBackpropClassifier pipeline on two noisy moons, searched
over hidden_layer_sizes x learning_rate_init with 5-fold cross-validation:
prints the ranked table and the held-out accuracy of the best pipeline, and
saves a heat map of the mean CV accuracy.

Run: ``python examples/grid_search.py [--out grid_search.png]``
"""

import argparse
import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skxor import MLPBackpropClassifier

HIDDEN_SIZES = [(2,), (4,), (8,), (16,), (64,)]
LEARNING_RATES = [0.0003, 0.001, 0.003, 0.01, 0.03]


def search(X_train, y_train):
    """Run the grid search and return the fitted GridSearchCV."""
    pipeline = make_pipeline(StandardScaler(),
                             MLPBackpropClassifier(max_iter=200, random_state=0))
    grid = {"mlpbackpropclassifier__hidden_layer_sizes": HIDDEN_SIZES,
            "mlpbackpropclassifier__learning_rate_init": LEARNING_RATES}
    searcher = GridSearchCV(pipeline, grid, cv=5, n_jobs=2)
    with warnings.catch_warnings():
        # small learning rates do not converge in 200 epochs; the table shows it
        warnings.simplefilter("ignore", ConvergenceWarning)
        return searcher.fit(X_train, y_train)


def print_ranking(results):
    order = np.argsort(results["rank_test_score"], kind="stable")
    print(f"{'rank':>4}  {'hidden':>7}  {'learning rate':>13}  {'mean CV accuracy':>16}")
    for i in order:
        params = results["params"][i]
        print(f"{results['rank_test_score'][i]:>4}  "
              f"{params['mlpbackpropclassifier__hidden_layer_sizes'][0]:>7}  "
              f"{params['mlpbackpropclassifier__learning_rate_init']:>13}  "
              f"{results['mean_test_score'][i]:>9.3f} ± {results['std_test_score'][i]:.3f}")


def plot_heat_map(results, out):
    """Mean CV accuracy as a hidden size x learning rate grid, annotated."""
    scores = np.empty((len(HIDDEN_SIZES), len(LEARNING_RATES)))
    for params, score in zip(results["params"], results["mean_test_score"], strict=True):
        row = HIDDEN_SIZES.index(params["mlpbackpropclassifier__hidden_layer_sizes"])
        column = LEARNING_RATES.index(params["mlpbackpropclassifier__learning_rate_init"])
        scores[row, column] = score
    figure, axes = plt.subplots(figsize=(7, 5))
    image = axes.imshow(scores, cmap="viridis", vmin=0.5, vmax=1.0, origin="lower")
    for (row, column), score in np.ndenumerate(scores):
        axes.text(column, row, f"{score:.3f}", ha="center", va="center",
                  color="black" if score > 0.8 else "white")
    axes.set_xticks(range(len(LEARNING_RATES)), [str(rate) for rate in LEARNING_RATES])
    axes.set_yticks(range(len(HIDDEN_SIZES)), [str(size[0]) for size in HIDDEN_SIZES])
    axes.set_xlabel("learning_rate_init")
    axes.set_ylabel("hidden units (one layer)")
    axes.set_title("Two moons: mean 5-fold CV accuracy (adam, 200 epochs)")
    figure.colorbar(image, label="mean CV accuracy")
    figure.tight_layout()
    figure.savefig(out, dpi=100)
    print(f"wrote {out}")


def main(out):
    X, y = make_moons(n_samples=600, noise=0.25, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    searcher = search(X_train, y_train)
    print_ranking(searcher.cv_results_)
    best = searcher.best_params_
    print(f"best: hidden_layer_sizes={best['mlpbackpropclassifier__hidden_layer_sizes']}, "
          f"learning_rate_init={best['mlpbackpropclassifier__learning_rate_init']}; "
          f"held-out accuracy {searcher.score(X_test, y_test):.3f}")
    plot_heat_map(searcher.cv_results_, out)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(  # sphinx-gallery runs the script without its docstring
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path,
                        default=Path(sys.argv[0]).with_name("grid_search.png"))
    main(parser.parse_args().out)
