"""
Fit, predict and cross-validate a first network
===============================================

``MLPBackpropClassifier`` takes the parameters of scikit-learn's ``MLPClassifier`` and works
wherever a scikit-learn classifier does. This example trains one in a pipeline on scikit-learn's
breast-cancer data (569 tumours, 30 measurements each, labelled malignant or benign), looks at
its loss curve and its mistakes, and cross-validates it beside ``MLPClassifier``.
"""

# %%
# Load the data and keep a quarter of it aside for testing. The measurements range from about
# 0.001 to 4,000, and a network trains badly on features of such different sizes, so the
# pipeline below scales each column first.
import matplotlib.pyplot as plt
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import ConfusionMatrixDisplay
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skxor import MLPBackpropClassifier

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
print(f"{len(X_train)} training and {len(X_test)} test tumours, {X.shape[1]} features each")

# %%
# A pipeline of a ``StandardScaler`` and a network with one hidden layer of 32 ReLU units,
# trained by Adam (the default solver). ``max_iter=500`` leaves room for the loss to settle:
# training stops earlier, once the loss has improved by less than ``tol`` (1e-4) for 10 epochs
# in a row. The cell's last line shows the fitted pipeline.
model = make_pipeline(StandardScaler(),
                      MLPBackpropClassifier(hidden_layer_sizes=(32,), max_iter=500,
                                            random_state=0))
model.fit(X_train, y_train)

# %%
# ``predict`` gives labels (0 is malignant, 1 benign), ``predict_proba`` the probability of
# each label, and ``score`` the accuracy. Look at the probabilities of the first five test
# tumours: most are close to 0 or 1, so the network is sure of them.
print("labels:        ", model.predict(X_test[:5]))
print("true labels:   ", y_test[:5])
print("P(benign):     ", model.predict_proba(X_test[:5])[:, 1].round(3))
print(f"test accuracy: {model.score(X_test, y_test):.3f}")

# %%
# The fitted network is the pipeline's last step. Its ``loss_curve_`` holds the training loss
# after each epoch: a steep fall over the first few dozen epochs, then a slow creep to the
# point where training stopped (``n_iter_`` epochs).
network = model[-1]
figure, axes = plt.subplots(figsize=(7, 4))
axes.plot(range(1, network.n_iter_ + 1), network.loss_curve_)
axes.set_yscale("log")
axes.set_xlabel("epoch")
axes.set_ylabel("training log loss")
axes.set_title(f"Breast cancer, 32 hidden units: stopped after {network.n_iter_} epochs")
axes.grid(True, alpha=0.3)
plt.show()

# %%
# Which tumours does it get wrong? The confusion matrix counts the test tumours by true and
# predicted label: the off-diagonal cells are the mistakes.
display = ConfusionMatrixDisplay.from_estimator(model, X_test, y_test,
                                                display_labels=["malignant", "benign"])
display.ax_.set_title("Test tumours: true against predicted label")
plt.show()

# %%
# One split is one estimate; 5-fold cross-validation gives five. ``cross_val_score`` works
# with skxor's estimators as with scikit-learn's. With the same parameters and
# ``random_state``, ``MLPClassifier`` starts from the same weights and takes the same steps,
# so the two print the same fold scores: skxor is a drop-in replacement.
for estimator in (MLPBackpropClassifier(hidden_layer_sizes=(32,), max_iter=500, random_state=0),
                  MLPClassifier(hidden_layer_sizes=(32,), max_iter=500, random_state=0)):
    scores = cross_val_score(make_pipeline(StandardScaler(), estimator), X, y, cv=5)
    print(f"{type(estimator).__name__:>21}: fold accuracies {scores.round(3)}, "
          f"mean {scores.mean():.3f}")

# %%
# Where to go next
# ----------------
#
# - :ref:`sphx_glr_auto_examples_getting_started_plot_2_decision_regions.py` shows what the
#   hidden units buy, and :ref:`sphx_glr_auto_examples_getting_started_plot_3_grid_search.py`
#   tunes them.
# - For a table with text columns and missing values, the tabular estimators of
#   :ref:`sphx_glr_auto_examples_getting_started_plot_4_tables.py` need no preprocessing.
# - :ref:`sphx_glr_auto_examples_training_plot_2_dropout.py` and
#   :ref:`sphx_glr_auto_examples_training_plot_1_lr_schedules.py` show training controls
#   that ``MLPClassifier`` lacks.
# - :ref:`sphx_glr_auto_examples_deployment_plot_1_onnx_export.py` takes the fitted pipeline
#   out of Python.
