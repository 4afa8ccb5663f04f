"""A generated view: groups side by side in rows, members stacked inside, flows as lines.

Used to lay out a landscape (or an offer) by referentiecomponent: each group is a
referentiecomponent node with the applications nested inside (the exporter writes the
relationship that nesting stands for), plus labelled groups for what has none. Coordinates
are absolute, integers ≥ 0, and every child lies inside its parent, as AMEFF and Archi want.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from plugins.ameff_export.writer import Connection, Node, View

NODE_W, NODE_H = 120, 55  # Archi's default element size
PAD, HEADER, GAP = 10, 30, 20
GROUPS_PER_ROW = 5


@dataclass
class Group:
    """`element` is the identifier of the element the group shows (a referentiecomponent);
    None makes it a visual group (Archi "Group") with `label`. `members` are element
    identifiers, drawn in the given order."""

    key: str
    label: str
    element: str | None = None
    members: list[str] = field(default_factory=list)


def _columns(count: int) -> int:
    return 1 if count <= 6 else 2 if count <= 16 else 3


def _box(group: Group) -> tuple[int, int]:
    columns = _columns(len(group.members))
    rows = -(-len(group.members) // columns) if group.members else 0
    width = max(columns * NODE_W + (columns + 1) * PAD, NODE_W + 2 * PAD)
    height = max(HEADER + rows * (NODE_H + PAD) + PAD, NODE_H)
    return width, height


def grouped_view(
    *,
    identifier: str,
    name: str,
    groups: list[Group],
    flows: list[tuple[str, str, str]],
    node_id,
    documentation: str = "",
    properties: tuple[tuple[str, str], ...] = (),
) -> View:
    """A view of `groups`; `flows` are (relationship id, source element, target element),
    drawn between the first node of each element (skipped when an end is not in the view).
    `node_id(*parts)` makes the stable node and connection identifiers."""
    nodes: list[Node] = []
    first: dict[str, str] = {}  # element → its first node, for the connections
    x = y = 0
    row_height = 0
    for group in groups:
        group.members = list(dict.fromkeys(group.members))
    for index, group in enumerate(groups):
        if index and index % GROUPS_PER_ROW == 0:
            x, y = 0, y + row_height + GAP
            row_height = 0
        width, height = _box(group)
        parent = Node(node_id("groep", group.key), x, y, width, height, group.element, group.label)
        if group.element:
            first.setdefault(group.element, parent.identifier)
        columns = _columns(len(group.members))
        for position, member in enumerate(group.members):
            column, row = position % columns, position // columns
            child = Node(
                node_id("knoop", group.key, member),
                x + PAD + column * (NODE_W + PAD),
                y + HEADER + row * (NODE_H + PAD),
                NODE_W,
                NODE_H,
                member,
            )
            parent.children.append(child)
            first.setdefault(member, child.identifier)
        nodes.append(parent)
        x += width + GAP
        row_height = max(row_height, height)
    connections = [
        Connection(node_id("lijn", rel), rel, first[source], first[target])
        for rel, source, target in flows
        if source in first and target in first and first[source] != first[target]
    ]
    return View(
        identifier,
        name,
        nodes,
        connections,
        documentation=documentation,
        properties=properties,
    )
