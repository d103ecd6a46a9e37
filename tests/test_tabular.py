"""TabularMLPClassifier and TabularMLPRegressor: tables in as they are, and everything else."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skxor import TabularMLPClassifier, TabularMLPRegressor, check_gradients
from skxor.tables.columns import read_columns

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

RNG = np.random.RandomState(0)
N = 240


def customers(n=N, seed=0):
    """A small churn-like table: numbers, text, a category, booleans, missing values."""
    rng = np.random.RandomState(seed)
    age = rng.normal(40, 12, n)
    age[rng.rand(n) < 0.1] = np.nan
    plan = rng.choice(["basic", "plus", "pro"], n).astype(object)
    plan[rng.rand(n) < 0.1] = None
    table = pd.DataFrame({
        "age": age,
        "monthly_spend": rng.lognormal(3, 1, n),
        "plan": plan,
        "city": pd.Categorical(rng.choice([f"town {i}" for i in range(30)], n)),
        "autopay": rng.rand(n) < 0.5,
        "tickets": pd.array(rng.poisson(2, n), dtype="Int64"),
    })
    signal = (np.nan_to_num(age, nan=40) > 45) ^ (table["plan"] == "pro").to_numpy()
    return table, np.where(signal, "churned", "stayed")


TABLE, LABELS = customers()
PRICES = 1000.0 * TABLE["monthly_spend"].to_numpy() + 50_000
FAST = dict(max_iter=15, random_state=0)


@pytest.fixture(scope="module")
def classifier():
    return TabularMLPClassifier(**FAST).fit(TABLE, LABELS)


def test_a_dataframe_with_text_categories_booleans_and_missing_values_trains(classifier):
    majority = max(np.mean(LABELS == label) for label in np.unique(LABELS))
    assert classifier.score(TABLE, LABELS) > majority + 0.1
    assert list(classifier.feature_names_in_) == list(TABLE.columns)
    assert classifier.n_features_in_ == 6


def test_the_input_frame_is_left_unchanged():
    table = TABLE.copy()
    TabularMLPClassifier(**FAST).fit(table, LABELS).predict(table)
    pd.testing.assert_frame_equal(table, TABLE)


def test_unseen_and_missing_categories_predict_as_the_missing_level(classifier):
    changed = TABLE.head(5).copy()
    changed["plan"] = ["platinum", None, "basic", "never seen", "pro"]
    changed["city"] = pd.Categorical(["atlantis"] * 5)
    assert classifier.predict_proba(changed).shape == (5, 2)
    missing, unseen = changed.iloc[[1]].copy(), changed.iloc[[1]].copy()
    unseen["plan"] = "never seen"
    np.testing.assert_array_equal(classifier.predict_proba(unseen),
                                  classifier.predict_proba(missing))


def test_categories_listed_in_another_order_predict_the_same(classifier):
    reordered = TABLE.copy()
    reordered["city"] = reordered["city"].cat.reorder_categories(
        list(reversed(reordered["city"].cat.categories)))
    np.testing.assert_array_equal(classifier.predict_proba(reordered),
                                  classifier.predict_proba(TABLE))


def test_text_and_numbers_of_the_same_level_are_one_level():
    as_numbers = pd.DataFrame({"level": [1, 2, 3] * 40})
    as_text = pd.DataFrame({"level": ["1", "2", "3"] * 40})
    labels = np.array([0, 1, 1] * 40)
    fitted = TabularMLPClassifier(**FAST).fit(as_text.astype("category"), labels)
    np.testing.assert_array_equal(fitted.predict(as_numbers.astype("category")),
                                  fitted.predict(as_text))


def test_reordered_columns_are_refused_in_scikit_learns_words(classifier):
    with pytest.raises(ValueError, match="same order as they were in fit"):
        classifier.predict(TABLE[list(reversed(TABLE.columns))])


def test_a_missing_column_is_refused_naming_it(classifier):
    with pytest.raises(ValueError, match="Feature names seen at fit time, yet now missing"):
        classifier.predict(TABLE.drop(columns="plan"))


def test_text_in_a_column_that_held_numbers_names_the_column(classifier):
    changed = TABLE.head(3).copy()
    changed["age"] = ["forty", "fifty", "sixty"]
    with pytest.raises(ValueError, match="Column 'age' held numbers when the model was fitted"):
        classifier.predict(changed)


def test_dates_are_refused_naming_the_column():
    table = TABLE.assign(joined=pd.date_range("2020-01-01", periods=N))
    with pytest.raises(TypeError, match="Column 'joined' holds dates"):
        TabularMLPClassifier(**FAST).fit(table, LABELS)


def test_infinity_is_refused_naming_the_column():
    table = TABLE.copy()
    table.loc[3, "monthly_spend"] = np.inf
    with pytest.raises(ValueError, match="Column 'monthly_spend' holds infinity"):
        TabularMLPClassifier(**FAST).fit(table, LABELS)


def test_a_column_missing_everywhere_in_fit_is_ignored():
    fitted = TabularMLPClassifier(**FAST).fit(TABLE.assign(empty=np.nan), LABELS)
    np.testing.assert_array_equal(fitted.predict_proba(TABLE.assign(empty=7.0)),
                                  fitted.predict_proba(TABLE.assign(empty=np.nan)))


def test_a_one_level_column_trains_and_an_unseen_level_predicts():
    fitted = TabularMLPClassifier(**FAST).fit(TABLE.assign(constant="same"), LABELS)
    assert fitted.predict(TABLE.assign(constant="other")).shape == (N,)


def test_a_polars_frame_trains_and_predicts_as_the_pandas_frame():
    polars = pytest.importorskip("polars")
    table = TABLE.assign(city=TABLE["city"].astype(str), tickets=TABLE["tickets"].astype(float))
    from_polars = TabularMLPClassifier(**FAST).fit(polars.from_pandas(table), LABELS)
    from_pandas = TabularMLPClassifier(**FAST).fit(table, LABELS)
    np.testing.assert_allclose(from_polars.predict_proba(polars.from_pandas(table)),
                               from_pandas.predict_proba(table), rtol=1e-5)


def test_a_numpy_array_still_works():
    X = RNG.normal(size=(N, 4))
    y = (X[:, 0] > 0).astype(int)
    assert TabularMLPClassifier(**FAST).fit(X, y).score(X, y) > 0.9


def test_the_regressor_predicts_in_ys_units_within_its_range():
    reg = TabularMLPRegressor(**FAST).fit(TABLE, PRICES)
    predicted = reg.predict(TABLE)
    assert reg.score(TABLE, PRICES) > 0.8
    # within y's range, to float32's rounding of its ends
    assert PRICES.min() * (1 - 1e-6) <= predicted.min() <= predicted.max() <= PRICES.max() * (
        1 + 1e-6)


def test_the_regressor_fits_quantile_levels():
    reg = TabularMLPRegressor(loss="quantile", quantile=[0.1, 0.9], **FAST).fit(TABLE, PRICES)
    low, high = reg.predict(TABLE).T
    assert (low <= high).all() and 0.6 < np.mean((low <= PRICES) & (PRICES <= high)) <= 1


@pytest.mark.parametrize("estimator, y", [(TabularMLPClassifier, LABELS),
                                          (TabularMLPRegressor, PRICES)])
def test_check_gradients_passes_through_every_input_layer(estimator, y):
    result = check_gradients(estimator(hidden_layer_sizes=(4,), dropout=0.0, alpha=0.1,
                                       random_state=0), TABLE.head(40), y[:40])
    assert result.passed, str(result)
    assert {"scales", "frequencies", "phases", "tables"} <= {row.kind for row in result.rows}


def test_pickling_keeps_the_predictions(classifier):
    restored = pickle.loads(pickle.dumps(classifier))
    np.testing.assert_array_equal(restored.predict_proba(TABLE), classifier.predict_proba(TABLE))


def test_skops_keeps_the_predictions_with_skxors_types_trusted(classifier, tmp_path):
    sio = pytest.importorskip("skops.io")
    sio.dump(classifier, tmp_path / "model.skops")
    untrusted = sio.get_untrusted_types(file=tmp_path / "model.skops")
    assert all(name.startswith(("skxor.", "numpy.")) for name in untrusted), untrusted
    restored = sio.load(tmp_path / "model.skops", trusted=untrusted)
    np.testing.assert_array_equal(restored.predict_proba(TABLE), classifier.predict_proba(TABLE))


def test_the_same_random_state_gives_bit_identical_weights_in_every_network(classifier):
    again = TabularMLPClassifier(**FAST).fit(TABLE, LABELS)
    assert len(again._networks) == len(classifier._networks) == 4
    for vector, fitted in zip(again._networks, classifier._networks, strict=True):
        np.testing.assert_array_equal(vector, fitted)


def test_grid_search_in_a_pipeline_tunes_a_table_parameter():
    search = GridSearchCV(make_pipeline(TabularMLPClassifier(**FAST)),
                          {"tabularmlpclassifier__embedding_size": [2, 4]}, cv=2)
    search.fit(TABLE, LABELS)
    assert search.best_params_["tabularmlpclassifier__embedding_size"] in (2, 4)


def test_partial_fit_trains_one_epoch_at_a_time():
    clf = TabularMLPClassifier(random_state=0)
    for _ in range(3):
        clf.partial_fit(TABLE, LABELS, classes=["churned", "stayed"])
    assert clf.n_iter_ == 1 and len(clf.loss_curve_) == 3


def churned_count(model):
    return int((model.predict(TABLE) == "churned").sum())


def test_a_class_weight_predicts_the_heavier_class_more_often(classifier):
    weighted = TabularMLPClassifier(**FAST, class_weight={"churned": 5.0, "stayed": 1.0}).fit(
        TABLE, LABELS)
    assert churned_count(weighted) > churned_count(classifier)


def test_a_sample_weight_predicts_the_heavier_rows_class_more_often(classifier):
    weighted = TabularMLPClassifier(**FAST).fit(TABLE, LABELS, sample_weight=np.where(
        LABELS == "churned", 5.0, 1.0))
    assert churned_count(weighted) > churned_count(classifier)


def test_hidden_activations_are_features_of_the_table(classifier):
    features = make_pipeline(FunctionTransformer(classifier.hidden_activations))
    assert features.fit_transform(TABLE).shape == (N, classifier.coefs_[-1].shape[0])


def test_a_rows_prediction_does_not_depend_on_the_rows_beside_it(classifier):
    """float32 sums may differ by a row's place in a batch; predictions are in float64."""
    order = np.random.RandomState(1).permutation(N)
    probabilities = classifier.predict_proba(TABLE)
    assert probabilities.dtype == np.float64
    np.testing.assert_array_equal(classifier.predict_proba(TABLE.iloc[order]),
                                  probabilities[order])


def test_float32_is_the_default_and_float64_can_be_asked_for(classifier):
    assert classifier.coefs_[0].dtype == np.float32
    wide = TabularMLPClassifier(**FAST, dtype="float64").fit(TABLE, LABELS)
    assert wide.coefs_[0].dtype == np.float64


def test_every_ingredient_can_be_turned_off():
    plain = TabularMLPClassifier(
        **FAST, numeric_embedding=False, feature_scale=False, max_one_hot_levels=1000,
        label_smoothing=0.0, dropout=0.0, weight_decay=0.0, lr_schedule=None, warmup=0,
        max_grad_norm=None, early_stopping=False).fit(TABLE, LABELS)
    assert plain.score(TABLE, LABELS) > 0.75


def test_a_warm_start_continues_from_the_fitted_weights_and_records(classifier):
    warm = pickle.loads(pickle.dumps(classifier)).set_params(
        warm_start=True, max_iter=1, warmup=0, early_stopping=False)
    before = warm._parameters.copy()
    warm.fit(TABLE, LABELS)
    assert len(warm.loss_curve_) == len(classifier.loss_curve_) + 1
    moved = np.abs(warm._parameters - before).max()
    assert 0 < moved < np.abs(before).max()


def test_an_id_like_column_trains_and_unseen_ids_predict():
    with_ids = TABLE.assign(customer=[f"id {i}" for i in range(N)])
    fitted = TabularMLPClassifier(**FAST).fit(with_ids, LABELS)
    new_ids = with_ids.assign(customer=[f"new {i}" for i in range(N)])
    assert fitted.score(new_ids, LABELS) > 0.6


def test_callbacks_see_every_epoch():
    pytest.importorskip("sklearn.callback", reason="callbacks need scikit-learn >= 1.9")
    from callback_protocol import SilentCallback

    class Epochs(SilentCallback):
        def __init__(self):
            self.ends = 0

        def on_fit_task_end(self, estimator, context, **kwargs):
            self.ends += context.task_name == "epoch"
            return False

    counter = Epochs()
    clf = TabularMLPClassifier(**FAST).set_callbacks(counter).fit(TABLE, LABELS)
    assert counter.ends == clf.n_iter_


def onnx_columns(table):
    """A table as the exported graph takes it: one (n, 1) array per column, text as str."""
    columns = {}
    for name in table.columns:
        values = table[name]
        if values.dtype.kind in "biuf" or str(values.dtype) in ("Int64", "boolean"):
            columns[name] = values.to_numpy(dtype=np.float32, na_value=np.nan).reshape(-1, 1)
        else:
            text = values.astype(object).where(values.notna(), "").astype(str)
            columns[name] = text.to_numpy().reshape(-1, 1)
    return columns


@pytest.mark.parametrize("estimator, y", [(TabularMLPClassifier, LABELS),
                                          (TabularMLPRegressor, PRICES)])
def test_the_onnx_graph_takes_one_input_per_column_and_predicts_as_the_model(estimator, y):
    skl2onnx = pytest.importorskip("skl2onnx")
    onnxruntime = pytest.importorskip("onnxruntime")
    import skxor.onnx

    model = estimator(**FAST, n_networks=2).fit(TABLE, y)
    graph = skl2onnx.to_onnx(model, initial_types=skxor.onnx.initial_types(model, TABLE),
                             options={"zipmap": False} if hasattr(model, "classes_") else None)
    session = onnxruntime.InferenceSession(graph.SerializeToString(),
                                           providers=["CPUExecutionProvider"])
    outputs = session.run(None, onnx_columns(TABLE))
    if hasattr(model, "classes_"):
        np.testing.assert_array_equal(outputs[0], model.predict(TABLE))
        np.testing.assert_allclose(outputs[1], model.predict_proba(TABLE), atol=1e-5)
    else:
        np.testing.assert_allclose(outputs[0].ravel(), model.predict(TABLE), rtol=1e-5)


def onnx_session(model, table):
    skl2onnx = pytest.importorskip("skl2onnx")
    onnxruntime = pytest.importorskip("onnxruntime")
    import skxor.onnx

    graph = skl2onnx.to_onnx(model, initial_types=skxor.onnx.initial_types(model, table),
                             options={"zipmap": False})
    return onnxruntime.InferenceSession(graph.SerializeToString(),
                                        providers=["CPUExecutionProvider"])


def test_an_array_of_one_text_column_exports_as_one_text_input():
    levels = np.array([["low"], ["high"], ["mid"]] * 20, dtype=object)
    model = TabularMLPClassifier(**FAST).fit(levels, [0, 1, 1] * 20)
    session = onnx_session(model, levels)
    (column,) = session.get_inputs()  # skl2onnx renames "0", which is no identifier
    label, _ = session.run(None, {column.name: levels.astype(str)})
    np.testing.assert_array_equal(label, model.predict(levels))


def test_a_multilabel_graph_gives_a_label_column_per_label():
    labels = np.stack([LABELS == "churned", TABLE["autopay"].to_numpy()], axis=1).astype(int)
    model = TabularMLPClassifier(**FAST).fit(TABLE, labels)
    label, _ = onnx_session(model, TABLE).run(None, onnx_columns(TABLE))
    np.testing.assert_array_equal(label, model.predict(TABLE))


def test_an_empty_string_level_is_refused_at_export_as_it_reads_as_missing():
    table = pd.DataFrame({"grade": ["", "a", "b"] * 20})
    model = TabularMLPClassifier(**FAST).fit(table, [0, 1, 1] * 20)
    with pytest.raises(ValueError, match="Column 'grade' has the empty string as a level"):
        onnx_session(model, table)


ENSEMBLE = dict(FAST, n_networks=3)


def test_an_ensemble_predicts_the_mean_of_its_networks_probabilities():
    ensemble = TabularMLPClassifier(**ENSEMBLE).fit(TABLE, LABELS)
    network, encoded = ensemble._network, ensemble._table_encoder.transform(
        read_columns(TABLE), np.float32)
    members = [network.predict(network.unpack(vector), encoded)[:, 0]
               for vector in ensemble._networks]
    np.testing.assert_allclose(ensemble.predict_proba(TABLE)[:, 1], np.mean(members, axis=0),
                               rtol=1e-5)


def test_the_first_network_of_an_ensemble_is_the_single_network():
    single = TabularMLPClassifier(**FAST, n_networks=1).fit(TABLE, LABELS)
    ensemble = TabularMLPClassifier(**ENSEMBLE).fit(TABLE, LABELS)
    np.testing.assert_array_equal(ensemble._networks[0], single._parameters)
    assert not np.array_equal(ensemble._networks[1], ensemble._networks[0])


def test_partial_fit_moves_every_network_of_an_ensemble():
    ensemble = TabularMLPClassifier(n_networks=2, random_state=0)
    ensemble.partial_fit(TABLE, LABELS, classes=["churned", "stayed"])
    before = [vector.copy() for vector in ensemble._networks]
    ensemble.partial_fit(TABLE, LABELS)
    assert all(not np.array_equal(old, new) for old, new in zip(before, ensemble._networks,
                                                                  strict=True))


def test_partial_fit_continues_each_networks_own_records():
    ensemble = TabularMLPClassifier(n_networks=2, random_state=0)
    for _ in range(3):
        ensemble.partial_fit(TABLE, LABELS, classes=["churned", "stayed"])
    assert [len(kept.records["loss_curve_"]) for kept in ensemble._network_continuations] == [
        3, 3]


def test_a_warm_start_with_another_number_of_networks_is_refused():
    ensemble = TabularMLPClassifier(**ENSEMBLE).fit(TABLE, LABELS)
    with pytest.raises(ValueError, match="holds 3 network.*n_networks=2"):
        ensemble.set_params(warm_start=True, n_networks=2).fit(TABLE, LABELS)


def test_an_ensemble_and_several_random_starts_are_refused_together():
    with pytest.raises(ValueError, match="n_networks=3 averages.*n_init=2 keeps the best"):
        TabularMLPClassifier(**ENSEMBLE, n_init=2).fit(TABLE, LABELS)


@pytest.mark.parametrize("scoring", ["accuracy", lambda model, X, y: model.score(X, y)],
                         ids=["name", "callable"])
def test_a_scorer_scores_the_validation_rows_as_the_built_in_accuracy(scoring):
    fitted = TabularMLPClassifier(**ENSEMBLE, scoring=None).fit(TABLE, LABELS)
    scored = TabularMLPClassifier(**ENSEMBLE, scoring=scoring).fit(TABLE, LABELS)
    np.testing.assert_allclose(scored.validation_scores_, fitted.validation_scores_)


def test_a_refit_scores_with_its_own_networks_not_the_last_fits():
    model = TabularMLPClassifier(**ENSEMBLE, scoring="accuracy").fit(TABLE, LABELS)
    first = list(model.validation_scores_)
    model.fit(TABLE, LABELS)
    assert model.validation_scores_ == first


def test_a_frame_fitted_predicts_an_array_by_position_with_scikit_learns_warning(classifier):
    with pytest.warns(UserWarning, match="X does not have valid feature names"):
        from_array = classifier.predict_proba(TABLE.to_numpy())
    np.testing.assert_array_equal(from_array, classifier.predict_proba(TABLE))


def test_an_array_fitted_predicts_a_frame_by_position_with_scikit_learns_warning():
    fitted = TabularMLPClassifier(**FAST).fit(TABLE.to_numpy(), LABELS)
    with pytest.warns(UserWarning, match="X has feature names"):
        from_frame = fitted.predict_proba(TABLE)
    np.testing.assert_array_equal(from_frame, fitted.predict_proba(TABLE.to_numpy()))


def test_columns_named_by_numbers_are_matched_by_position():
    numbered = TABLE.set_axis(range(10, 10 + TABLE.shape[1]), axis=1)
    fitted = TabularMLPClassifier(**FAST).fit(numbered, LABELS)
    renumbered = TABLE.set_axis(range(TABLE.shape[1]), axis=1)
    np.testing.assert_array_equal(fitted.predict_proba(renumbered),
                                  fitted.predict_proba(numbered))


@pytest.mark.parametrize("table", [pd.DataFrame({"blank": [np.nan] * 6}),
                                   pd.DataFrame(index=range(6))], ids=["all missing", "empty"])
def test_a_table_without_an_observed_value_is_refused(table):
    with pytest.raises(ValueError, match="none holds a value to learn from"):
        TabularMLPClassifier(**FAST).fit(table, [0, 1] * 3)


def test_a_polars_lazy_frame_is_refused_asking_for_collect():
    polars = pytest.importorskip("polars")
    with pytest.raises(TypeError, match="LazyFrame.*collect"):
        TabularMLPClassifier(**FAST).fit(polars.from_pandas(TABLE).lazy(), LABELS)


def test_check_gradients_of_a_fitted_model_keeps_its_encoding(classifier):
    """Rows with fewer levels than fit saw check the fitted network, not a new encoding."""
    few_levels = TABLE.head(10).assign(plan="basic")
    assert check_gradients(classifier, few_levels, LABELS[:10]).passed


@pytest.mark.parametrize("estimator", [TabularMLPClassifier, TabularMLPRegressor])
def test_the_tabular_estimators_take_no_dask_training_as_they_fit_in_memory(estimator):
    assert "dask_training" not in estimator().get_params()
    with pytest.raises(TypeError, match="unexpected keyword argument 'dask_training'"):
        estimator(dask_training="data_parallel")
