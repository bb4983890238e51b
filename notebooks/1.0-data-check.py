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
# # 1.0 Data check
#
# What planlib read for this plan, from which files, what it warned about, and which
# years are missing. Read this before trusting any trend: a replaced value or a gap in the
# latest years changes every number in the notebooks that follow.

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
import pandas as pd
from IPython.display import Markdown, display

import planlib
from planlib.outputs.display import tables

pd.set_option("display.max_colwidth", None)
pd.set_option("display.max_columns", None)
run = planlib.run_plan(plan, as_of=as_of, model=model, levels=levels, seed=seed,
                       write=False)
ev = run.evaluation
display(Markdown(tables.run_heading(run, lang)))

# %% [markdown]
# ## Files read
#
# In reading order: when two files give the same indicator, region and year, the later
# file wins. `observations_kept` (采用数据条数) counts the values of each file that survive
# that rule.

# %%
tables.files_table(run.loaded, lang)

# %% [markdown]
# ## Warnings and overrides
#
# Every warning of the reading step. Rows of kind `override` (数值被替换) name the value
# replaced, its file and row, and the value and file that replaced it. An empty table
# means none.

# %%
tables.warnings_table(run.loaded, lang)

# %% [markdown]
# ## Gaps
#
# Per indicator: the years observed and the years missing between the baseline (or the
# first observation, if earlier) and the last year before the evaluation.
# `years_behind` (滞后年数) > 0 means the latest value is older than the evaluation expects.

# %%
tables.gap_table(ev, lang)

# %% [markdown]
# ## The data as read
#
# One row per series, one column per year, as offices keep them. Marks: `*` provisional,
# `d` derived, `≥` a lower bound, `|` a definitional break starting that year. Series not
# in the plan are kept for reference and not evaluated.

# %%
tables.observations_wide(run.loaded, lang)
