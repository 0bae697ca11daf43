"""Charts as vector graphics (SVG made on the server, no JavaScript).

A chart is JSON-able data (part of the snapshot): ``{"key", "title", "kind": "bar"|"line",
"categories": [...], "series": [{"name", "values": [str|None]}], "unit", "decimals"}``.
``chart_svg`` draws it; labels use the Indonesian number format.
"""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from welfare.formatting import format_number

COLORS = ("#1f4e79", "#e07b22", "#4a9a4a", "#b23b3b", "#7a5aa6")
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 64


def chart(
    key: str, title: str, kind: str, categories, series, *, unit: str = "", decimals: int = 2
) -> dict:
    return {
        "key": key,
        "title": title,
        "kind": kind,
        "categories": [str(c) for c in categories],
        "series": [
            {"name": name, "values": [None if v is None else str(v) for v in values]}
            for name, values in series
        ],
        "unit": unit,
        "decimals": decimals,
        "number": "",
    }


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return float(top)
    return float(10 * magnitude)


def chart_svg(data: dict) -> str:
    values = [float(Decimal(v)) for s in data["series"] for v in s["values"] if v not in (None, "")]
    top = _nice_max(max(values) if values else 0)
    categories = data["categories"] or [""]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    decimals = data.get("decimals", 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" class="chart" font-family="sans-serif" '
        f'font-size="11">'
    ]
    for step in range(5):
        y = TOP + plot_h - plot_h * step / 4
        value = top * step / 4
        label = format_number(value, 0 if value == int(value) else 1)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="#d0d0d0" stroke-width="0.6"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#444">{label}</text>'
        )
    band = plot_w / len(categories)
    series = data["series"]

    def y_of(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    for index, category in enumerate(categories):
        x = LEFT + band * index + band / 2
        parts.append(
            f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" fill="#222">'
            f"{escape(category)}</text>"
        )
    if data["kind"] == "bar":
        inner = band * 0.7
        bar_w = inner / max(1, len(series))
        for s_index, s in enumerate(series):
            color = COLORS[s_index % len(COLORS)]
            for index, raw in enumerate(s["values"]):
                if raw in (None, ""):
                    continue
                value = float(Decimal(raw))
                x = LEFT + band * index + (band - inner) / 2 + bar_w * s_index
                y = y_of(max(value, 0))
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w * 0.92:.1f}" '
                    f'height="{TOP + plot_h - y:.1f}" fill="{color}"/>'
                    f'<text x="{x + bar_w * 0.46:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                    f'font-size="9" fill="#222">{format_number(raw, decimals)}</text>'
                )
    else:
        for s_index, s in enumerate(series):
            color = COLORS[s_index % len(COLORS)]
            points = [
                (LEFT + band * i + band / 2, y_of(float(Decimal(raw))), raw)
                for i, raw in enumerate(s["values"])
                if raw not in (None, "")
            ]
            if len(points) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _raw in points)
                parts.append(
                    f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>'
                )
            for x, y, raw in points:
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>'
                    f'<text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle" font-size="9" '
                    f'fill="#222">{format_number(raw, decimals)}</text>'
                )
    legend_y = HEIGHT - 18
    x = LEFT
    for s_index, s in enumerate(series):
        color = COLORS[s_index % len(COLORS)]
        parts.append(
            f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" fill="{color}"/>'
            f'<text x="{x + 14}" y="{legend_y}" fill="#222">{escape(s["name"])}</text>'
        )
        x += 24 + 7 * len(s["name"])
    parts.append("</svg>")
    return "".join(parts)
