"""The report's HTML as an element tree, read by expat where it is well-formed XML.

WeasyPrint reads HTML with tinyhtml5, an HTML5 parser written in Python:
about a twentieth of a report's render (0.13 s of the 40-worker sample's).
The report's templates are written as polyglot markup (void elements
closed, ``&#160;`` not ``&nbsp;``, tables with their ``<tbody>``, SVG with
its namespace), so Python's expat parser, in C, reads a report into the
tree tinyhtml5 would build in a few milliseconds; :func:`as_html5` then
places the whitespace around ``<body>`` where HTML5 parsing places it.
Tests compare the two trees, and the PDFs, for every kind of report.

A document that is not well-formed XML (a control character in a value
from a workbook; a template someone writes as plain HTML) gets ``None``,
and WeasyPrint's own parser reads it, as it always did.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError, TreeBuilder, XMLParser

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
SVG = "{" + SVG_NAMESPACE + "}svg"
#: How tinyhtml5 records the ``xmlns`` attribute of an ``<svg>`` in HTML.
XMLNS = "{http://www.w3.org/2000/xmlns/}xmlns"


def parse_polyglot(html: str) -> Element | None:
    """The document's tree as tinyhtml5 builds it (HTML elements without a namespace), or
    ``None`` when ``html`` is not well-formed XML or its root is not ``<html>``."""
    parser = XMLParser(target=TreeBuilder(insert_comments=True))
    try:
        parser.feed(html)
        root = parser.close()
    except ParseError:
        return None
    if root.tag != "html":
        return None
    return as_html5(root, trailing=html[html.rfind(">") + 1 :])


def as_html5(root: Element, *, trailing: str) -> Element:
    """``root`` with its whitespace where an HTML5 parser puts it: none before ``<head>``;
    what follows ``</body>`` and ``</html>`` (``trailing``) at the end of the body; and each
    ``<svg>``'s ``xmlns``, which expat turns into the namespace of its tag, as an attribute."""
    for parent in root.iter():
        if isinstance(parent.tag, str) and not parent.tag.startswith("{"):  # HTML, not SVG
            for svg in parent.iterfind(SVG):
                svg.attrib = {XMLNS: SVG_NAMESPACE, **svg.attrib}
    if root.text is not None and not root.text.strip():
        root.text = None
    body = root.find("body")
    if body is None or body is not root[-1]:
        return root
    after = (body.tail or "") + trailing
    body.tail = None
    if after:
        if len(body):
            body[-1].tail = (body[-1].tail or "") + after
        else:
            body.text = (body.text or "") + after
    return root
