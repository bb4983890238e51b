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
# # 5.0 Targets
#
# Targets for a new plan (规划编制: no data after its baseline): per indicator, the level
# the trend reaches or betters by the new target year with probability 50, 80 and 90 %,
# the plan's target (a draft or a published one, as plan.yaml's `targets_status` says)
# with its probability and its band (稳妥 / 积极 / 有挑战 / 难以实现), a figure of each
# indicator's history, projection and target, and the method note. The same numbers as
# the report's 目标建议 table and `planlib propose`'s targets.csv. For a plan in another
# stage the notebook says so and shows nothing more.

# %% tags=["parameters"]
plan = "cn_education_15th_draft"  # a shipped plan id, a plan folder or a path to its plan.yaml
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
planning = stages.stage_of(ev) == "planning"
display(Markdown(tables.run_heading(run, lang)))
display(Markdown(stages.stage_note(ev, lang) if planning
                 else stages.no_proposals_note(ev, lang)))

# %% [markdown]
# ## 目标建议 (proposed targets)
#
# `p50`, `p80`, `p90`: the level reached or bettered in the target year with that
# probability, in the direction of improvement (for a rising indicator p80 is the lower
# end of the central 60 % interval). The target column is the plan's own target with its
# probability of being met on the trend, its band and a flag for a target almost certain
# already (not ambitious) or out of reach.

# %%
if planning:
    display(stages.proposal_table(ev, lang))

# %% [markdown]
# ## History, projection and target
#
# One panel per indicator: the observations, the median path to the new target year with
# its intervals, and the target.

# %%
if planning:
    display(charts.overview_chart(ev, lang))

# %% [markdown]
# ## Method note
#
# How the levels and the bands are computed, as the report says it.

# %%
if planning:
    display(Markdown(stages.method_note(ev, lang)))
