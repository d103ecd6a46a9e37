"""The fixed summation tree of dask L-BFGS: the same bits whoever holds which chunk."""

import numpy as np
import pytest

from skxor.data.sum_tree import held_spans, partial_sums_sent, root_sum, span_sum

TERMS = np.random.RandomState(0).standard_normal((13, 5)) * 10.0 ** np.arange(-6, 7)[:, None]


def add(left, right):
    return left + right


def term(index):
    return TERMS[index].copy()


def partial_sums(holdings):
    """What workers holding ``holdings`` (one set of chunk indices each) send back."""
    return {span: span_sum(span, term, add)
            for held in holdings for span in held_spans(held, len(TERMS))}


def test_consecutive_chunks_are_sent_as_a_few_spans():
    assert held_spans(set(range(0, 7)), 13) == [(0, 6), (6, 7)]
    assert held_spans(set(range(13)), 13) == [(0, 13)]


def test_interleaved_chunks_are_sent_one_by_one():
    assert held_spans({0, 2, 4}, 6) == [(0, 1), (2, 3), (4, 5)]


def test_no_chunks_hold_no_spans():
    assert held_spans(set(), 4) == [] and held_spans(set(), 0) == []


@pytest.mark.parametrize("holdings", [
    [set(range(13))],
    [set(range(0, 7)), set(range(7, 13))],
    [set(range(0, 13, 2)), set(range(1, 13, 2))],
    [{0, 5, 12}, {1, 2, 3, 4}, set(range(6, 12))],
    [{index} for index in range(13)],
])
def test_the_sum_is_the_same_bits_for_any_holding(holdings):
    expected = span_sum((0, len(TERMS)), term, add)
    np.testing.assert_array_equal(root_sum(partial_sums(holdings), len(TERMS), add), expected)


def test_the_tree_sum_differs_from_a_running_sum_only_by_rounding():
    running = sum(TERMS[index] for index in range(len(TERMS)))
    np.testing.assert_allclose(span_sum((0, len(TERMS)), term, add), running, rtol=1e-12)


@pytest.mark.parametrize(("workers", "sent"), [(1, 1), (2, 2), (3, 8), (4, 4), (5, 12), (32, 20)])
def test_runs_of_consecutive_chunks_send_back_a_few_partial_sums(workers, sent):
    assert partial_sums_sent(20, workers) == sent
