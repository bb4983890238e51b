"""Every sentence of the forecast section, in Chinese and English, in one place.

The report is written from these templates only (no free text): each key is one branch
of the section (a target kind, a status, a note, a caveat), and `Sayer` records which
keys a section used, so the tests can check that every branch is reached by some plan.
Chinese follows the register of a government mid-term evaluation report; the English is
equivalent, not word for word. Status words and note texts live in planlib.core.labels.
"""

from __future__ import annotations

from typing import Any

from planlib.core.labels import check_lang
from planlib.core.models.registry import WORDS as MODEL_WORDS
from planlib.core.targets.registry import SENTENCES as KIND_SENTENCES

TEMPLATES: dict[str, dict[str, str]] = {
    # areas (planlib/outputs/report/areas.py)
    "areas.intro": {"zh": "{n}项指标除全域外，另对{areas}分别评估，见各指标下的地区表。",
                    "en": "Besides the total, the {n} indicators are evaluated for {areas} "
                          "each; see the area table under each indicator."},
    "areas.summary": {"zh": "分地区看，{line}。", "en": "By area, {line}."},
    "areas.caption": {"zh": "{name}分地区进展与预测", "en": "{name} by area"},
    "areas.ranking_fig": {"zh": "{name}：各地区排名", "en": "{name}: areas ranked"},
    "areas.more": {"zh": "仅列排名最后的{shown}个（共{n}个），其余见评估结果表evaluation.csv。",
                   "en": "Only the lowest {shown} of {n} are listed; the rest are in "
                         "evaluation.csv."},
    # charts left out of a report of many indicators (planlib/outputs/report/charted.py)
    "charts.left_out": {"zh": "本节共{n}项指标，仅附需要重点关注的{shown}项指标的图，"
                              "其余{left}项指标的图未附；运行planlib figures可在"
                              "figures/{plan}/下生成全部指标的图。",
                        "en": "Of the {n} indicators, only the {shown} that need most attention "
                              "have their chart here; the other {left} charts are left out: "
                              "planlib figures draws all of them into figures/{plan}/."},
    "areas.watch": {"zh": "需要关注的地区（{n}个）：", "en": "Areas to watch ({n}):"},
    "areas.watch_none": {"zh": "需要关注的地区：无，已评估的{areas}均很可能或可能完成目标。",
                         "en": "Areas to watch: none; all {areas} judged are likely to meet "
                               "their targets."},
    "areas.watch_item": {"zh": "{area}：{status}（概率{p}，任务进度{progress}）",
                         "en": "{area}: {status} (probability {p}, progress {progress})"},
    # -- headings and captions ------------------------------------------------------------
    "title": {"zh": "对{year}主要指标的预测分析",
              "en": "Outlook for the main indicators to {year}"},
    "subtitle": {"zh": "{plan}　数据截至{data_year}　评估时点：{when}",
                 "en": "{plan}. Data through {data_year}; evaluated {when}."},
    "h.overall": {"zh": "一、总体判断", "en": "1. Overall assessment"},
    "h.table": {"zh": "二、主要指标预测一览", "en": "2. The indicators at a glance"},
    "h.indicators": {"zh": "三、分指标分析", "en": "3. Indicator by indicator"},
    "h.indicator": {"zh": "（{n}）{name}", "en": "3.{n} {name}"},
    "h.risk": {"zh": "四、需要重点关注的指标", "en": "4. Targets at risk"},
    "h.methods": {"zh": "五、方法说明", "en": "5. Methods and caveats"},
    "cap.table": {"zh": "表{n}　{text}", "en": "Table {n}. {text}"},
    "cap.figure": {"zh": "图{n}　{text}", "en": "Figure {n}. {text}"},
    "cap.overview_table": {"zh": "主要指标进展与{year}预测",
                           "en": "Progress to date and the {year} outlook"},
    "cap.progress_fig": {"zh": "各指标目标完成进度与时间进度",
                         "en": "Progress towards each target against time elapsed"},
    "cap.outlook_fig": {"zh": "各指标{year}达标概率", "en": "Probability of meeting each "
                        "target in {year}"},
    "cap.page": {"zh": "（{i}/{n}）", "en": " ({i}/{n})"},
    "cap.indicator_fig": {"zh": "{name}：历史数据与{year}预测",
                          "en": "{name}: history and outlook to {year}"},
    "table.note": {"zh": "注：预测值为中位数；{level}%区间为{level}%预测区间；年均变化与指标同单位"
                         "（比率为百分点）；“—”表示无数据或不适用。",
                   "en": "Note: the projection is the median, with its {level}% prediction "
                         "interval; yearly changes are in the indicator's unit (percentage "
                         "points for rates); \u201c—\u201d means no data or not "
                         "applicable."},
    # -- overall judgement ------------------------------------------------------------------
    "overall.intro": {
        "zh": "本规划共设{n}项主要指标。根据截至{data_year}的统计数据，按“时间过半、任务过半”"
              "要求对各指标进展进行评估，并对{year}目标完成情况作出趋势预测。",
        "en": "The plan has {n} main indicators. With data through {data_year}, each is "
              "checked against the rule that half the task should be done when half the "
              "time has gone, and its trend is projected to {year}.",
    },
    "overall.progress": {"zh": "从进度看，{counts}。", "en": "On progress to date: {counts}."},
    "overall.outlook": {"zh": "从趋势看，到{year}{counts}。",
                        "en": "On the outlook to {year}: {counts}."},
    "overall.risk": {"zh": "综合判断，{names}{n}项指标完成难度较大，需要重点关注。",
                     "en": "Taken together, targets at risk ({n}): {names}."},
    "overall.no_risk": {"zh": "综合判断，各项指标总体有望完成规划目标。",
                        "en": "Taken together, no target is at risk on present trends."},
    "count": {"zh": "{status}{k}项", "en": "{k} {status}"},
    "half.holds": {
        "zh": "{nature}指标{n}项，进度均达到或快于时间进度，实现“时间过半、任务过半”。",
        "en": "{nature} indicators: all {n} at or ahead of schedule. Half the task is "
              "done with half the time gone.",
    },
    "half.fails": {
        "zh": "{nature}指标{n}项中，{k}项进度达到或快于时间进度，{names}进度滞后，"
              "尚未实现“时间过半、任务过半”。",
        "en": "{nature} indicators: {k} of {n} at or ahead of schedule; lagging: {names}. "
              "Half the task is not yet done with half the time gone.",
    },
    "half.all_lag": {
        "zh": "{nature}指标{n}项（{names}）进度滞后于时间进度，尚未实现“时间过半、任务过半”。",
        "en": "{nature} indicators: none of {n} at or ahead of schedule ({names}). Half the "
              "task is not yet done with half the time gone.",
    },
    "half.unmeasured": {
        "zh": "{nature}指标{n}项，暂无法测算进度。",
        "en": "{nature} indicators ({n}): progress cannot be measured yet.",
    },
    "half.unmeasured_too": {"zh": "另有{m}项暂无法测算进度。",
                            "en": "Progress cannot be measured yet for {m} more."},
    "half.none": {"zh": "本规划未设{nature}指标。", "en": "The plan has no {nature} indicator."},
    # -- one indicator: the target ------------------------------------------------------------
    # what the target asks: one sentence per kind (or per case of a kind), written in the
    # kind's module (core/targets/*.py) and filled by target_sentence.py
    **KIND_SENTENCES,
    # -- one indicator: where it stands -------------------------------------------------------
    "state.both": {"zh": "{t0}为{b}，{t}为{y}。", "en": "It stood at {b} in {t0} and {y} in "
                   "{t}."},
    "state.latest": {"zh": "{t}为{y}。", "en": "It stood at {y} in {t}."},
    "state.flow": {"zh": "{t0}以后至{t}已累计新增{y}。",
                   "en": "By {t}, {y} had been added since {t0}."},
    "state.none": {"zh": "基期以后暂无统计数据。", "en": "No data have been published since "
                   "the baseline."},
    "flag.derived": {"zh": "历史数据中，{years}数据为推算值。",
                     "en": "The {years} value(s) are derived, not published as such."},
    "flag.lower_bound": {"zh": "{years}数据为下限值（来源表述为“超过”）。",
                         "en": "The {years} value(s) are lower bounds (the source said "
                               "\u201cmore than\u201d)."},
    "flag.provisional": {"zh": "{years}数据为初步数。",
                         "en": "The {years} value(s) are provisional."},
    "flag.break": {"zh": "{years}统计口径调整，前后数据不完全可比，趋势自调整后起算。",
                   "en": "The definition changed in {years}: earlier values are not fully "
                         "comparable and the trend starts from the change."},
    # -- one indicator: progress ----------------------------------------------------------------
    "progress.achieved": {"zh": "目前已提前实现规划目标。",
                          "en": "The target has already been met."},
    "progress.share": {
        "zh": "规划期时间进度为{s}，目标完成进度为{p}，进度{status}。",
        "en": "With {s} of the period gone, {p} of the way to the target has been "
              "covered: {status}.",
    },
    "progress.moving_away": {
        "zh": "较基期不进反退（目标完成进度为{p}），属{status}。",
        "en": "It has moved away from the target since the baseline ({p} of the way): "
              "{status}.",
    },
    "progress.unmeasured": {"zh": "暂无法测算进度：{reason}。",
                            "en": "Progress cannot be measured: {reason}."},
    "pace.more": {
        "zh": "完成目标需年均{required}，为近年平均速度（年均{recent}）的{acc}，需加快推进。",
        "en": "Meeting the target needs {required} a year, {acc} the recent pace ({recent} "
              "a year).",
    },
    "pace.enough": {
        "zh": "近年年均{recent}，保持这一速度即可完成目标（需年均{required}）。",
        "en": "The recent pace ({recent} a year) is enough: {required} a year is needed.",
    },
    "pace.reversed": {
        "zh": "近年年均{recent}，与目标方向相反；完成目标需年均{required}。",
        "en": "The recent pace ({recent} a year) runs against the target, which needs "
              "{required} a year.",
    },
    "pace.flat": {
        "zh": "近年基本持平，完成目标需年均{required}。",
        "en": "It has barely moved recently; the target needs {required} a year.",
    },
    # -- one indicator: outlook -------------------------------------------------------------------
    "context.what": {"zh": "规划未对该指标设定目标，作为背景指标仅作预测。",
                     "en": "The plan sets no target for it: a context indicator, projected "
                     "only."},
    "outlook.context": {
        "zh": "按{model}外推，预计{year}为{median}，有{level}%的可能落在{lo}至{hi}之间。",
        "en": "Extrapolating with {model}, the {year} value is projected at {median} "
              "({level}% interval {lo} to {hi}).",
    },
    "overall.context": {
        "zh": "另列背景指标{n}项（规划未设目标，仅作预测，不计入上述统计）：{names}。",
        "en": "{n} context indicator(s) without a target are projected only and not counted "
              "above: {names}.",
    },
    "outlook.interval": {
        "zh": "按{model}外推，预计{year}为{median}，有{level}%的可能落在{lo}至{hi}之间，"
              "{status}{p}。",
        "en": "Extrapolating with {model}, the {year} value is projected at {median} "
              "({level}% interval {lo} to {hi}): {status}{p}.",
    },
    "outlook.collapsed": {
        "zh": "按{model}外推，预计{year}为{median}，{level}%预测区间收缩于这一点，{status}{p}。",
        "en": "Extrapolating with {model}, the {year} value is projected at {median}, "
              "where the whole {level}% interval lies: {status}{p}.",
    },
    "outlook.point": {
        "zh": "按{model}外推，预计{year}为{median}（观测值过少，不给出区间和概率）。",
        "en": "Extrapolating with {model}, the {year} value is projected at {median} (too "
              "few observations for an interval or a probability).",
    },
    "outlook.observed_met": {
        "zh": "目标年{year}已有实际数据（{median}），目标已经实现。",
        "en": "The target year {year} has been observed ({median}): the target was met.",
    },
    "outlook.observed_missed": {
        "zh": "目标年{year}已有实际数据（{median}），目标未能实现。",
        "en": "The target year {year} has been observed ({median}): the target was missed.",
    },
    "outlook.insufficient": {
        "zh": "现有数据不足，暂不作趋势预测（{status}）。",
        "en": "There are too few data for a projection ({status}).",
    },
    "outlook.schedule": {
        "zh": "该指标为建设项目，按项目进度评估：项目{project}，预计{expected}建成，{status}。",
        "en": "This is a building project, judged by its schedule: {project}, expected in "
              "{expected}, {status}.",
    },
    "outlook.no_schedule": {
        "zh": "该指标为单个建设项目，无法按趋势外推，需补充项目进度信息。",
        "en": "This is a single project: a trend says nothing about it, and its schedule "
              "has not been given.",
    },
    "robust.no": {
        "zh": "需要指出，这一判断依赖于模型选择：不同模型给出的达标概率在{low}至{high}之间，"
              "宜结合实际工作进展审慎研判。",
        "en": "This call depends on the model: across the models the probability ranges "
              "from {low} to {high}, so weigh it against what is known on the ground.",
    },
    "bound": {
        "zh": "预测已触及取值边界（{bound}），区间在边界处截断。",
        "en": "The projection reaches the natural bound ({bound}) and is cut off there.",
    },
    "trend.faster": {
        "zh": "进度虽相对滞后，但自{fit_from}起拟合的趋势预示今后年均{trend}，"
              "快于完成目标所需的年均{required}，故趋势判断好于进度判断。",
        "en": "Progress lags, but the trend fitted from {fit_from} implies {trend} a year "
              "from now on, more than the {required} a year needed: hence the better "
              "outlook.",
    },
    "trend.slower": {
        "zh": "进度按基期以来年均{since}测算达到要求，但自{fit_from}起拟合的趋势预示今后年均"
              "仅{trend}，低于完成目标所需的年均{required}，故趋势判断差于进度判断。",
        "en": "Progress counts the pace since the baseline ({since} a year), but the trend "
              "fitted from {fit_from} implies only {trend} a year from now on, short of the "
              "{required} a year needed: hence the worse outlook.",
    },
    "notes": {"zh": "说明：{notes}。", "en": "Notes: {notes}."},
    # -- at risk --------------------------------------------------------------------------------
    "risk.intro": {
        "zh": "按现有趋势，以下{n}项指标到{year}完成规划目标的难度较大，建议加大工作力度：",
        "en": "Targets unlikely to be met by {year} on present trends ({n}), with what "
              "each needs:",
    },
    "risk.pace": {
        "zh": "{name}：{status}{p}。需年均{required}，为近年平均速度的{acc}。",
        "en": "{name}: {status}{p}. It needs {required} a year, {acc} the recent pace.",
    },
    "risk.reversed": {
        "zh": "{name}：{status}{p}。近年年均{recent}，与目标方向相反，需扭转趋势并年均{required}。",
        "en": "{name}: {status}{p}. It moved against the target recently ({recent} a "
              "year); the trend must turn to {required} a year.",
    },
    "risk.schedule": {
        "zh": "{name}：项目预计{expected}建成，晚于目标年{year}，需加快建设进度。",
        "en": "{name}: the project is expected in {expected}, after the target year {year}.",
    },
    "risk.plain": {"zh": "{name}：{status}{p}。", "en": "{name}: {status}{p}."},
    "risk.none": {"zh": "按现有趋势，各项指标均未被判断为完成难度较大。",
                  "en": "On present trends no target is judged unlikely to be met."},
    # -- methods ----------------------------------------------------------------------------------
    "m.data": {
        "zh": "数据来源。本节数据读自{files}，历史数据截至{data_year}；"
              "各指标目标及口径的来源如下。",
        "en": "Data. The figures were read from {files}; each target's source is listed "
              "below. Data run to {data_year}.",
    },
    "m.source_item": {"zh": "{name}：{source}", "en": "{name}: {source}"},
    "m.progress": {
        "zh": "进度测算。时间进度 =（最新数据年份 − 基期年份）÷（目标年份 − 基期年份）；"
              "目标完成进度 =（最新值 − 基期值）÷（目标值 − 基期值）；"
              "二者之比不低于{ahead}为快于预期，"
              "不低于{on_schedule}为基本符合预期，不低于{behind}为相对滞后，"
              "低于{behind}为逆向变化。"
              "年度、累计和年均增长类目标先折算为目标年的等效水平。",
        "en": "Progress. Time elapsed = (latest year − baseline year) ÷ (target year − "
              "baseline year); progress = (latest − baseline) ÷ (target − baseline). A ratio "
              "of progress to time of {ahead} or more is ahead of schedule, {on_schedule} or "
              "more on schedule, {behind} or more behind, below {behind} moving away. Yearly "
              "change, cumulative and growth targets are first turned into the equivalent "
              "level in the target year.",
    },
    "m.models": {
        "zh": "预测模型。对每项指标，在带漂移的随机游走、线性趋势、对数线性（不变增速）、"
              "logit趋势（有上下限的比率）和阻尼趋势等模型中，按该序列自身的滚动回溯误差选择一个"
              "或几个模型取平均；观测值少于6个时按简约原则选择。只有1个观测值的不作预测，"
              "只有2个的只给出点预测。",
        "en": "Models. For each indicator, planlib chooses among a random walk with drift, "
              "a linear trend, a log-linear trend (constant growth), a logit trend (for "
              "bounded rates) and a damped trend, by rolling-origin backtest error on the "
              "series itself, and averages the models that score close to the best; with "
              "fewer than 6 observations it falls back to the simplest suitable model. One "
              "observation gives no projection, two a point projection only.",
    },
    "m.intervals": {
        "zh": "区间与概率的含义。80%预测区间表示：若近年趋势延续、波动与历史相当，目标年数值"
              "有80%的可能落在该区间内（95%区间同理）。达标概率是按同一预测分布计算的完成规划目标的"
              "概率，并按以下用语表述：{bands}。概率不是对工作成效的评价，而是“照现在的趋势走下去”"
              "的结果。",
        "en": "What the intervals and probabilities mean. An 80% prediction interval is "
              "where the target-year value falls four times in five if the recent trend "
              "goes on with the same year-to-year noise (likewise for 95%). The probability "
              "of meeting the target comes from the same distribution and is worded as "
              "follows: {bands}. It says where present trends lead, not how well anyone "
              "worked.",
    },
    "m.band": {"zh": "不低于{edge}为“{word}”", "en": "\u201c{word}\u201d from {edge}"},
    "m.band_last": {"zh": "低于{edge}为“{word}”", "en": "\u201c{word}\u201d below {edge}"},
    "m.backtest": {
        "zh": "可靠性检验。用已知结果的历史数据回溯检验（{pairs}组预测与实际值对照），80%预测区间"
              "实际覆盖了{cov80}的结果，95%区间覆盖了{cov95}。当政策或口径使趋势发生转折时，"
              "区间会偏窄，解读时应留有余地。",
        "en": "How honest the intervals are. On history whose outcome is known "
              "({pairs} forecast–outcome pairs), the 80% intervals held {cov80} of the "
              "outcomes and the 95% intervals {cov95}. Where policy or a change of "
              "definition bends a trend, the intervals are too narrow: read them with that "
              "margin.",
    },
    "m.caveats": {"zh": "数据说明。", "en": "Caveats."},
    "caveat.derived": {"zh": "{names}的部分数据为推算值，非直接公布数。",
                       "en": "Some values of {names} are derived, not published as such."},
    "caveat.lower_bound": {"zh": "{names}的部分数据为下限值，实际水平可能更高。",
                           "en": "Some values of {names} are lower bounds: the true level "
                                 "may be higher."},
    "caveat.provisional": {"zh": "{names}的部分数据为初步数，可能修订。",
                           "en": "Some values of {names} are provisional and may be revised."},
    "caveat.break": {"zh": "{names}存在统计口径调整，趋势仅用调整后的数据拟合。",
                     "en": "{names} changed definition: the trend uses only the data after "
                           "the change."},
    "caveat.short": {"zh": "{names}的观测值较少，预测区间所依据的数据有限。",
                     "en": "{names} rest on few observations: their intervals have little "
                           "to go on."},
    "caveat.none": {"zh": "本次所用数据未标注推算值、下限值、初步数或口径调整。",
                    "en": "No value used here is flagged as derived, a lower bound, "
                          "provisional or after a break."},
    # -- the final stage (终期评估): observed outcomes, no probabilities, no 时间过半 ----------
    "final.title": {"zh": "主要指标{year}目标完成情况评估",
                    "en": "Final evaluation of the main indicators' {year} targets"},
    "final.h.table": {"zh": "二、主要指标完成情况一览", "en": "2. Outcomes at a glance"},
    "final.h.open": {"zh": "四、未完成和待确认的指标",
                     "en": "4. Targets missed or not yet settled"},
    "final.cap.table": {"zh": "主要指标{year}目标完成情况",
                        "en": "Outcomes of the {year} targets"},
    "final.cap.outcome_fig": {"zh": "各指标{year}目标完成情况"
                                    "（已发布数据为实际结果，未发布的为达标概率）",
                              "en": "Outcome of each {year} target (observed where published, "
                                    "probability where not)"},
    "final.table_note": {"zh": "注：实际值为目标年统计数据；目标年数据尚未发布的，"
                               "按趋势推算并给出达标概率；“—”表示无数据或不适用。",
                         "en": "Note: the value is the target year's published figure; where "
                               "it is not yet published, the outcome is projected from the "
                               "trend with its probability; “—” means no data or "
                               "not applicable."},
    "final.intro": {
        "zh": "本规划共设{n}项主要指标，规划期已于{year}结束。根据截至{data_year}的统计数据，"
              "对各指标规划目标的完成情况进行总结评估。",
        "en": "The plan has {n} main indicators and its period ended in {year}. With data "
              "through {data_year}, this section assesses whether each target was met.",
    },
    "final.missed": {"zh": "未完成的指标为：{names}。", "en": "Not met: {names}."},
    "final.awaits": {"zh": "{names}的目标年数据为初步数，且差距在通常修订幅度以内，"
                           "完成情况待正式数据确认。",
                     "en": "{names}: the target-year value is provisional and within a usual "
                           "revision of the target, so the outcome awaits the final figure."},
    "final.nowcasts": {"zh": "{names}的目标年数据尚未发布，完成情况按趋势推算。",
                       "en": "{names}: the target-year value is not yet published; the "
                             "outcome is projected from the trend."},
    "final.outcome": {"zh": "{year}实际值为{value}，{phrase}。",
                      "en": "The {year} value is {value}: {phrase}."},
    "final.not_published": {"zh": "{years}数据尚未发布，以下按趋势推算。",
                            "en": "No data yet for {years}; the target-year value is "
                                  "projected from the trend."},
    "final.not_published_reached": {
        "zh": "{years}数据尚未发布；最新的{latest_year}数据（{value}）已达到目标，以下按趋势推算。",
        "en": "No data yet for {years} (the latest, {value} in {latest_year}, already meets "
              "the target); the target-year value is projected from the trend."},
    "final.state": {"zh": "{t0}为{b}。", "en": "It stood at {b} in {t0}."},
    "final.cap.indicator_fig": {"zh": "{name}：历史数据与{year}目标",
                                "en": "{name}: history and the {year} target"},
    "final.open_intro": {"zh": "以下{n}项指标未完成规划目标或完成情况尚待确认：",
                         "en": "{n} targets were missed or are not yet settled:"},
    "final.open_item": {"zh": "{name}：{phrase}。", "en": "{name}: {phrase}."},
    "final.open_none": {"zh": "各项指标均已完成规划目标，且无待确认的结果。",
                        "en": "Every target was met, and no outcome awaits confirmation."},
    "final.m.outcomes": {
        "zh": "完成情况判定。目标年数据已发布的，按实际值与目标值比较判定已完成或未完成，"
              "不再给出概率；连续达到目标的起始年份早于目标年的为提前完成，等于目标年的为按期完成；"
              "目标年数据为初步数、且一次通常修订（末位数的一个单位）可能改变结论的，"
              "标注待正式数据确认；目标年数据尚未发布的，按趋势推算并给出达标概率。",
        "en": "How outcomes are decided. Where the target year's value is published, it is "
              "compared with the target: met or not met, with no probability. A target "
              "reached and held from a year before the target year was met early, from the "
              "target year itself on time. A provisional target-year value that one usual "
              "revision (one unit of its last digit) could move across the target is marked "
              "as awaiting the final figure. Where the target year's value is not yet "
              "published, the outcome is projected from the trend with its probability.",
    },
    # -- the planning stage (规划编制): proposals, no progress ---------------------------------
    # Keys ending .draft / .adopted follow the plan's targets_status (草案目标 being drafted,
    # or published 规划目标); {targets} is WORDS "targets.<targets_status>".
    "planning.title.draft": {"zh": "{year}主要指标目标测算建议",
                             "en": "Targets for {year}: what the trends support"},
    "planning.title.adopted": {"zh": "主要指标{year}目标实现可能性测算",
                               "en": "The {year} targets against the trends"},
    "planning.h.table.draft": {"zh": "二、目标建议", "en": "2. Proposed targets"},
    "planning.h.table.adopted": {"zh": "二、目标测算", "en": "2. The targets against the "
                                 "trends"},
    "planning.h.notes.draft": {"zh": "四、需要斟酌的草案目标", "en": "4. Drafts to reconsider"},
    "planning.h.notes.adopted": {"zh": "四、需要关注的规划目标", "en": "4. Targets to watch"},
    "planning.cap.table.draft": {"zh": "主要指标{year}目标建议",
                                 "en": "Proposed {year} targets"},
    "planning.cap.table.adopted": {"zh": "主要指标{year}目标测算",
                                   "en": "The {year} targets against the trends"},
    "planning.cap.levels_fig": {"zh": "各指标历史走势与到{year}的预测",
                                "en": "Each indicator's history and projection to {year}"},
    "planning.table_note": {
        "zh": "注：p50、p80、p90为按趋势到目标年以50%、80%、90%的概率达到或优于的水平；"
              "实现概率为{targets}按趋势实现的概率；“—”表示无数据、不适用或无法可靠预测。",
        "en": "Note: p50, p80 and p90 are the levels reached or bettered in the target year "
              "with probability 50%, 80% and 90% on the trend; P(met) is the probability "
              "that the {targets} is met on the trend; “—” means no data, "
              "not applicable or not reliably projected.",
    },
    "planning.intro": {
        "zh": "本规划共设{n}项主要指标，以{t0}为基期、{year}为目标年。截至{data_year}尚无基期以后的"
              "数据，不评估进度；以下按各指标历史趋势测算到{year}可能达到的水平，"
              "并判断{targets}按趋势实现的可能性。",
        "en": "The plan has {n} main indicators, with {t0} as baseline and {year} as target "
              "year. With data through {data_year} there is nothing after the baseline to "
              "measure progress on; instead, each indicator's trend gives the levels within "
              "reach by {year} and the chance that the {targets} is met.",
    },
    "planning.bands": {"zh": "{targets}中，{counts}。", "en": "Of the {targets}s: {counts}."},
    "planning.not_ambitious.draft": {
        "zh": "{names}的草案目标按现有趋势几乎必然实现，可考虑适当提高。",
        "en": "{names}: the draft is almost certain on the present trend and could be "
              "raised."},
    "planning.not_ambitious.adopted": {
        "zh": "{names}的规划目标按现有趋势几乎必然实现，目标偏于稳妥。",
        "en": "{names}: the target is almost certain on the present trend; it asks for "
              "little."},
    "planning.beyond_reach.draft": {
        "zh": "{names}的草案目标按现有趋势几乎不可能实现，需要更有力的措施或调整目标。",
        "en": "{names}: the draft is almost out of reach on the present trend; it needs "
              "stronger measures or a different level."},
    "planning.beyond_reach.adopted": {
        "zh": "{names}的规划目标按现有趋势几乎不可能实现，需要更有力的措施。",
        "en": "{names}: the target is almost out of reach on the present trend; it needs "
              "stronger measures."},
    "planning.reconsider.draft": {"zh": "以下{n}项草案目标需要斟酌：",
                                  "en": "{n} drafted targets to reconsider:"},
    "planning.reconsider.adopted": {"zh": "以下{n}项规划目标需要关注：",
                                    "en": "{n} targets to watch:"},
    "planning.reconsider.mixed": {"zh": "以下{n}项目标需要斟酌或关注：",
                                  "en": "{n} targets to reconsider or watch:"},
    "planning.unreliable": {
        "zh": "{reason}。按{model}机械外推，{year}为{median}（{level}%区间{lo}至{hi}），"
              "仅供参考，不据此判断目标能否实现。",
        "en": "{reason}. Extrapolating with {model} mechanically gives {median} in {year} "
              "({level}% interval {lo} to {hi}), for reference only: whether the target is "
              "met is not judged from it.",
    },
    "planning.item": {"zh": "{name}：{words}（实现概率{p}）。",
                      "en": "{name}: {words} (P = {p})."},
    "planning.none": {"zh": "各项{targets}按现有趋势既非必然实现，也非难以企及。",
                      "en": "No {targets} is either certain already or out of reach on "
                            "the present trend."},
    "planning.m.method": {
        "zh": "目标建议的测算方法。对每项指标，用与中期评估相同的模型和预测分布外推到目标年："
              "p50为预测中位数，p80、p90为以80%、90%的概率达到或优于的水平（越高越好的指标取相应"
              "区间的下端，越低越好的取上端）。{targets}的实现概率按以下用语表述：{bands}；"
              "不低于{certain}的提示目标缺乏挑战性，不高于{reach}的提示超出可及范围；"
              "历史数据无法可靠预测到目标年的，不给出上述水平和实现概率。"
              "趋势外推不反映新政策的作用，测算结果是设定目标的起点，而非目标本身。",
        "en": "How the proposals are computed. Each indicator is projected to the target "
              "year with the same models and predictive distribution as a mid-term "
              "evaluation: p50 is the median, p80 and p90 the levels reached or bettered "
              "with probability 80% and 90% (the near end of the matching interval in the "
              "direction of improvement). The P of a {targets} is worded as follows: "
              "{bands}; {certain} or more is flagged as not ambitious, {reach} or less as "
              "out of reach; where the history cannot be projected reliably to the target "
              "year, neither the levels nor a P are given. A trend does not know about new "
              "policies: these levels are where target setting starts, not the targets "
              "themselves.",
    },
    "m.reproduce": {
        "zh": "本节由planlib {version}根据上述数据自动生成（模型{model}，随机种子{seed}），"
              "文件校验值见manifest.json。",
        "en": "This section was drafted by planlib {version} from the data above (model "
              "{model}, seed {seed}); file checksums are in manifest.json.",
    },
}

#: Words that fill templates (not sentences): model names, separators, comparisons.
WORDS: dict[str, dict[str, str]] = {
    "areas.col.rank": {"zh": "排名", "en": "Rank"},
    "areas.col.area": {"zh": "地区", "en": "Area"},
    "areas.col.latest": {"zh": "最新值", "en": "Latest"},
    "areas.col.progress": {"zh": "任务进度", "en": "Progress"},
    "areas.col.p": {"zh": "达标概率", "en": "P(met)"},
    "areas.col.status": {"zh": "预测判断", "en": "Outlook"},
    **MODEL_WORDS,  # each model's name, from its spec in the model registry
    "combo": {"zh": "{models}{n}个模型的平均结果", "en": "the average of {n} models ({models})"},
    "sep": {"zh": "、", "en": ", "},
    "at_bound": {"zh": "边界值{value}", "en": "at the bound {value}"},
    "sep_notes": {"zh": "；", "en": "; "},
    "not_higher": {"zh": "不高于", "en": "at most"},
    "not_lower": {"zh": "不低于", "en": "at least"},
    "targets.draft": {"zh": "草案目标", "en": "drafted target"},
    "targets.adopted": {"zh": "规划目标", "en": "plan target"},
    "targets.mixed": {"zh": "目标", "en": "target"},  # drafts and adopted targets together
    "subject.draft": {"zh": "草案目标", "en": "The draft target"},
    "subject.adopted": {"zh": "规划目标", "en": "The plan's target"},
    "asks.draft": {"zh": "草案要求", "en": "The draft asks for"},
    "asks.adopted": {"zh": "规划要求", "en": "The plan asks for"},
    "milestone.draft": {"zh": "草案目标", "en": "The draft milestone"},
    "milestone.adopted": {"zh": "规划目标", "en": "The plan's milestone"},
    "nature.binding": {"zh": "约束性", "en": "binding"},
    "nature.expected": {"zh": "预期性", "en": "expected"},
    "nature.unknown": {"zh": "未标明属性的", "en": "unclassified"},
}


def word(key: str, lang: str, **params: Any) -> str:
    """A filling word in ``lang`` (see WORDS)."""
    return WORDS[key][lang].format(**params)


class Sayer:
    """Renders templates in one language and records which keys were used."""

    def __init__(self, lang: str) -> None:
        self.lang = check_lang(lang)
        self.used: set[str] = set()

    def __call__(self, key: str, **params: Any) -> str:
        """The template ``key`` filled with ``params``."""
        self.used.add(key)
        return TEMPLATES[key][self.lang].format(**params)

    def word(self, key: str, **params: Any) -> str:
        """A filling word (not recorded: words are not branches)."""
        return word(key, self.lang, **params)

    def join(self, items: list[str]) -> str:
        """Items joined as a list is in ``lang`` (、 in Chinese)."""
        return self.word("sep").join(items)
