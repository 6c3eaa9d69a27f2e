"""Compare two pieces of HTML as element trees, not as strings.

`normalise(html)` parses with the standard library's `html.parser` and writes
the tree back out one node a line, indented by depth, so that two fragments
that mean the same thing give the same text:

- tag names are lower case and attributes are sorted by name;
- `class` is a sorted set of tokens;
- an attribute written without a value (`checked`) equals `checked=""`;
- character references are decoded (`&#39;` equals `'`);
- text has runs of whitespace collapsed to one space and is trimmed, and
  whitespace-only text is dropped;
- comments are dropped.

`assert_html_equivalent(actual, expected)` fails with a unified diff of the
two normalised trees.
"""

import difflib
import re
from html.parser import HTMLParser

# Elements that never have an end tag.
VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
_WHITESPACE = re.compile(r"\s+")


class _Element:
    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = attrs
        self.children = []


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Element("#fragment", {})
        self.stack = [self.root]

    def _attrs(self, tag, attrs):
        result = {}
        for name, value in attrs:
            name = name.lower()
            if name in result:
                raise AssertionError(f"<{tag}> has the attribute {name!r} twice")
            value = "" if value is None else value
            if name == "class":
                value = " ".join(sorted(set(value.split())))
            result[name] = value
        return result

    def handle_starttag(self, tag, attrs):
        element = _Element(tag, self._attrs(tag, attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        # `<path ... />` in SVG, or `<input />`: an element with no children.
        self.stack[-1].children.append(_Element(tag, self._attrs(tag, attrs)))

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        if self.stack[-1].tag != tag:
            open_tags = [element.tag for element in self.stack[1:]]
            raise AssertionError(f"</{tag}> does not close the open element: {open_tags}")
        self.stack.pop()

    def handle_data(self, data):
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)

    def close(self):
        super().close()
        if len(self.stack) > 1:
            raise AssertionError(f"unclosed elements: {[e.tag for e in self.stack[1:]]}")


def _lines(node, depth):
    indent = "  " * depth
    if isinstance(node, str):
        text = _WHITESPACE.sub(" ", node).strip()
        if text:
            yield f"{indent}{text!r}"
        return
    attrs = "".join(f" {name}={node.attrs[name]!r}" for name in sorted(node.attrs))
    yield f"{indent}<{node.tag}{attrs}>"
    for child in node.children:
        yield from _lines(child, depth + 1)


def normalise(html):
    """The element tree of `html`, one node a line."""
    builder = _TreeBuilder()
    builder.feed(str(html))
    builder.close()
    lines = []
    for child in builder.root.children:
        lines.extend(_lines(child, 0))
    return "\n".join(lines)


def assert_html_equivalent(actual, expected):
    actual_tree = normalise(actual)
    expected_tree = normalise(expected)
    if actual_tree != expected_tree:
        diff = "\n".join(
            difflib.unified_diff(
                expected_tree.splitlines(),
                actual_tree.splitlines(),
                fromfile="expected (govuk-frontend)",
                tofile="actual (our partial)",
                lineterm="",
            )
        )
        raise AssertionError(f"HTML differs:\n{diff}\n\nactual HTML:\n{actual}")
