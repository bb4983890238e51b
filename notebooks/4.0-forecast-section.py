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
# # 4.0 Forecast section
#
# The report's section for the plan's stage, as planlib writes it from the evaluation, in
# the language chosen by `lang`: at mid-term the forecast section (对主要指标的预测分析:
# overview table, a paragraph per indicator, the targets at risk, methods); in the final
# evaluation the completion assessment (主要指标目标完成情况评估: outcomes, the targets
# missed or awaiting final figures); for a new plan the target proposals (目标测算建议).

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
from IPython.display import Markdown, display

import planlib
from planlib.outputs import report
from planlib.outputs.display import inline, stages

run = planlib.run_plan(plan, as_of=as_of, model=model, levels=levels, seed=seed,
                       write=False)
ev = run.evaluation
display(Markdown(stages.stage_note(ev, lang)))

# %% [markdown]
# ## The section
#
# Below is the section's Markdown text, the same text `planlib report` writes, with its
# figures shown in place (the written Markdown links them as files).

# %%
section = report.build_section(ev, lang)
display(Markdown(inline.section_markdown(section)))

# %% [markdown]
# With `report_dir` set (as `planlib run` does), the section is also written there
# (Markdown, self-contained HTML, DOCX and the tables).

# %%
if report_dir:
    written = report.write_report(ev, lang, out_dir=report_dir, section=section)
    display(Markdown("\n".join(f"- `{p}`" for p in written)))
