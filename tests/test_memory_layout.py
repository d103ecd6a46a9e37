"""Any memory layout of X trains as a plain C-ordered array does, at its speed.

Dask's workers, memory maps with headers and other byte buffers hand over
arrays at odd offsets; NumPy's row gather (``take``) copies such an array, or
a strided one, whole on every batch. A fit gathers from one aligned, row-major
copy instead (the speed is measured in ``benchmarks/bench_vs_sklearn.py``).
"""

import numpy as np
import pytest

from skxor import MLPBackpropClassifier
from skxor.network.primitives import NUMPY

RNG = np.random.RandomState(0)
X = RNG.normal(size=(120, 6))
Y = (X[:, 0] > 0).astype(int)


def at_odd_offset(array):
    raw = bytearray(array.nbytes + 8)
    shifted = np.frombuffer(memoryview(raw)[4:4 + array.nbytes], dtype=array.dtype)
    shifted = shifted.reshape(array.shape)
    shifted[...] = array
    return shifted


def read_only(array):
    copy = array.copy()
    copy.flags.writeable = False
    return copy


LAYOUTS = {
    "odd byte offset": at_odd_offset,
    "Fortran order": np.asfortranarray,
    "every other column": lambda array: np.repeat(array, 2, axis=1)[:, ::2],
    "read-only": read_only,
}


def model(**params):
    return MLPBackpropClassifier(hidden_layer_sizes=(5,), max_iter=3, random_state=0,
                                 **params)


def test_the_odd_offset_buffer_is_misaligned():
    assert not at_odd_offset(X).flags.aligned


@pytest.mark.usefixtures("quiet_convergence")
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("batch_size", [10, "auto"], ids=["mini-batches", "one batch"])
def test_any_layout_trains_the_weights_of_a_plain_array(layout, batch_size):
    odd = model(batch_size=batch_size).fit(LAYOUTS[layout](X), Y)
    plain = model(batch_size=batch_size).fit(X, Y)
    for ours, reference in zip(odd.coefs_ + odd.intercepts_,
                               plain.coefs_ + plain.intercepts_, strict=True):
        np.testing.assert_array_equal(ours, reference)


@pytest.mark.usefixtures("quiet_convergence")
@pytest.mark.parametrize("layout", LAYOUTS)
def test_batches_are_gathered_from_an_aligned_row_major_array(layout, monkeypatch):
    sources = []
    gather = NUMPY.take_rows

    def recording_gather(array, index, buffer):
        sources.append(array.flags.c_contiguous and array.flags.aligned)
        return gather(array, index, buffer)

    monkeypatch.setattr(NUMPY, "take_rows", recording_gather)
    model(batch_size=10).fit(LAYOUTS[layout](X), Y)
    assert sources and all(sources)


def test_an_aligned_row_major_array_is_not_copied():
    assert NUMPY.in_row_order(X) is X


def test_a_streamed_chunk_that_arrives_at_an_odd_offset_trains_from_an_aligned_copy():
    """Dask hands the client a chunk's arrays wherever they lay in the message."""
    from types import SimpleNamespace

    from skxor.data.chunked import StreamedChunks

    data = SimpleNamespace(n_rows=len(X), chunk_rows=[len(X)], n_features=X.shape[1], n_outputs=1,
                           dtype=X.dtype)
    settings = SimpleNamespace(shuffle=True, batch_size=20, max_epochs=1)
    streamed = StreamedChunks(data, settings)
    target = Y.reshape(-1, 1).astype(np.float64)
    received = (at_odd_offset(X), at_odd_offset(target), None)
    assert not received[0].flags.aligned
    block = streamed._block(received, np.random.RandomState(0))
    streamed.close()
    for array, sent in zip(block.data[:2], received[:2], strict=True):
        assert array.flags.aligned and array.flags.c_contiguous
        np.testing.assert_array_equal(array, sent)
    assert block.data[2] is None
