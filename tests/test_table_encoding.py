"""How a table's columns become numbers (``skxor.tables``): reading, scaling, encoding."""

import datetime
import decimal

import numpy as np
import pandas as pd
import pytest

from skxor.tables.columns import TextColumn, read_columns
from skxor.tables.encoding import SMOOTH_CLIP, TableEncoder


def encoded(table, fit_on=None, **params):
    encoder = TableEncoder(**params).fit(read_columns(table if fit_on is None else fit_on))
    return encoder, encoder.transform(read_columns(table))


def test_a_numeric_column_is_centred_on_its_median_and_scaled_by_its_spread():
    values = np.random.RandomState(0).normal(10, 3, 2000)
    _, matrix = encoded(pd.DataFrame({"x": values}))
    assert abs(np.median(matrix[:, 0])) < 1e-9
    inside = np.abs(matrix[:, 0]) < 1  # little clipped near the centre
    assert np.std(matrix[inside, 0]) == pytest.approx(np.std((values[inside] - 10) / 3),
                                                      rel=0.1)


def test_outliers_are_clipped_smoothly_within_three():
    values = np.r_[np.random.RandomState(0).normal(size=200), 1e6, -1e9]
    _, matrix = encoded(pd.DataFrame({"x": values}))
    assert np.abs(matrix).max() <= SMOOTH_CLIP  # reached only in the rounding of 1e9
    assert np.all(np.diff(matrix[np.argsort(values), 0]) >= 0)  # order is kept


def test_a_missing_number_becomes_the_median_with_an_indicator():
    encoder, matrix = encoded(pd.DataFrame({"x": [1.0, np.nan, 3.0, 2.0]}))
    assert encoder.layout.n_indicators == 1
    np.testing.assert_array_equal(matrix[:, 1], [0, 1, 0, 0])
    assert matrix[1, 0] == 0.0


def test_a_column_without_missing_values_at_fit_gets_no_indicator():
    encoder, matrix = encoded(pd.DataFrame({"x": [np.nan, 2.0]}),
                              fit_on=pd.DataFrame({"x": [1.0, 2.0, 3.0]}))
    assert encoder.layout.n_indicators == 0 and matrix[0, 0] == 0.0


def test_few_levels_are_one_hot_and_many_are_codes():
    table = pd.DataFrame({"few": list("abc") * 10, "many": [f"level {i}" for i in range(30)]})
    encoder, matrix = encoded(table, max_one_hot_levels=3)
    assert encoder.layout.n_one_hot == 3 and encoder.layout.embedding_levels == (30,)
    np.testing.assert_array_equal(matrix[:3, :3], np.eye(3))
    assert set(matrix[:, 3]) == set(range(1, 31))


def test_missing_and_unseen_levels_have_no_column_and_code_zero():
    fit_on = pd.DataFrame({"few": ["a", "b"] * 5, "many": [str(i) for i in range(10)]})
    table = pd.DataFrame({"few": [None, "z"], "many": [None, "unseen"]})
    _, matrix = encoded(table, fit_on=fit_on, max_one_hot_levels=2)
    np.testing.assert_array_equal(matrix, [[0, 0, 0], [0, 0, 0]])


def test_numbers_in_a_text_column_read_as_their_text():
    _, from_text = encoded(pd.DataFrame({"c": ["1", "2"]}), fit_on=pd.DataFrame(
        {"c": ["1", "2", "3"]}))
    _, from_numbers = encoded(pd.DataFrame({"c": [1.0, 2.0]}), fit_on=pd.DataFrame(
        {"c": ["1", "2", "3"]}))
    np.testing.assert_array_equal(from_text, from_numbers)


@pytest.mark.parametrize("fit_values, predict_values", [
    ([True, False, "x"], [1.0, 0.0, np.nan]),
    (np.array([0.1, 2.5, "x"], dtype=object), np.array([0.1, 2.5, np.nan])),
    ([np.float32(0.1), 7, "x"], [np.float32(0.1), 7.0, np.nan]),
    ([1e20, 3, "x"], [1e20, 3.0, np.nan]),
], ids=["booleans", "floats", "float32", "beyond int64"])
def test_a_level_reads_the_same_text_in_fit_and_as_a_number_later(fit_values, predict_values):
    """Each level of a text column fitted from mixed values stays itself when the same
    values come back as a numeric column."""
    fit_on = pd.DataFrame({"c": np.array(fit_values, dtype=object)})
    _, matrix = encoded(pd.DataFrame({"c": predict_values}), fit_on=fit_on)
    _, expected = encoded(fit_on)
    assert expected[:2].any(axis=1).all()  # each level has its column
    np.testing.assert_array_equal(matrix[:2], expected[:2])


@pytest.mark.parametrize("column", [
    np.array([decimal.Decimal("1.5"), None, decimal.Decimal("2")], dtype=object),
    pd.Series([1.5, None, 2.0]).astype(object),
], ids=["Decimal", "object floats"])
def test_decimals_read_as_numbers(column):
    ((_, values),) = read_columns(pd.DataFrame({"c": column}))
    np.testing.assert_array_equal(values, [1.5, np.nan, 2.0])


@pytest.mark.parametrize("column", [
    pd.date_range("2020-01-01", periods=3, tz="UTC"),
    pd.period_range("2020-01", periods=3, freq="M"),
    np.array([datetime.date(2020, 1, day) for day in (1, 2, 3)], dtype=object),
    pd.to_timedelta([1, 2, 3], unit="D"),
], ids=["timezone-aware", "periods", "date objects", "durations"])
def test_dates_and_times_of_any_kind_are_refused_naming_the_column(column):
    with pytest.raises(TypeError, match="Column 'when' holds dates, times or periods"):
        read_columns(pd.DataFrame({"when": column}))


def test_polars_decimals_read_as_numbers_and_dates_are_refused():
    polars = pytest.importorskip("polars")
    table = polars.DataFrame({"d": [decimal.Decimal("1.5"), None]})
    np.testing.assert_array_equal(dict(read_columns(table))["d"], [1.5, np.nan])
    with pytest.raises(TypeError, match="Column 'day' holds dates"):
        read_columns(polars.DataFrame({"day": [datetime.date(2020, 1, 1)]}))


@pytest.mark.parametrize("column, kind", [
    (pd.array([1, None, 3], dtype="Int64"), np.ndarray),
    (pd.array([True, None, False], dtype="boolean"), np.ndarray),
    (pd.array(["a", None, "b"], dtype="string"), TextColumn),
    (pd.Categorical([1, 2, None]), TextColumn),
    (np.array([1, None, 2.5], dtype=object), np.ndarray),
    (np.array(["x", 2, None], dtype=object), TextColumn),
], ids=["Int64", "boolean", "string", "category of numbers", "object numbers", "mixed"])
def test_each_pandas_dtype_reads_as_numbers_or_text_with_its_missing_values(column, kind):
    ((_, values),) = read_columns(pd.DataFrame({"c": column}))
    assert isinstance(values, kind)
    missing = np.isnan(values) if kind is np.ndarray else values.missing
    np.testing.assert_array_equal(missing, pd.isna(pd.Series(column)).to_numpy())


def test_polars_columns_read_as_pandas_columns_do():
    polars = pytest.importorskip("polars")
    table = polars.DataFrame({"n": [1, None, 3], "t": ["a", None, "b"],
                              "c": polars.Series(["p", "q", "p"]).cast(polars.Categorical)})
    columns = dict(read_columns(table))
    np.testing.assert_array_equal(columns["n"], [1.0, np.nan, 3.0])
    assert list(columns["t"].text) == ["a", "", "b"] and list(columns["t"].missing) == [
        False, True, False]
    assert list(columns["c"].text) == ["p", "q", "p"]


def test_an_array_names_its_columns_by_position():
    assert [name for name, _ in read_columns(np.zeros((2, 3)))] == [0, 1, 2]
