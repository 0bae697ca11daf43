"""The README's table of roles and permissions says what ``accounts/access.py`` PERMISSIONS does.

The table is rendered from PERMISSIONS and compared cell by cell with README.md. A cell holds
the letters of the actions (V view, S statistics, E export, A add, C change, D delete,
I import, P approve), ``all`` or ``-``; a note in parentheses after it (``(own bidang)``) is
prose about scope and is not compared. When this test fails it prints the rendered table.
"""

import re
from pathlib import Path

from accounts.access import ALL, PERMISSIONS, Action, Domain, Role

README = Path(__file__).resolve().parent.parent / "README.md"

LETTERS = {
    Action.VIEW: "V",
    Action.STATS: "S",
    Action.EXPORT: "E",
    Action.ADD: "A",
    Action.CHANGE: "C",
    Action.DELETE: "D",
    Action.IMPORT: "I",
    Action.APPROVE: "P",
}
# README columns after "Role", in order.
COLUMNS = [
    ("Regions", Domain.REGIONS),
    ("Registry", Domain.REGISTRY),
    ("Programs", Domain.PROGRAMS),
    ("Field work", Domain.FIELDWORK),
    ("Performance", Domain.PERFORMANCE),
    ("Reports", Domain.REPORTS),
    ("Audit trail", Domain.AUDIT),
    ("Users & settings", Domain.ADMIN),
]
ROW_NAMES = {
    Role.ADMIN: "Administrator",
    Role.KEPALA_DINAS: "Kepala Dinas",
    Role.KEPALA_BIDANG: "Kepala Bidang",
    Role.OPERATOR: "Operator",
    Role.TKSK: "TKSK",
    Role.AUDITOR: "Auditor",
    Role.API_CLIENT: "API client",
}


def render_cell(actions: frozenset) -> str:
    if actions == ALL:
        return "all"
    if not actions:
        return "-"
    return " ".join(letter for action, letter in LETTERS.items() if action in actions)


def render_matrix() -> dict[str, list[str]]:
    return {
        ROW_NAMES[role]: [
            render_cell(PERMISSIONS[role].get(domain, frozenset())) for _label, domain in COLUMNS
        ]
        for role in Role
    }


def render_markdown() -> str:
    lines = [
        "| Role | " + " | ".join(label for label, _domain in COLUMNS) + " |",
        "| --- " * (len(COLUMNS) + 1) + "|",
    ]
    for name, cells in render_matrix().items():
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def readme_matrix() -> tuple[list[str], dict[str, list[str]]]:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Roles and what they may do")
    header, rows = None, {}
    for line in text[start:].splitlines():
        if not line.startswith("|"):
            if header:
                break
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
        elif not set("".join(cells)) <= {"-", " ", ":"}:
            rows[cells[0]] = cells[1:]
    return header or [], rows


def canonical(cell: str) -> str:
    """The letters of a README cell without its note: 'V A C S (own kecamatan)' -> set."""
    bare = re.sub(r"\(.*?\)", "", cell).strip()
    if bare in ("all", "-"):
        return bare
    return " ".join(sorted(bare.split()))


def test_readme_columns_are_the_domains():
    header, _rows = readme_matrix()
    assert header == ["Role", *(label for label, _domain in COLUMNS)], render_markdown()


def test_readme_matrix_matches_permissions():
    _header, rows = readme_matrix()
    expected = render_matrix()
    assert list(rows) == list(expected), render_markdown()
    mismatches = [
        f"{name} / {COLUMNS[i][0]}: README says {cell!r}, access.py gives {expected[name][i]!r}"
        for name, cells in rows.items()
        for i, cell in enumerate(cells)
        if canonical(cell) != canonical(expected[name][i])
    ]
    assert not mismatches, (
        "\n".join(mismatches) + "\n\nRendered from PERMISSIONS:\n" + (render_markdown())
    )


def test_every_domain_shown_in_readme_or_deliberately_left_out():
    """Jobs (a user's own background jobs) is the one domain the table leaves out."""
    shown = {domain for _label, domain in COLUMNS}
    assert set(Domain) - shown == {Domain.JOBS}


def test_canonical_ignores_notes_and_order():
    assert canonical("V A C S (own kecamatan, own submissions)") == canonical("V S A C")
    assert canonical("all (writes in own bidang)") == "all"
    assert canonical("V S E") != canonical("V S")
