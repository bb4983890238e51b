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
# # 3.0 Outlook
#
# Where each indicator stands and where its trend leads, as the plan's stage makes
# meaningful: at mid-term, progress to date against the time elapsed, P(target met) by the
# target year and the targets at risk; in the final evaluation, the observed outcomes
# (met / not met, no probability) and a projection only where the target-year value is not
# yet published; for a new plan, the levels within reach (see also 5.0-targets). The
# charts read the same evaluation as the tables, so they cannot disagree with them.

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
stage = stages.stage_of(ev)  # planning | mid_term | final
display(Markdown(tables.run_heading(run, lang)))
display(Markdown(stages.stage_note(ev, lang)))

# %% [markdown]
# ## Progress to date (mid-term only)
#
# "Time half gone, task half done?" Each indicator's share of the way from its baseline
# to its target, against the share of the plan period elapsed (the schedule). Shown at
# mid-term only: once the period is over the outcomes replace it, and a new plan has no
# data after its baseline to measure progress on.

# %%
if stage == "mid_term":
    display(charts.progress_chart(ev, lang))

# %% [markdown]
# ## Outcome or outlook at the target year
#
# At mid-term and for a new plan: P(target met) per indicator from the trend's predictive
# distribution, banded in the IPCC likelihood words; projects judged by their schedule
# are shown as such. In the final evaluation: the observed outcome in words, and P only
# where the target-year value is not yet published.

# %%
charts.outlook_chart(ev, lang)

# %% [markdown]
# ## All indicators at a glance
#
# One small panel per indicator: observations, the median path with its intervals and
# the target.

# %%
charts.overview_chart(ev, lang)

# %% [markdown]
# ## The table of the stage
#
# At mid-term, the targets at risk: unlikely or very unlikely to be met, or a project
# running late, with the pace the target now needs against the recent pace and the notes
# behind the numbers (an empty table means no target is at risk). In the final
# evaluation, the completion table: target, value in the target year, outcome in words,
# first year met, gap, P only for an unpublished value. For a new plan, the 目标建议
# table (as in 5.0-targets). Each is the table `planlib report` writes for that stage.

# %%
stages.stage_table(ev, lang)

# %% [markdown]
# ## The evaluation table
#
# One row per indicator, as written to `evaluation.csv`; status words in the chosen
# language.

# %%
tables.evaluation_table(ev, lang)

# %% [markdown]
# With `figures_dir` set (as `planlib run` does), every figure is also written there as
# PNG (300 dpi); `planlib figures` writes SVG and PDF too.

# %%
if figures_dir:
    written = charts.write_figures(ev, lang, formats=["png"], out_dir=figures_dir)
    display(Markdown(f"{len(written)} files written (manifest last) under `{figures_dir}`."))
