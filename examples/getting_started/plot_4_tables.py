"""
Tables with categories and missing values, without preprocessing
================================================================

``TabularMLPClassifier`` and ``TabularMLPRegressor`` take a pandas or polars DataFrame as it
is, with numeric and text columns and missing values, and need no ``ColumnTransformer``: they
learn how to turn each column into numbers during ``fit``. This example trains both on a made-up
table of customers, predicts for a customer with a plan never seen in training, and draws what
each model learnt.
"""

# %%
# 1,500 customers of a subscription service: age, plan, one of 30 regions, months as a
# customer, and monthly spend, which grows with the plan's price and the months as a customer.
# Some ages, plans and spends are missing. A customer is more likely to leave (``churned``) on
# the basic plan, early on, and in some regions more than in others.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from skxor import TabularMLPClassifier, TabularMLPRegressor

rng = np.random.RandomState(0)
n = 1500
plan = rng.choice(["basic", "plus", "pro"], n, p=[0.5, 0.3, 0.2])
region = rng.randint(0, 30, n)
tenure = rng.randint(1, 73, n)
list_price = pd.Series(plan).map({"basic": 20, "plus": 40, "pro": 80}).to_numpy()
spend = list_price * np.exp(rng.normal(0, 0.3, n)) * (1 + tenure / 72)
leaving = 0.5 + 1.5 * (plan == "basic") - 0.05 * tenure + rng.normal(0, 0.7, 30)[region]
churned = rng.rand(n) < 1 / (1 + np.exp(-leaving))

table = pd.DataFrame({"age": rng.normal(40, 12, n).round(), "plan": plan,
                      "region": [f"region {r:02d}" for r in region],
                      "tenure_months": tenure, "monthly_spend": spend.round(2)})
table.loc[rng.rand(n) < 0.05, "age"] = np.nan
table.loc[rng.rand(n) < 0.05, "plan"] = None
table.loc[rng.rand(n) < 0.1, "monthly_spend"] = np.nan
print(table.head())
print(f"churned: {churned.mean():.0%} of customers")

# %%
# The classifier, fitted on the raw training rows. The plan (three levels) becomes one 0/1
# column per level; the region (30 levels, more than ``max_one_hot_levels=8``) becomes an
# embedding learned with the network; a missing value becomes the column's median, with a 0/1
# column that says it was missing. The defaults train an ensemble of 4 networks.
X_train, X_test, y_train, y_test = train_test_split(table, churned, stratify=churned,
                                                    random_state=0)
classifier = TabularMLPClassifier(random_state=0).fit(X_train, y_train)
print(f"test accuracy: {classifier.score(X_test, y_test):.3f} "
      f"(always predicting 'stays': {1 - y_test.mean():.3f})")

# %%
# New rows may hold what training never saw: here a plan called "enterprise" and a missing
# spend. Neither is an error; an unseen level is treated as a missing one.
new_customer = pd.DataFrame({"age": [33.0], "plan": ["enterprise"], "region": ["region 07"],
                             "tenure_months": [6], "monthly_spend": [np.nan]})
print(f"P(churn) of the new customer: {classifier.predict_proba(new_customer)[0, 1]:.2f}")

# %%
# What the classifier learnt: the probability of leaving against months as a customer, one
# curve per plan, for a 40-year-old in region 07 whose spend is the plan's typical one. Leaving
# is likeliest early on and on the basic plan, as the data were made. The dotted curve is the
# unseen "enterprise" plan with a missing spend: the model falls back on what it knows of
# customers whose plan and spend are missing.
months = np.arange(1, 73)
figure, axes = plt.subplots(figsize=(8, 4.5))
for plan_name, price in [("basic", 20), ("plus", 40), ("pro", 80), ("enterprise", np.nan)]:
    customers = pd.DataFrame({"age": 40.0, "plan": plan_name, "region": "region 07",
                              "tenure_months": months,
                              "monthly_spend": price * (1 + months / 72)})
    axes.plot(months, classifier.predict_proba(customers)[:, 1],
              label=plan_name if price > 0 else f"{plan_name} (never seen), spend missing",
              linestyle="-" if price > 0 else ":")
axes.set_xlabel("months as a customer")
axes.set_ylabel("predicted probability of leaving")
axes.set_title("TabularMLPClassifier: churn by plan and tenure")
axes.grid(True, alpha=0.3)
axes.legend(title="plan")
plt.show()

# %%
# The regressor takes the same kind of table. Here it predicts the monthly spend from the
# other columns, on the customers whose spend is known. Its ``score`` is R², as for any
# scikit-learn regressor.
known = table["monthly_spend"].notna()
X_spend, y_spend = table.loc[known].drop(columns="monthly_spend"), table.loc[known, "monthly_spend"]
Xs_train, Xs_test, ys_train, ys_test = train_test_split(X_spend, y_spend, random_state=0)
regressor = TabularMLPRegressor(random_state=0).fit(Xs_train, ys_train)
print(f"test R²: {regressor.score(Xs_test, ys_test):.3f}")

# %%
# Predicted against actual spend on the test customers, coloured by plan: the three plans'
# price levels separate cleanly; within a plan, the spread left is mostly the random part of
# the spend, which no model can predict.
figure, axes = plt.subplots(figsize=(6.5, 5.5))
predicted = regressor.predict(Xs_test)
for plan_name in ["basic", "plus", "pro"]:
    rows = (Xs_test["plan"] == plan_name).to_numpy()
    axes.scatter(ys_test[rows], predicted[rows], s=10, label=plan_name)
rows = Xs_test["plan"].isna().to_numpy()
axes.scatter(ys_test[rows], predicted[rows], s=14, color="black", marker="x",
             label="plan missing")
limits = [0, ys_test.max()]
axes.plot(limits, limits, color="0.5", linestyle="--", label="predicted = actual")
axes.set_xlabel("actual monthly spend")
axes.set_ylabel("predicted monthly spend")
axes.set_title("TabularMLPRegressor on the test customers")
axes.legend()
plt.show()
