"""
Export a fitted pipeline to ONNX and check that onnxruntime agrees
==================================================================

ONNX is a file format for trained models that runtimes in many languages can execute, with no
Python, scikit-learn or skxor on the serving side. skl2onnx converts fitted scikit-learn
pipelines, and importing ``skxor.onnx`` teaches it skxor's estimators. This example exports a
scaler + ``MLPBackpropClassifier`` pipeline trained on the digits, runs the exported graph in
onnxruntime, and compares its labels and probabilities with skxor's own.

Needs ``pip install ".[onnx]"`` (skl2onnx and onnxruntime).
"""

# %%
# Train the pipeline to export: scaled pixels, one hidden layer of 64 ReLU units. Importing
# ``skxor.onnx`` registers skxor's estimators with skl2onnx.
import matplotlib.pyplot as plt
import numpy as np
import onnxruntime
import skl2onnx
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skxor.onnx  # noqa: F401  (registers the converters)
from skxor import MLPBackpropClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
model = make_pipeline(StandardScaler(),
                      MLPBackpropClassifier(hidden_layer_sizes=(64,), random_state=0))
model.fit(X_train, y_train)
print(f"test accuracy in skxor: {model.score(X_test, y_test):.3f}")

# %%
# Convert. The sample row tells skl2onnx the input's width and number type: float32 here, the
# usual choice for serving. ``zipmap=False`` returns the probabilities as one array rather
# than one dictionary per row. The graph is the scaler and the network's forward pass in ONNX
# operators; ``SerializeToString`` gives the bytes to write to a ``.onnx`` file.
onx = skl2onnx.to_onnx(model, X_train[:1].astype(np.float32), options={"zipmap": False})
print("operators:", [node.op_type for node in onx.graph.node])
print("inputs:", [i.name for i in onx.graph.input],
      "outputs:", [o.name for o in onx.graph.output])
print(f"{len(onx.SerializeToString()) / 1024:.1f} KiB")

# %%
# Run the graph in onnxruntime on the test digits, in float32, and compare with skxor, which
# computes in float64. The labels agree on every digit, and the probabilities differ by no
# more than float32's rounding.
session = onnxruntime.InferenceSession(onx.SerializeToString(),
                                       providers=["CPUExecutionProvider"])
labels, probabilities = session.run(None, {"X": X_test.astype(np.float32)})
difference = np.abs(probabilities - model.predict_proba(X_test))
agree = labels == model.predict(X_test)
print(f"labels agree on {agree.sum()} of {len(agree)} test digits")
print(f"largest probability difference: {difference.max():.1e}")

# %%
# Exported with a float64 sample row instead, the graph computes in float64, and the
# probabilities then agree to about 1e-15.
onx64 = skl2onnx.to_onnx(model, X_train[:1].astype(np.float64), options={"zipmap": False})
session64 = onnxruntime.InferenceSession(onx64.SerializeToString(),
                                         providers=["CPUExecutionProvider"])
labels64, probabilities64 = session64.run(None, {"X": X_test})
print(f"float64 graph: labels agree on {(labels64 == model.predict(X_test)).sum()} of "
      f"{len(X_test)}, largest probability difference "
      f"{np.abs(probabilities64 - model.predict_proba(X_test)).max():.1e}")

# %%
# A few test digits with the label each side gave them, and the spread of the float32
# graph's probability differences over all test digits and classes, on a log scale (an exact
# zero would count as 1e-20): most differences are far below 1e-6.
figure, axes = plt.subplot_mosaic([["d0", "d1", "d2", "d3", "hist", "hist"],
                                   ["d4", "d5", "d6", "d7", "hist", "hist"]],
                                  figsize=(12, 4), layout="constrained")
for i in range(8):
    digit = axes[f"d{i}"]
    digit.imshow(X_test[i].reshape(8, 8), cmap="gray_r")
    digit.set_title(f"skxor {model.predict(X_test[[i]])[0]}\nonnx {labels[i]}", fontsize=10)
    digit.set_axis_off()
axes["hist"].hist(np.clip(difference, 1e-20, None).ravel(), bins=np.logspace(-20, -5, 31),
                  color="tab:blue")
axes["hist"].set_xscale("log")
axes["hist"].set_xlabel("|probability in onnxruntime (float32) - in skxor|")
axes["hist"].set_ylabel("count")
axes["hist"].set_title(f"{difference.size} probabilities: {len(X_test)} test digits × "
                       f"{difference.shape[1]} classes", fontsize=10)
figure.suptitle("The digits pipeline in skxor and exported to ONNX")
plt.show()
