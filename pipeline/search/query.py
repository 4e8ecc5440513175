"""The search query language (Media Cloud's), parsed by a small grammar into a syntax tree.

    query    := or_expr
    or_expr  := and_expr ("OR" and_expr)*
    and_expr := unary (["AND"] unary)*          adjacent terms are ANDed, as in Media Cloud
    unary    := ("NOT" | "-") unary | primary
    primary  := "(" or_expr ")" | FIELD ":" value | value
    value    := WORD | WORD* | "a phrase" ["~" N] | "[" from "TO" to "]" | "(" or_expr ")"

Fields: ``title:``, ``body:``, ``byline:``, ``publisher:``, ``language:``, and newsmon's own
``entity:`` (an entity id or name), ``event:`` (an event category), ``date:`` (a day or
``[2022-01-01 TO 2022-01-31]``, ``*`` for an open end). A malformed query raises
:class:`QueryError` whose one-line message names the column and the problem.

The tree is engine-neutral; :mod:`pipeline.search.index` compiles it to tantivy queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pipeline.errors import PermanentError

TEXT_FIELDS = ("title", "body", "byline", "publisher")  # searched when no field is named
FIELDS = TEXT_FIELDS + ("language", "entity", "event", "date")
MAX_QUERY_CHARS = 2000  # a query is typed by a person; longer input is a mistake, not a search
MAX_DEPTH = 32  # nested parentheses: bounded, so a hostile query cannot exhaust the stack
MIN_WILDCARD_PREFIX = 2  # "s*" would expand to most of the dictionary
MAX_SLOP = 100

# Tokens: the operators are upper-case words, as in Lucene and Media Cloud ("and" is a word).
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<phrase>"[^"]*"?)
  | (?P<range>\[[^\]]*\]?)
  | (?P<tilde>~\d*)
  | (?P<minus>-(?=\S))
  | (?P<field>[A-Za-z_]+:)
  | (?P<word>[^\s()"\[\]~]+)
""", re.VERBOSE)
# How the index tokenizes text (tantivy's default tokenizer: alphanumeric runs, lower-cased).
WORD_CHARS = re.compile(r"[^\W_]+", re.UNICODE)


class QueryError(PermanentError):
    """A malformed query; the message points at the column."""

    reason_code = "query"

    def __init__(self, query: str, position: int, problem: str):
        self.query, self.position, self.problem = query, position, problem
        excerpt = query[max(0, position - 10): position + 10]
        super().__init__(f"query error at column {position + 1}: {problem} (near {excerpt!r})",
                         hint="see docs/monitoring.md for the query language")


# --- the tree ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    field: str | None  # None: the default text fields
    text: str  # as typed; lower-cased and tokenized by the compiler
    wildcard: bool = False


@dataclass(frozen=True)
class Phrase:
    field: str | None
    words: tuple[str, ...]
    slop: int = 0


@dataclass(frozen=True)
class DateRange:
    start: date | None
    end: date | None  # inclusive


@dataclass(frozen=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    part: Node


Node = Term | Phrase | DateRange | And | Or | Not


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    pos: int


def tokenize(query: str) -> list[_Tok]:
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(query[:40], 0, f"query longer than {MAX_QUERY_CHARS} characters")
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if m is None:  # only a lone "~" or similar can fail every alternative
            raise QueryError(query, pos, f"unexpected {query[pos]!r}")
        kind = m.lastgroup or ""
        text = m.group()
        if kind == "phrase" and (len(text) < 2 or not text.endswith('"')):
            raise QueryError(query, pos, 'unclosed quote: add the closing "')
        if kind == "range" and not text.endswith("]"):
            raise QueryError(query, pos, "unclosed range: add the closing ]")
        if kind == "word" and text in ("AND", "OR", "NOT"):
            kind = text.lower()
        if kind != "space":
            tokens.append(_Tok(kind, text, pos))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, query: str):
        self.query = query
        self.tokens = tokenize(query)
        self.i = 0
        self.depth = 0

    def peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def error(self, problem: str, tok: _Tok | None = None) -> QueryError:
        return QueryError(self.query, tok.pos if tok else len(self.query), problem)

    def parse(self) -> Node:
        if not self.tokens:
            raise self.error("empty query: give a word, a \"phrase\" or a field:value")
        node = self.or_expr(None)
        tok = self.peek()
        if tok is not None:
            raise self.error("unmatched ')'" if tok.kind == "rparen" else f"unexpected {tok.text!r}", tok)
        return node

    def or_expr(self, field: str | None) -> Node:
        parts = [self.and_expr(field)]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.take()
            parts.append(self.and_expr(field))
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_expr(self, field: str | None) -> Node:
        parts = [self.unary(field)]
        while (tok := self.peek()) is not None and tok.kind not in ("or", "rparen"):
            if tok.kind == "and":
                self.take()
            parts.append(self.unary(field))
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self, field: str | None) -> Node:
        tok = self.peek()
        if tok is None:
            raise self.error("the query ends where a term was expected (after AND, OR or NOT?)")
        if tok.kind in ("not", "minus"):
            self.take()
            return Not(self.unary(field))
        return self.primary(field)

    def primary(self, field: str | None) -> Node:
        tok = self.take()
        if tok.kind == "lparen":
            return self.group(tok, field)
        if tok.kind == "field":
            if field is not None:
                raise self.error(f"field {tok.text!r} inside {field}:(...): name one field", tok)
            name = tok.text[:-1].lower()
            if name not in FIELDS:
                raise self.error(f"unknown field {tok.text!r}; fields are {', '.join(f + ':' for f in FIELDS)}", tok)
            nxt = self.peek()
            if nxt is None or nxt.kind in ("rparen", "and", "or", "tilde"):
                raise self.error(f"{tok.text} needs a value", nxt or tok)
            if nxt.kind == "lparen":
                return self.group(self.take(), name)
            return self.value(self.take(), name)
        return self.value(tok, field)

    def group(self, open_tok: _Tok, field: str | None) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"parentheses nested deeper than {MAX_DEPTH}", open_tok)
        if (tok := self.peek()) is not None and tok.kind == "rparen":
            raise self.error("empty parentheses", tok)
        node = self.or_expr(field)
        close = self.peek()
        if close is None or close.kind != "rparen":
            raise self.error("unclosed '(': add the closing ')'", open_tok)
        self.take()
        self.depth -= 1
        return node

    def value(self, tok: _Tok, field: str | None) -> Node:
        if field == "date":
            return self.date_value(tok)
        if tok.kind == "phrase":
            words = tuple(tok.text[1:-1].split())
            if not words:
                raise self.error('empty phrase ""', tok)
            slop = 0
            nxt = self.peek()
            if nxt is not None and nxt.kind == "tilde":
                self.take()
                if len(nxt.text) == 1:
                    raise self.error('proximity needs a number, e.g. "troops border"~5', nxt)
                slop = int(nxt.text[1:])
                if slop > MAX_SLOP:
                    raise self.error(f"proximity above {MAX_SLOP} words", nxt)
            return Phrase(field, words, slop)
        if tok.kind == "word":
            wildcard = "*" in tok.text or "?" in tok.text
            if wildcard:
                literal = re.split(r"[*?]", tok.text, maxsplit=1)[0]
                if len(literal) < MIN_WILDCARD_PREFIX:
                    raise self.error(f"a wildcard needs at least {MIN_WILDCARD_PREFIX} letters before "
                                     f"* or ?: {tok.text!r}", tok)
            return Term(field, tok.text, wildcard)
        if tok.kind == "tilde":
            raise self.error('"~" belongs after a "phrase"', tok)
        if tok.kind == "range":
            raise self.error("a [from TO to] range belongs after date:", tok)
        if tok.kind == "rparen":
            raise self.error("unmatched ')'", tok)
        raise self.error(f"{tok.text!r} where a term was expected", tok)

    def date_value(self, tok: _Tok) -> DateRange:
        if tok.kind == "range":
            inner = tok.text[1:-1].split()
            if len(inner) != 3 or inner[1] != "TO":
                raise self.error("a date range is [YYYY-MM-DD TO YYYY-MM-DD]", tok)
            start, end = self.day(inner[0], tok), self.day(inner[2], tok)
            if start and end and end < start:
                raise self.error("the range ends before it starts", tok)
            return DateRange(start, end)
        if tok.kind in ("word", "phrase"):
            day = self.day(tok.text.strip('"'), tok)
            return DateRange(day, day)
        raise self.error("date: needs YYYY-MM-DD or [YYYY-MM-DD TO YYYY-MM-DD]", tok)

    def day(self, text: str, tok: _Tok) -> date | None:
        if text == "*":
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise self.error(f"{text!r} is not a date (YYYY-MM-DD)", tok) from None


def parse_query(query: str) -> Node:
    """The syntax tree of `query`, or a :class:`QueryError` pointing at the problem."""
    return _Parser(query).parse()


def terms(node: Node) -> list[str]:
    """The positive words and phrases of a query (for highlighting and alerts' matched terms)."""
    if isinstance(node, Term):
        return [node.text] if node.field not in ("language", "entity", "event") else []
    if isinstance(node, Phrase):
        return [" ".join(node.words)] if node.field not in ("entity", "event") else []
    if isinstance(node, And | Or):
        return [t for part in node.parts for t in terms(part)]
    return []
