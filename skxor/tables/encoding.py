"""Tables in, numbers out: how each column of a table becomes the network's inputs.

``TableEncoder`` learns, from the training table, what each column is and
how to turn it into numbers, then turns any table with the same columns
into one float matrix:

- a **numeric** column (numbers or booleans, in any dtype pandas or polars
  holds them) is centred on its median, divided by a robust spread (the
  interquartile range over 1.349, the standard deviation of normal data;
  the standard deviation where the quartiles agree) and smoothly clipped,
  ``x / sqrt(1 + (x / 3)**2)``, so an outlier stays within about 3 without a
  kink. A missing value becomes the median (0), and a column that had
  missing values at fit time gets an indicator column of its own;
- a **categorical** column (pandas ``category``, text, objects) keeps the
  levels seen at fit time, compared as text (so ``1`` and ``"1"`` are one
  level). With at most ``max_one_hot_levels`` levels it becomes one 0/1
  column per level; with more, one column of level codes (1 to the number
  of levels) that the network's embedding layer looks up. A missing value,
  and a level never seen in fit, have no column of their own: all zeros, or
  code 0.

The matrix holds, in this order: the numeric columns, their missing
indicators, the one-hot columns and the code columns (``EncodedLayout``).
A column that is missing everywhere at fit time carries no information and
gets no input.
"""

from dataclasses import dataclass, field

import numpy as np

from .columns import TextColumn, as_text

SMOOTH_CLIP = 3.0
"""Where the smooth clip of scaled numbers bends: values stay within about this."""

NORMAL_IQR = 1.349
"""The interquartile range of the standard normal distribution."""


@dataclass(frozen=True)
class EncodedLayout:
    """How many columns of each kind the encoded matrix has, in its order.

    ``embedding_levels`` holds, for each code column, its number of levels
    (the codes run from 0, missing or unknown, to that number).
    """

    n_numeric: int
    n_indicators: int
    n_one_hot: int
    embedding_levels: tuple

    @property
    def n_codes(self):
        """The number of code columns."""
        return len(self.embedding_levels)

    @property
    def width(self):
        """The number of columns of the encoded matrix."""
        return self.n_numeric + self.n_indicators + self.n_one_hot + self.n_codes


@dataclass
class NumericColumn:
    """A numeric column's centre, spread and whether it had missing values at fit."""

    name: object
    center: float
    spread: float
    has_missing: bool

    def encode(self, values):
        """Scaled, smoothly clipped values, missing ones at 0; and the missing mask."""
        missing = np.isnan(values)
        scaled = (values - self.center) / self.spread
        scaled /= np.sqrt(1.0 + (scaled / SMOOTH_CLIP) ** 2)
        scaled[missing] = 0.0
        return scaled, missing

    def onnx(self, graph, x):
        """``encode`` in ONNX operators, for a float column ``x`` of shape (n, 1)."""
        missing = graph.node("IsNaN", [x])
        scaled = graph.node("Div", [graph.node("Sub", [x, graph.constant(self.center)]),
                                    graph.constant(self.spread)])
        bent = graph.node("Div", [scaled, graph.constant(SMOOTH_CLIP)])
        root = graph.node("Sqrt", [graph.node("Add", [graph.constant(1.0),
                                                      graph.node("Mul", [bent, bent])])])
        value = graph.node("Where", [missing, graph.constant(0.0),
                                     graph.node("Div", [scaled, root])])
        return value, graph.node("Cast", [missing], to=graph.proto_type)


@dataclass
class CategoricalColumn:
    """A categorical column's levels, as text, and whether they are one-hot encoded."""

    name: object
    levels: np.ndarray
    one_hot: bool

    def codes(self, text, missing):
        """Each row's level, 1 to the number of levels; 0 where missing or never seen."""
        positions = np.searchsorted(self.levels, text)
        positions = np.minimum(positions, len(self.levels) - 1)
        known = (self.levels[positions] == text) & ~missing
        return np.where(known, positions + 1, 0)

    def onnx(self, graph, text):
        """``codes`` in ONNX operators, for a text column of shape (n, 1): int64 codes.

        A missing value reaches the graph as the empty string, which maps to 0
        as an unseen level does; a column whose levels include the empty
        string is refused, as the graph could not tell it from a missing value.
        """
        if "" in self.levels:
            raise ValueError(
                f"Column {self.name!r} has the empty string as a level, which the ONNX graph "
                "cannot tell from a missing value (its inputs write a missing text as ''). "
                "Replace it by a missing value or another text before fitting.")
        return graph.node("LabelEncoder", [text], op_domain="ai.onnx.ml", op_version=2,
                          keys_strings=[str(level) for level in self.levels],
                          values_int64s=list(range(1, len(self.levels) + 1)), default_int64=0)


@dataclass
class TableEncoder:
    """Learns from a training table how its columns become numbers (see the module).

    Parameters
    ----------
    max_one_hot_levels : int, default=8
        A categorical column with at most this many levels is one-hot
        encoded; one with more is left to an embedding.
    """

    max_one_hot_levels: int = 8
    numeric: list = field(default_factory=list)
    categorical: list = field(default_factory=list)
    names: list | None = None

    def fit(self, columns):
        """Learn each column of ``columns`` (a ``read_columns`` result); return self."""
        self.names = [name for name, _ in columns]
        self.numeric, self.categorical = [], []
        for name, column in columns:
            if isinstance(column, TextColumn):
                levels = np.unique(column.text[~column.missing])
                if levels.size:
                    self.categorical.append(CategoricalColumn(
                        name, levels, one_hot=levels.size <= self.max_one_hot_levels))
            else:
                observed = column[~np.isnan(column)]
                if observed.size:
                    self.numeric.append(_numeric_column(name, observed,
                                                        observed.size < column.size))
        return self

    @property
    def layout(self):
        """The ``EncodedLayout`` of the matrices ``transform`` makes."""
        return EncodedLayout(
            len(self.numeric), sum(column.has_missing for column in self.numeric),
            sum(len(column.levels) for column in self.categorical if column.one_hot),
            tuple(len(column.levels) for column in self.categorical if not column.one_hot))

    def transform(self, columns, dtype=np.float64):
        """The encoded matrix of ``columns``, which hold the fitted columns, by name."""
        by_name = dict(columns)
        numeric, indicators = [], []
        for column in self.numeric:
            values = by_name[column.name]
            if isinstance(values, TextColumn):
                raise ValueError(_text_in_a_numeric_column(column.name, values))
            scaled, missing = column.encode(values)
            numeric.append(scaled)
            if column.has_missing:
                indicators.append(missing.astype(np.float64))
        one_hot, codes = [], []
        for column in self.categorical:
            values = by_name[column.name]
            text = values if isinstance(values, TextColumn) else as_text(values)
            coded = column.codes(text.text, text.missing)
            if column.one_hot:
                one_hot.extend((coded == level).astype(np.float64)
                               for level in range(1, len(column.levels) + 1))
            else:
                codes.append(coded.astype(np.float64))
        n_rows = len(columns[0][1]) if columns else 0
        blocks = numeric + indicators + one_hot + codes
        if not blocks:
            return np.zeros((n_rows, 0), dtype=dtype)
        return np.stack(blocks, axis=1).astype(dtype, copy=False)


def encoded_in_onnx(encoder, graph, columns):
    """The encoded matrix in ONNX operators, from ``columns``: each fitted column's name to
    its graph input, of shape (n, 1) (floats for numbers, strings for text)."""
    numeric, indicators = [], []
    for column in encoder.numeric:
        value, missing = column.onnx(graph, columns[column.name])
        numeric.append(value)
        if column.has_missing:
            indicators.append(missing)
    one_hot, codes = [], []
    for column in encoder.categorical:
        coded = column.onnx(graph, columns[column.name])
        if column.one_hot:
            levels = graph.constant(np.arange(1, len(column.levels) + 1)[np.newaxis], "levels")
            one_hot.append(graph.node("Cast", [graph.node("Equal", [coded, levels])],
                                      to=graph.proto_type))
        else:
            codes.append(graph.node("Cast", [coded], to=graph.proto_type))
    return graph.node("Concat", numeric + indicators + one_hot + codes, axis=1)


def _numeric_column(name, observed, has_missing):
    """The centre and robust spread of a numeric column's observed values."""
    center = float(np.median(observed))
    low, high = np.percentile(observed, [25, 75])
    spread = (high - low) / NORMAL_IQR
    if not spread > 0:
        spread = float(np.std(observed))
    return NumericColumn(name, center, spread if spread > 0 else 1.0, has_missing)


def _text_in_a_numeric_column(name, column):
    examples = ", ".join(repr(str(text)) for text in np.unique(column.text[~column.missing])[:3])
    return (f"Column {name!r} held numbers when the model was fitted, but holds text now "
            f"({examples}). Pass the column as numbers, as in fit.")

