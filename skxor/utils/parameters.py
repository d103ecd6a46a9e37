"""Constructor parameters as declarations: name, default, allowed values and documentation.

A parameter is declared once, as a ``Parameter``, by the part of skxor that
reads it: the estimators' shared ones in ``skxor._parameters``, a solver's
or an update rule's in its own module (``rho`` in ``rmsprop``), a loss's
beside the loss (``huber_threshold``). The estimators collect the
declarations of every registered part, and from that one list come their
constructor, the check of each value at the start of ``fit`` and the
Parameters section of their docstrings.

scikit-learn's own constraint machinery is private, so the checks are
written here. A failure raises ``InvalidParameterError`` with the message
scikit-learn would give: ``The 'alpha' parameter of MLPBackpropClassifier
must be a float in the range [0.0, inf). Got -1 instead.``
"""

import numbers
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np


class InvalidParameterError(ValueError, TypeError):
    """A constructor parameter has a value or type it does not allow.

    Both a ``ValueError`` and a ``TypeError``, like scikit-learn's exception
    of the same name, so code written for either keeps catching it.

    Examples
    --------
    >>> from skxor import InvalidParameterError, MLPBackpropClassifier
    >>> try:
    ...     MLPBackpropClassifier(alpha=-1).fit([[0.0], [1.0]], [0, 1])
    ... except InvalidParameterError as error:
    ...     print(error)  # doctest: +NORMALIZE_WHITESPACE
    The 'alpha' parameter of MLPBackpropClassifier must be a float in the
    range [0.0, inf). Got -1 instead.
    """


@dataclass(frozen=True)
class Allowed:
    """What a parameter allows: a predicate of the value, and its description.

    The description completes "The 'x' parameter of Estimator must be ...".
    """

    check: Callable[[object], bool]
    description: str


@dataclass(frozen=True)
class Parameter:
    """One constructor parameter of the estimators.

    Parameters
    ----------
    name : str
    default : object
    allowed : Allowed
    kind : str
        The type line of the docstring, after ``name :`` and before the
        default: ``"float"``, ``'{"adam", "sgd"}'``.
    doc : str
        What the parameter does: the docstring's paragraph, on one line or
        several (it is wrapped to the docstring's width).
    shown_default : str or None
        The default as the docstring writes it, where ``repr`` (or a string
        in double quotes) would not: ``1e-4`` rather than ``0.0001``.
    """

    name: str
    default: object
    allowed: Allowed
    kind: str
    doc: str
    shown_default: str | None = None

    def docstring(self):
        """The parameter's entry in a numpydoc Parameters section, indented as in a class."""
        default = self.shown_default or (f'"{self.default}"' if isinstance(self.default, str)
                                         else repr(self.default))
        header = f"    {self.name} : {self.kind}, default={default}"
        paragraphs = textwrap.dedent(self.doc).strip("\n").split("\n\n")
        body = "\n\n".join(textwrap.fill(" ".join(paragraph.split()), width=80,
                                         initial_indent=" " * 8, subsequent_indent=" " * 8)
                           for paragraph in paragraphs)
        return f"{header}\n{body}"

    def check(self, value, owner):
        """Raise ``InvalidParameterError`` unless ``value`` is allowed (``owner``: the class)."""
        if not self.allowed.check(value):
            raise InvalidParameterError(
                f"The {self.name!r} parameter of {owner} must be "
                f"{self.allowed.description}. Got {value!r} instead.")


def is_int(value):
    """Whether ``value`` is an integer (bools count, as in scikit-learn's checks)."""
    return isinstance(value, numbers.Integral)


def is_real(value):
    """Whether ``value`` is a real number (bools and integers count)."""
    return isinstance(value, numbers.Real)


def is_bool(value):
    """Whether ``value`` is a Python or NumPy bool."""
    return isinstance(value, (bool, np.bool_))


def integer(low):
    """An int of at least ``low``."""
    return Allowed(lambda v: is_int(v) and v >= low, f"an int in the range [{low}, inf)")


def real(low, high=None, low_open=False, high_open=False):
    """A finite float within the bounds (``high`` None: unbounded above)."""
    def check(value):
        if not is_real(value) or not np.isfinite(value):
            return False
        above = value > low if low_open else value >= low
        below = high is None or (value < high if high_open else value <= high)
        return above and below

    left = "(" if low_open else "["
    right = "inf)" if high is None else f"{float(high)}{')' if high_open else ']'}"
    return Allowed(check, f"a float in the range {left}{float(low)}, {right}")


def one_of(options):
    """One of the strings ``options``."""
    options = tuple(options)
    return Allowed(lambda v: isinstance(v, str) and v in options,
                   "a str among {" + ", ".join(repr(option) for option in options) + "}")


BOOLEAN = Allowed(is_bool, "an instance of 'bool' or an instance of 'numpy.bool'")


def or_none(allowed):
    """``allowed``, or None."""
    return Allowed(lambda v: v is None or allowed.check(v), f"{allowed.description} or None")


def one_or_one_per_layer(is_one, description):
    """One value that ``is_one`` accepts, or a list or tuple of them (one per hidden layer)."""
    def check(value):
        if isinstance(value, (list, tuple)):
            return all(is_one(item) for item in value)
        return is_one(value)

    return Allowed(check, f"{description}, or a list of them with one per hidden layer")


def increasing_levels(is_level, description):
    """One value that ``is_level`` accepts, or a non-empty, strictly increasing list of them."""
    def check(value):
        if is_level(value):
            return True
        if isinstance(value, str) or not isinstance(value, Iterable):
            return False
        levels = list(value)
        return (np.ndim(value) == 1 and len(levels) > 0
                and all(is_level(level) for level in levels)
                and all(np.diff(np.asarray(levels, dtype=float)) > 0))

    return Allowed(check, f"{description}, or a non-empty list of them in increasing order, "
                          "one per output")


def options_text(names):
    """``{"a", "b"}``: the docstring's type line for a choice among ``names``."""
    return "{" + ", ".join(f'"{name}"' for name in names) + "}"
