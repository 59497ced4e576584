"""HTML: the record on one page, with a print stylesheet for A4 (templates/record/)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, FileSystemLoader, select_autoescape

from facilitator.record.charts import as_data_uris, question_charts
from facilitator.record.data import Record
from facilitator.record.exporters.text import clock, group_title, mean, territory_table, who
from facilitator.record.labels import headings
from facilitator.resources import templates_dir


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        clock=clock, who=who, group_title=group_title, mean=mean, territory_table=territory_table
    )
    return env


def render(record: Record, *, for_pdf: bool = False) -> str:
    template = _environment().get_template("record/record.html")
    charts = as_data_uris(question_charts(record))
    return template.render(
        record=record, h=headings(record.language), for_pdf=for_pdf, charts=charts
    )


def export(record: Record) -> bytes:
    return render(record).encode("utf-8")
