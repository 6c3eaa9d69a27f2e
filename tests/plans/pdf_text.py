"""Text of a PDF made by WeasyPrint, for tests: enough of PDF to read back what
the document says (fonts' ToUnicode maps applied to the pages' text-showing
operators), with no PDF library installed."""

import re
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)\s*endobj", re.DOTALL)
STREAM = re.compile(rb"^(<<.*?>>)\s*stream\r?\n", re.DOTALL)
REF = r"/{key}\s+(\d+) 0 R"


def _objects(pdf):
    """{number: (dictionary text, decoded stream bytes or None)}."""
    objects = {}
    for match in OBJECT.finditer(pdf):
        number, body = int(match[1]), match[2]
        stream = STREAM.match(body)
        if stream is None:
            objects[number] = (body.decode("latin-1"), None)
            continue
        head = stream[1].decode("latin-1")
        length = int(re.search(r"/Length (\d+)", head)[1])
        data = body[stream.end() : stream.end() + length]
        if "/FlateDecode" in head:
            data = zlib.decompress(data)
        objects[number] = (head, data)
    # Objects packed into compressed object streams (PDF 1.5).
    for head, data in list(objects.values()):
        if data is None or "/Type /ObjStm" not in head:
            continue
        first = int(re.search(r"/First (\d+)", head)[1])
        numbers = [int(n) for n in data[:first].split()]
        pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
        for index, (number, offset) in enumerate(pairs):
            end = pairs[index + 1][1] if index + 1 < len(pairs) else len(data) - first
            text = data[first + offset : first + end].decode("latin-1").strip()
            objects.setdefault(number, (text, None))
    return objects


def _to_unicode(cmap):
    """Glyph code (hex) -> text, from a ToUnicode CMap's bfchar and bfrange."""
    table = {}
    text = cmap.decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.DOTALL):
        for code, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[code.lower()] = bytes.fromhex(value).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.DOTALL):
        for low, high, value in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(value, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[f"{code:0{len(low)}x}"] = chr(start + offset)
    return table


def _strings(dictionary):
    """Strings written into dictionaries: bookmarks, the title, metadata."""
    found = [
        re.sub(r"\\(.)", r"\1", literal)
        for literal in re.findall(r"\(((?:\\.|[^\\)])*)\)", dictionary)
    ]
    found += [
        bytes.fromhex(text[4:]).decode("utf-16-be")
        for text in re.findall(r"<(FEFF[0-9A-Fa-f]*)>", dictionary, re.IGNORECASE)
    ]
    return found


def pdf_text(pdf):
    """Everything a reader of the PDF can see: the pages' text, then the
    strings in its dictionaries (bookmarks, title), one per line."""
    objects = _objects(pdf)

    def ref(text, key):
        match = re.search(REF.format(key=key), text)
        return int(match[1]) if match else None

    lines = []
    for head, _data in list(objects.values()):
        if not re.search(r"/Type /Page\b", head):
            continue
        resources = objects[ref(head, "Resources")][0]
        fonts_ref = ref(resources, "Font")
        fonts_text = objects[fonts_ref][0] if fonts_ref else resources
        maps = {}
        for name, number in re.findall(r"/([\w.+-]+)\s+(\d+) 0 R", fonts_text):
            font = objects[int(number)][0]
            cmap = ref(font, "ToUnicode")
            maps[name] = _to_unicode(objects[cmap][1]) if cmap else {}
        content = objects[ref(head, "Contents")][1].decode("latin-1")
        current = {}
        for font, shown in re.findall(r"/([\w.+-]+) [\d.]+ Tf|\[(.*?)\] TJ", content, re.DOTALL):
            if font:
                current = maps.get(font, {})
                continue
            line = []
            for run in re.findall(r"<([0-9A-Fa-f]*)>", shown):
                line.extend(current.get(run[i : i + 4].lower(), "") for i in range(0, len(run), 4))
            lines.append("".join(line))
    for head, data in objects.values():
        if data is None:
            lines.extend(_strings(head))
    return "\n".join(lines)
