"""
Tune hidden size and learning rate with GridSearchCV
====================================================

skxor's estimators take part in scikit-learn's model selection like any other. This example
searches a scaler + ``MLPBackpropClassifier`` pipeline over five hidden-layer sizes and five
learning rates with 3-fold cross-validation on two noisy moons, ranks the 25 settings, and
draws their scores as a heat map.
"""

# %%
# Two noisy half-moons, a quarter of them held out to check the chosen setting at the end.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skxor import MLPBackpropClassifier

X, y = make_moons(n_samples=600, noise=0.25, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)

# %%
# In a pipeline, a step's parameter is named ``STEP__PARAMETER``; ``make_pipeline`` names each
# step after its class in lower case. Every fit gets 100 epochs of Adam. The small learning
# rates do not converge in that budget and would each warn with a ``ConvergenceWarning``; the
# scores show it, so the warnings are silenced here.
HIDDEN_SIZES = [(2,), (4,), (8,), (16,), (64,)]
LEARNING_RATES = [0.001, 0.003, 0.01, 0.03, 0.1]

pipeline = make_pipeline(StandardScaler(), MLPBackpropClassifier(max_iter=100, random_state=0))
grid = {"mlpbackpropclassifier__hidden_layer_sizes": HIDDEN_SIZES,
        "mlpbackpropclassifier__learning_rate_init": LEARNING_RATES}
search = GridSearchCV(pipeline, grid, cv=3)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    search.fit(X_train, y_train)

# %%
# ``cv_results_`` holds every setting's scores. The ranking puts the wide networks with the
# larger learning rates first and the narrow, slow ones last; the slowest of all is no better
# than a coin.
results = search.cv_results_
print(f"{'rank':>4}  {'hidden':>6}  {'learning rate':>13}  {'mean CV accuracy':>16}")
for i in np.argsort(results["rank_test_score"], kind="stable"):
    params = results["params"][i]
    print(f"{results['rank_test_score'][i]:>4}  "
          f"{params['mlpbackpropclassifier__hidden_layer_sizes'][0]:>6}  "
          f"{params['mlpbackpropclassifier__learning_rate_init']:>13}  "
          f"{results['mean_test_score'][i]:>9.3f} ± {results['std_test_score'][i]:.3f}")

# %%
# The same scores as a heat map, hidden size against learning rate. Read along a row: a
# network needs a large enough rate to learn the moons in 100 epochs, the small networks most
# of all, and the best settings sit in the top right corner.
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
axes.set_title("Two moons: mean 3-fold CV accuracy (Adam, 100 epochs)")
figure.colorbar(image, label="mean CV accuracy")
figure.tight_layout()
plt.show()

# %%
# ``GridSearchCV`` refits the best setting on all the training data, so the search itself
# predicts. Its accuracy on the held-out quarter, which no fit has seen, is the honest
# estimate of how the chosen network does on new points.
best = search.best_params_
print(f"best: hidden_layer_sizes={best['mlpbackpropclassifier__hidden_layer_sizes']}, "
      f"learning_rate_init={best['mlpbackpropclassifier__learning_rate_init']}; "
      f"held-out accuracy {search.score(X_test, y_test):.3f}")
