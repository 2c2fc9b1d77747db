#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Reads Markdown pages for test-doc-examples.sh.

doc-examples.py commands FILE...
    Every example command of the pages: the lines of code blocks (fenced or
    indented) and the inline code spans that start with one of COMMANDS, one
    record a command (a pipeline or a list gives one record per command).
    Fields, separated by \\x1f, one record a line:
        SOURCE (file:line)  WHERE (block, inline or synopsis)
        EXPECT (the line the page shows after a "$ " prompt, or empty)
        RAW (the whole line)  then the command's words, VAR=value first.
doc-examples.py links FILE...
    Every relative link of the pages: "ok SOURCE TARGET" or
    "bad SOURCE TARGET: why", one a line.
doc-examples.py options FILE
    The options of the tables of a configuration page (every table whose
    header starts with "| Option |"): "NAME DEFAULT" one a line, DEFAULT "-"
    when the table gives none as a value (none, required).
"""
import bisect
import os
import re
import shlex
import sys

COMMANDS = {"phonecert", "build/phonecert", "phonecert-test", "scripts/phonecert-test",
            "make", "radmin", "freeradius", "eapol_test", "radclient", "radtest"}
SEP = "\x1f"
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def words_of(text):
    """Shell words, with |, ;, && and || as words of their own; None when the
    text is not a shell line (an unbalanced quote: prose, not a command)."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|<>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        return list(lexer)
    except ValueError:
        return None


def commands_of(text):
    """The simple commands of a shell line whose program is one of COMMANDS:
    lists of words, leading VAR=value assignments kept."""
    words = words_of(text)
    if words is None:
        return []
    commands, current = [], []
    for word in words + [";"]:
        if word in (";", "&&", "||", "|", "&"):
            program = [w for w in current if not ASSIGNMENT.match(w)]
            # "phonecert {" is configuration, "freeradius (= 3.2.7)" a dependency.
            if program and program[0] in COMMANDS and not any(w == "{" or w.startswith("(") for w in program):
                commands.append(current)
            current = []
        else:
            current.append(word)
    # A redirection's file is not an argument of the command.
    cleaned = []
    for command in commands:
        out, skip = [], False
        for word in command:
            if skip:
                skip = False
            elif word in ("<", ">", ">>"):
                skip = True
            else:
                out.append(word)
        cleaned.append(out)
    return cleaned


def record(source, where, expect, raw, words):
    fields = [source, where, expect, raw] + words
    return SEP.join(f.replace(SEP, " ").replace("\n", " ") for f in fields)


def starts_with_command(text):
    first = text.split(None, 1)[0] if text.split() else ""
    while ASSIGNMENT.match(first) and " " in text:
        text = text.split(None, 1)[1]
        first = text.split(None, 1)[0]
    return first in COMMANDS


def block_lines(lines):
    """(line number, text) of the lines of code blocks: fenced ones, and lines
    indented by four spaces or more outside them."""
    fenced = False
    for number, line in enumerate(lines, 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced or line.startswith("    "):
            yield number, line.strip(), fenced
        else:
            yield number, None, False


def commands(paths):
    for path in paths:
        lines = open(path, encoding="utf-8").read().split("\n")
        yield from inline_commands(path, lines)
        numbered = list(block_lines(lines))
        i = 0
        while i < len(numbered):
            number, text, _ = numbered[i]
            i += 1
            if text is None:
                continue
            prompt = text.startswith("$ ")
            if prompt:
                text = text[2:]
            while text.endswith("\\") and i < len(numbered) and numbered[i][1] is not None:
                text = text[:-1] + " " + numbered[i][1]
                i += 1
            expect = ""
            if prompt and i < len(numbered):
                following = numbered[i][1]
                if following and not following.startswith("$ "):
                    expect = following
            where = "synopsis" if "[" in text else "block"
            for words in commands_of(text):
                yield record(f"{path}:{number}", where, expect, text, words)


def inline_commands(path, lines):
    """The inline code spans of the prose, a paragraph at a time: a span may
    go on over a line break."""
    paragraph = []
    for number, text, _ in list(block_lines(lines)) + [(0, None, False)]:
        prose = lines[number - 1] if number and text is None else ""
        if prose.strip():
            paragraph.append((number, prose))
            continue
        joined = " ".join(line for _, line in paragraph)
        starts = [0]    # where each line begins in joined
        for _, line in paragraph[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        for match in re.finditer(r"`([^`]+)`", joined):
            span = match.group(1)
            if len(span.split()) < 2 or not starts_with_command(span):
                continue
            number = paragraph[bisect.bisect_right(starts, match.start()) - 1][0]
            for words in commands_of(span):
                yield record(f"{path}:{number}", "inline", "", span, words)
        paragraph = []


def slug(heading):
    """GitHub's anchor of a heading."""
    text = heading.strip().lower().replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    fenced, found = False, set()
    for line in open(path, encoding="utf-8"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6} ", line):
            found.add(slug(line.lstrip("#")))
    return found


def links(paths):
    for path in paths:
        text = open(path, encoding="utf-8").read()
        text = re.sub(r"```.*?```", "", text, flags=re.S)
        text = re.sub(r"`[^`\n]*`", "", text)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            file_part, _, anchor = target.partition("#")
            resolved = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
            if not os.path.exists(resolved):
                yield f"bad {path} {target}: no such file {resolved}"
            elif anchor and not os.path.isfile(resolved):
                yield f"bad {path} {target}: an anchor into a directory"
            elif anchor and anchor not in anchors(resolved):
                yield f"bad {path} {target}: {resolved} has no heading #{anchor}"
            else:
                yield f"ok {path} {target}"


def options(path):
    in_table = False
    for line in open(path, encoding="utf-8"):
        if line.startswith("| Option |"):
            in_table = True
        elif not line.startswith("|"):
            in_table = False
        elif in_table:
            match = re.match(r"\| `([a-z_]+)` \| (`([^`]+)`)?", line)
            if match:
                yield f"{match.group(1)} {match.group(3) or '-'}"


def main():
    mode, paths = sys.argv[1], sys.argv[2:]
    produce = {"commands": commands, "links": links, "options": lambda p: options(p[0])}[mode]
    for line in produce(paths):
        print(line)


if __name__ == "__main__":
    main()
