# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 2.0 Trends
#
# The trend fitted to each indicator, which model was chosen and why, and how much the
# outlook would change under another model. Where the models disagree on whether the
# target will be met, the call is not robust and deserves a sentence of caution.

# %% tags=["parameters"]
plan = "cn_education_14th"  # a shipped plan id, a plan folder or a path to its plan.yaml
as_of = None  # evaluation year (data up to as_of - 1); None: the plan's own as_of
lang = "zh"  # zh | en: the language of names, status words, figures and the section
levels = [80, 95]  # central interval levels in percent
model = "auto"  # auto | drift | linear | log | logit | damped
seed = 0  # seed of the sample paths: same inputs and seed, same numbers
processed_dir = None  # where `planlib run` wrote the evaluation tables (None: nothing)
figures_dir = None  # where 3.0 writes the figures (None: show them only)
report_dir = None  # where 4.0 writes the forecast section (None: show it only)

# %%
# %matplotlib inline
import pandas as pd
from IPython.display import Markdown, display

import planlib
from planlib.outputs.display import stages, tables
from planlib.outputs.figures import charts

pd.set_option("display.max_colwidth", None)
pd.set_option("display.max_columns", None)
run = planlib.run_plan(plan, as_of=as_of, model=model, levels=levels, seed=seed,
                       write=False)
ev = run.evaluation
display(Markdown(stages.stage_note(ev, lang)))

# %% [markdown]
# ## Model choice
#
# `model` is the model used; a `combo(...)` averages the quantiles of its `members` with
# the `weights` shown. `mase_*` is each candidate's rolling-origin backtest error on the
# series itself (lower is better; empty when the series was too short to backtest, and
# parsimony chose). `max_widening` is how far the intervals were widened at the target
# year to allow for trends that bend.

# %%
tables.selection_table(ev, lang)

# %% [markdown]
# ## Sensitivity across models
#
# P(target met) under each single model beside the one used. `call_robust` is false when
# some model puts the target on the other side of even odds. In a final evaluation only
# the targets whose target-year value is not yet published are listed: an observed
# outcome has no probability.

# %%
tables.sensitivity_table(ev, lang)

# %% [markdown]
# ## Each indicator's trend
#
# Per indicator: the chart (observations, fit window, fitted trend, the median with its
# intervals, the plan path and the target) and the same numbers per year, on the
# target's own scale (a running total for cumulative targets).

# %%
for r in ev:
    display(Markdown(tables.indicator_heading(r, lang)))
    display(charts.indicator_chart(r, lang=lang))
    display(tables.years_table(r, lang))
