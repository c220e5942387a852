"""Labels in Chinese and English; the sidebar switch (session key ``lang``) picks one."""

from __future__ import annotations

from typing import Literal

import streamlit as st

LANGS = ("中文", "English")

L: dict[str, tuple[str, str]] = {
    # frame
    "app.title": ("老旧小区改造资金测算", "Old-community renovation: who pays what"),
    "app.lang": ("语言 / Language", "语言 / Language"),
    "app.about": (
        "所有数字均由 costshare 库计算，精确到分；规则均注明出处。",
        "Every number comes from the costshare library, exact to the fen; every rule cites its source.",
    ),
    "nav.community": ("社区方案", "Community scenario"),
    "nav.household": ("分户分摊", "Household sheet"),
    "nav.ppp": ("PPP 测算", "PPP model"),
    "nav.rules": ("规则", "Rules"),
    "nav.compare": ("方案比较", "Compare"),
    "nav.city": ("城市计划", "City plan"),
    "common.not_available": (
        "此功能的计算引擎尚未完成（{module}），页面将在其可用后开放。",
        "The engine behind this page is not available yet ({module}); the page opens when it lands.",
    ),
    "common.upload_too_big": (
        "文件过大：{size:,} 字节，上限 {limit:,} 字节。",
        "File too large: {size:,} bytes, the limit is {limit:,} bytes.",
    ),
    "common.error_title": ("输入有误：", "Problem in the input:"),
    # community page
    "community.title": ("社区方案 · 资金来源与使用", "Community scenario · sources and uses"),
    "community.intro": (
        "选择内置方案或上传 YAML，编辑改造项目与资金方案，查看资金缺口、分摊与图表。",
        "Pick a bundled scenario or upload a YAML file, edit work items and funding, see the gap, the split and the charts.",
    ),
    "community.source": ("方案来源", "Scenario source"),
    "community.source.bundled": ("内置方案", "Bundled scenario"),
    "community.source.upload": ("上传 YAML", "Upload YAML"),
    "community.bundled": ("内置方案", "Bundled scenario"),
    "community.upload": ("上传方案文件（YAML，不超过 1 MB）", "Scenario file (YAML, up to 1 MB)"),
    "community.upload_hint": ("请上传一个 YAML 方案文件。", "Upload a scenario YAML file."),
    "community.fallback": (
        "以下仍显示内置默认方案。",
        "The bundled default scenario is shown below instead.",
    ),
    "community.settings": ("小区与规则", "Community and rules"),
    "community.households": ("户数", "Households"),
    "community.area": ("住宅建筑面积（m²）", "Residential floor area (m²)"),
    "community.jurisdiction": ("适用规则（地区）", "Rule table (jurisdiction)"),
    "community.rules_date": ("规则日期", "Rules in force on"),
    "community.items": ("改造项目", "Work items"),
    "community.items_help": (
        "可直接修改、增加或删除行；费用单位为元。",
        "Edit, add or delete rows; costs in yuan.",
    ),
    "community.funding": ("资金方案（元）", "Funding plan (yuan)"),
    "community.other": ("其他资金来源", "Other funding lines"),
    "community.residents": ("居民自筹", "Residents' contribution"),
    "community.res_basis": ("计算方式", "Basis"),
    "community.res_value": ("数值", "Value"),
    "res.none": ("无", "none"),
    "res.ratio": ("占总投资比例（0–1）", "share of total cost (0–1)"),
    "res.per_household": ("每户金额（元）", "yuan per household"),
    "res.per_m2": ("每平方米金额（元）", "yuan per m²"),
    "res.amount": ("总额（元）", "total amount (yuan)"),
    "col.item": ("项目", "Item"),
    "col.category": ("类别", "Category"),
    "col.cost": ("费用（元）", "Cost (yuan)"),
    "col.owner": ("产权归属", "Owner"),
    "col.payer": ("指定出资方", "Assigned payer"),
    "col.note": ("说明", "Note"),
    "col.channel": ("资金渠道", "Channel"),
    "col.amount": ("金额（元）", "Amount (yuan)"),
    "col.name": ("名称", "Name"),
    "col.section": ("部分", "Section"),
    "col.line": ("项目", "Line"),
    "col.share": ("比例", "Share"),
    "col.rule": ("规则", "Rule"),
    "col.source": ("依据", "Source"),
    "col.kind": ("类型", "Kind"),
    "col.applies_to": ("适用对象", "Applies to"),
    "col.value": ("取值", "Value"),
    "col.document": ("文件", "Document"),
    "col.issuer": ("发文机关", "Issuer"),
    "col.article": ("条款", "Article"),
    "col.date": ("发布日期", "Date"),
    "col.seed": ("资料", "Seed file"),
    "col.confidence": ("可信度", "Confidence"),
    "col.effective_from": ("生效", "Effective from"),
    "col.effective_to": ("失效", "Effective to"),
    "section.uses": ("资金使用", "uses"),
    "section.sources": ("资金来源", "sources"),
    "section.balance": ("平衡", "balance"),
    "community.results": ("测算结果", "Results"),
    "m.uses": ("改造总投资", "Total uses"),
    "m.sources": ("资金来源合计", "Total sources"),
    "m.gap": ("资金缺口", "Funding gap"),
    "m.surplus": ("资金结余", "Surplus"),
    "m.balanced": ("收支平衡", "Balanced"),
    "m.per_household": ("户均投资", "Cost per household"),
    "m.per_m2": ("每平方米投资", "Cost per m²"),
    "m.res_per_household": ("户均居民自筹", "Residents per household"),
    "tab.table": ("资金来源与使用表", "Sources and uses"),
    "tab.sankey": ("资金流向图", "Sankey"),
    "tab.waterfall": ("瀑布图", "Waterfall"),
    "tab.split": ("分摊明细", "Split by payer"),
    "tab.assumptions": ("假设与出处", "Assumptions and sources"),
    "dl.yaml": ("下载方案 YAML", "Download scenario YAML"),
    "dl.xlsx": ("下载资金表 xlsx", "Download sources-and-uses xlsx"),
    "dl.csv": ("下载 CSV", "Download CSV"),
    "community.invalid": (
        "编辑后的方案无法计算：",
        "The edited scenario cannot be computed:",
    ),
    # rules page
    "rules.title": ("规则库", "Rule tables"),
    "rules.intro": (
        "每个地区的分担规则、参数与表决规则，均附文件、条款、日期与可信度（H 原文核实，M 二手来源，S 仅见资料）。",
        "Each jurisdiction's split rules, parameters and vote rules, with document, article, date and confidence (H checked against the primary text, M secondary, S seed documents only).",
    ),
    "rules.pick": ("地区", "Jurisdiction"),
    "rules.on": ("规则日期", "In force on"),
    "rules.kinds": ("规则类型", "Rule kinds"),
    "rules.search": ("搜索", "Search"),
    "rules.count": ("{n} 条规则在 {on} 有效", "{n} rules in force on {on}"),
    "rules.payers": ("出资方", "Payers"),
    "rules.categories": ("改造类别", "Work categories"),
    "rules.key": ("代码", "Key"),
    "rules.label": ("名称", "Name"),
    # compare page
    "compare.title": ("方案比较", "Compare scenarios"),
    "compare.intro": (
        "选择两个或更多方案（内置或上传），并排比较；不同之处高亮显示。",
        "Pick two or more scenarios (bundled or uploaded) to see them side by side; differences are highlighted.",
    ),
    "compare.pick": ("内置方案", "Bundled scenarios"),
    "compare.upload": (
        "上传方案（YAML，可多个，每个不超过 1 MB）",
        "Upload scenarios (YAML, several, up to 1 MB each)",
    ),
    "compare.need_two": ("请至少选择两个方案。", "Pick at least two scenarios."),
    "compare.only_diff": ("只显示不同之处", "Show differences only"),
    "compare.differs": ("不同", "differs"),
    "compare.skipped": ("{name} 无法计算：", "{name} cannot be computed:"),
    "compare.gap_chart": ("各方案资金缺口（元）", "Funding gap by scenario (yuan)"),
    # city page
    "city.title": ("城市计划 · 片区组合", "City plan · portfolio of communities"),
    "city.intro": (
        "一批小区（内置或上传 YAML/CSV/XLSX），按资金渠道、出资方与区县汇总，精确到分。",
        "A set of communities (bundled or uploaded YAML/CSV/XLSX), totalled by funding channel, payer and district, exact to the fen.",
    ),
    "city.source": ("组合来源", "Portfolio source"),
    "city.source.bundled": ("内置组合", "Bundled portfolio"),
    "city.source.upload": ("上传文件", "Upload a file"),
    "city.bundled": ("内置组合", "Bundled portfolio"),
    "city.upload": (
        "上传组合（YAML、CSV 或 XLSX，不超过 5 MB）",
        "Upload a portfolio (YAML, CSV or XLSX, up to 5 MB)",
    ),
    "city.none": ("没有可用的组合，请上传。", "No portfolio available: upload one."),
    "city.chart_failed": (
        "组合图表暂不可用（{error}），下表数字不受影响。",
        "The portfolio chart is unavailable ({error}); the tables below are unaffected.",
    ),
    "city.table_failed": (
        "区县汇总暂不可用（{error}）。",
        "The district summary is unavailable ({error}).",
    ),
    "city.communities": ("小区数", "Communities"),
    "city.households": ("总户数", "Households"),
    "city.with_gap": ("有缺口的小区", "Communities with a gap"),
    "city.by": ("图表分组", "Group the chart by"),
    "city.by.district": ("区县", "district"),
    "city.by.community": ("小区", "community"),
    "city.tab.channels": ("按资金渠道", "By funding channel"),
    "city.tab.payers": ("按出资方", "By payer"),
    "city.tab.districts": ("按区县", "By district"),
    "city.tab.communities": ("各小区", "Communities"),
    "col.communities": ("涉及小区数", "Communities"),
    "col.id": ("编号", "ID"),
    "col.district": ("区县", "District"),
    "col.households": ("户数", "Households"),
    "col.area_m2": ("面积（m²）", "Area (m²)"),
    "col.uses": ("总投资（元）", "Uses (yuan)"),
    "col.sources": ("资金来源（元）", "Sources (yuan)"),
    "col.gap": ("缺口（元，负为结余）", "Gap (yuan, negative: surplus)"),
    "col.residents": ("居民出资（元）", "Residents (yuan)"),
    "col.uses_per_household": ("户均投资（元）", "Uses per household (yuan)"),
    "col.uses_per_m2": ("每平方米投资（元）", "Uses per m² (yuan)"),
    "dl.portfolio_xlsx": ("下载组合 xlsx", "Download portfolio xlsx"),
}


def lang() -> Literal["zh", "en"]:
    """The chosen language as a short code."""
    return "en" if st.session_state.get("lang", LANGS[0]) == LANGS[1] else "zh"


def t(key: str, **fmt: object) -> str:
    """The label `key` in the chosen language, formatted with `fmt`."""
    zh, en = L[key]
    text = en if lang() == "en" else zh
    return text.format(**fmt) if fmt else text
