"""`policyrules lsp`: the language server, on pygls, over standard input and output.

Diagnostics are those of `policyrules lint`, computed when a document opens and, while it
is edited, once typing pauses (`DEBOUNCE` seconds); saving any policy re-checks the open
ones, since they may import it. Requests are answered from the last analysis of the
document's current text (re-made first if the text moved on), except completion, which reads
the half-typed text itself and the names of the last analysis that parsed. No request may
fail on what the text holds: an unexpected error is logged and answered with nothing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlparse
from zoneinfo import ZoneInfo

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path
from pygls.workspace import PositionCodec, TextDocument
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from policyrules.about import __version__
from policyrules.calendar.days import WorkingDays
from policyrules.diagnostics.errors import PolicyError, Severity
from policyrules.diagnostics.formats import suggested_replacement
from policyrules.diagnostics.messages import default_language, msg, t
from policyrules.diagnostics.source import SourceText, Span
from policyrules.lsp.analysis import Analysis, ImportCache, analyse, document_name, path_of
from policyrules.lsp.completion import Candidate, Completer
from policyrules.lsp.hover import Hover
from policyrules.lsp.index import Key, SymbolIndex, SymbolKind
from policyrules.syntax import ast
from policyrules.syntax.formatter import format_policy
from policyrules.syntax.parser import parse

#: seconds of quiet after an edit before the document is checked again
DEBOUNCE = 0.3
logger = logging.getLogger("policyrules.lsp")
R = TypeVar("R")

_KINDS = {
    "keyword": lsp.CompletionItemKind.Keyword, "event": lsp.CompletionItemKind.Class,
    "attribute": lsp.CompletionItemKind.Field, "fact": lsp.CompletionItemKind.Field,
    "festival": lsp.CompletionItemKind.Constant, "set": lsp.CompletionItemKind.Enum,
    "band": lsp.CompletionItemKind.Function, "let": lsp.CompletionItemKind.Variable,
    "value": lsp.CompletionItemKind.EnumMember, "file": lsp.CompletionItemKind.File,
}
_SYMBOLS = {
    SymbolKind.EVENT: lsp.SymbolKind.Class, SymbolKind.BAND: lsp.SymbolKind.Function,
    SymbolKind.SET: lsp.SymbolKind.Enum, SymbolKind.LET: lsp.SymbolKind.Variable,
    SymbolKind.FESTIVAL: lsp.SymbolKind.Constant,
}


def _path(uri: str) -> Path | None:
    parsed = urlparse(uri)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else None


class PolicyServer(LanguageServer):
    """The server's state: each open document's last analysis, and the import cache."""

    def __init__(self, lang: str | None = None) -> None:
        super().__init__("policyrules", __version__)
        self.lang = lang or default_language()
        self.asked_lang = lang is not None
        self.imports = ImportCache()
        self.analyses: dict[str, Analysis] = {}
        self.indexes: dict[str, SymbolIndex] = {}  # the last that parsed, for completion
        self.pending: dict[str, asyncio.Task[None]] = {}
        #: milliseconds each request took, by method (read by the benchmark test)
        self.timings: dict[str, list[float]] = {}

    # ------------------------------------------------------------------ positions

    def codec(self) -> PositionCodec:
        return PositionCodec(self.workspace.position_encoding)

    def range_of(self, source: SourceText, span: Span) -> lsp.Range:
        lines = source.text.splitlines(True) or [""]
        start = ServerTextPosition(span.line - 1, span.column - 1)
        end = ServerTextPosition(span.end_line - 1, span.end_column - 1)
        return self.codec().range_to_client_units(lines, ServerTextRange(start, end))

    def uri_of(self, name: str, analysis: Analysis, uri: str) -> str | None:
        if name == analysis.name:
            return uri
        path = path_of(name)
        return from_fs_path(str(path)) if path is not None else None

    def location(self, span: Span, analysis: Analysis, uri: str) -> lsp.Location | None:
        target = self.uri_of(span.file, analysis, uri)
        source = analysis.sources.get(span.file)
        if target is None or source is None:
            return None
        return lsp.Location(target, self.range_of(source, span))

    # ------------------------------------------------------------------ analyses

    def analyse(self, uri: str) -> Analysis:
        document = self.workspace.get_text_document(uri)
        path = _path(uri)
        base = path.parent if path is not None else Path.cwd()
        started = time.perf_counter()
        analysis = analyse(document.source, document_name(path, uri), base, self.imports,
                           document.version)
        # made now, off the request path: what hovers and definitions read
        if analysis.compiled is not None:
            analysis.compiled.patterns.occurrences(WorkingDays(),
                                                   analysis.compiled.checked.window.start,
                                                   analysis.compiled.checked.window.start)
        if analysis.index is not None:
            self.indexes[uri] = analysis.index
        self.analyses[uri] = analysis
        self._time("analysis", started)
        return analysis

    def current(self, uri: str) -> Analysis:
        """The analysis of the document's text as it is now."""
        document = self.workspace.get_text_document(uri)
        analysis = self.analyses.get(uri)
        if analysis is None or analysis.text != document.source:
            analysis = self.analyse(uri)
            self.publish(uri, analysis)
        return analysis

    def publish(self, uri: str, analysis: Analysis) -> None:
        diagnostics = []
        for problem in analysis.problems:
            diagnostic = problem.diagnostic
            span = problem.span
            source = analysis.sources.get(span.file) if span is not None else None
            where = (self.range_of(source, span) if source is not None and span is not None
                     else lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)))
            text = diagnostic.text(self.lang)
            hint = diagnostic.hint_text(self.lang)
            if hint:
                text = f"{text}\n{t(self.lang, 'hint')}: {hint}"
            related = []
            for inner in problem.related:
                location = (self.location(inner.span, analysis, uri)
                            if inner.span is not None else None)
                if location is not None:
                    related.append(lsp.DiagnosticRelatedInformation(location,
                                                                    inner.text(self.lang)))
            data = None
            fix = (suggested_replacement(diagnostic, analysis.sources)
                   if span == diagnostic.span else None)
            if fix is not None and fix.span.file == analysis.name:
                replaced = self.range_of(analysis.source, fix.span)
                data = {"newText": fix.text, "range": {
                    "start": {"line": replaced.start.line, "character": replaced.start.character},
                    "end": {"line": replaced.end.line, "character": replaced.end.character}}}
            diagnostics.append(lsp.Diagnostic(
                range=where, message=text, source="policyrules", code=diagnostic.code or None,
                severity=(lsp.DiagnosticSeverity.Error if diagnostic.severity is Severity.ERROR
                          else lsp.DiagnosticSeverity.Warning),
                related_information=related or None, data=data,
            ))
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics,
                                         version=analysis.version))

    def schedule(self, uri: str, delay: float) -> None:
        """Check the document once it has been left alone for `delay` seconds."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()

        async def later() -> None:
            await asyncio.sleep(delay)
            self.pending.pop(uri, None)
            try:
                analysis = self.analyse(uri)
            except Exception:  # never let a document bring the server down
                logger.exception("analysing %s", uri)
                return
            self.publish(uri, analysis)

        self.pending[uri] = asyncio.ensure_future(later())

    def _time(self, method: str, started: float) -> None:
        self.timings.setdefault(method, []).append(1000 * (time.perf_counter() - started))

    def guarded(self, method: str, answer: Callable[[], R], empty: R) -> R:
        """Answer a request, timing it; what fails is logged and answered with `empty`."""
        started = time.perf_counter()
        try:
            return answer()
        except Exception:
            logger.exception("%s", method)
            return empty
        finally:
            self._time(method, started)

    def today(self, analysis: Analysis) -> dt.date:
        zone = "Asia/Shanghai"
        policy = analysis.tree.policy if analysis.tree is not None else None
        written = policy.item(ast.Timezone) if policy is not None else None
        try:
            return dt.datetime.now(ZoneInfo(written.name if written else zone)).date()
        except (ValueError, KeyError, OSError):
            return dt.date.today()


# ----------------------------------------------------------------------------- features


def _offset(document: TextDocument, position: lsp.Position) -> int:
    return document.offset_at_position(position)


def hover(server: PolicyServer, params: lsp.HoverParams) -> lsp.Hover | None:
    uri = params.text_document.uri
    analysis = server.current(uri)
    if analysis.index is None:
        return None
    offset = _offset(server.workspace.get_text_document(uri), params.position)
    speaker = Hover(analysis.index, analysis.sources, analysis.tree, analysis.compiled,
                    server.lang, server.today(analysis))
    occurrence = analysis.index.at(analysis.name, offset)
    text: str | None = None
    where: Span | None = None
    if occurrence is not None:
        text, where = speaker.of_key(occurrence.key), occurrence.span
    else:
        node = _pattern_at(analysis, offset)
        if node is not None and node.span is not None:
            text, where = speaker.of_pattern(node), node.span
    if not text or where is None:
        return None
    return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text),
                     server.range_of(analysis.source, where))


def _pattern_at(analysis: Analysis, offset: int) -> ast.Pattern | None:
    """The outermost calendar pattern written where the cursor is."""
    if analysis.tree is None:
        return None
    patterns = (ast.NthWeekday, ast.MonthPattern, ast.DayOfQuarter, ast.FixedDate,
                ast.ExactDate, ast.LunarDate, ast.SolarTerm, ast.NamedPattern, ast.Around,
                ast.AnyOf, ast.WorkingDayPattern, ast.RestDayPattern, ast.HolidayPattern)
    for node in ast.walk(analysis.tree):
        holder = (node.on if isinstance(node, ast.Every) else
                  node.pattern if isinstance(node, ast.EachOccurrence | ast.OnPattern)
                  else None)
        span = holder.span if isinstance(holder, patterns) else None
        if span is not None and span.start <= offset <= span.end:
            return holder
    return None


def definition(server: PolicyServer, params: lsp.DefinitionParams) -> list[lsp.Location]:
    uri = params.text_document.uri
    analysis = server.current(uri)
    if analysis.index is None:
        return []
    offset = _offset(server.workspace.get_text_document(uri), params.position)
    occurrence = analysis.index.at(analysis.name, offset)
    if occurrence is None:
        return []
    found = analysis.index.definitions.get(occurrence.key)
    if found is None:
        return []
    if occurrence.key.kind is SymbolKind.FILE:
        target = server.uri_of(occurrence.key.name, analysis, uri)
        start = lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
        return [lsp.Location(target, start)] if target is not None else []
    location = server.location(found.span, analysis, uri)
    return [location] if location is not None else []


def references(server: PolicyServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
    uri = params.text_document.uri
    analysis = server.current(uri)
    if analysis.index is None:
        return []
    offset = _offset(server.workspace.get_text_document(uri), params.position)
    occurrence = analysis.index.at(analysis.name, offset)
    if occurrence is None:
        return []
    key = occurrence.key
    declared = analysis.index.definitions.get(key)
    found = []
    for other in analysis.index.references(key):
        if (not params.context.include_declaration and declared is not None
                and other.span == declared.span):
            continue
        location = server.location(other.span, analysis, uri)
        if location is not None:
            found.append(location)
    return found


def completion(server: PolicyServer, params: lsp.CompletionParams) -> lsp.CompletionList:
    uri = params.text_document.uri
    document = server.workspace.get_text_document(uri)
    index = server.indexes.get(uri) or SymbolIndex()
    before = document.source[: _offset(document, params.position)]
    path = _path(uri)
    candidates = Completer(index, path.parent if path is not None else None).complete(before)
    return lsp.CompletionList(is_incomplete=False, items=[_item(c) for c in candidates])


def _item(candidate: Candidate) -> lsp.CompletionItem:
    return lsp.CompletionItem(label=candidate.label, kind=_KINDS.get(candidate.kind),
                              detail=candidate.detail or None, insert_text=candidate.insert)


def formatting(server: PolicyServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit]:
    uri = params.text_document.uri
    document = server.workspace.get_text_document(uri)
    analysis = server.analyses.get(uri)
    text = document.source
    try:
        tree = (analysis.tree if analysis is not None and analysis.text == text
                and analysis.tree is not None else parse(text, uri))
    except PolicyError:
        return []  # the diagnostics say why; nothing is rewritten while it does not parse
    formatted = format_policy(tree)
    if formatted == text:
        return []
    lines = text.splitlines(True)
    end = lsp.Position(len(lines), 0)
    return [lsp.TextEdit(lsp.Range(lsp.Position(0, 0), end), formatted)]


def symbols(server: PolicyServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
    uri = params.text_document.uri
    analysis = server.current(uri)
    index = analysis.index
    if index is None or analysis.tree is None:
        return []
    source = analysis.source

    def symbol(key: Key, node: ast.Node, kind: lsp.SymbolKind, detail: str | None,
               children: list[lsp.DocumentSymbol] | None = None) -> lsp.DocumentSymbol | None:
        found = index.definitions.get(key)
        if found is None or node.span is None or found.span.file != analysis.name:
            return None
        return lsp.DocumentSymbol(name=key.name, kind=kind, detail=detail,
                                  range=server.range_of(source, node.span),
                                  selection_range=server.range_of(source, found.span),
                                  children=children)

    outline: list[lsp.DocumentSymbol] = []
    for item in analysis.tree.items:
        entry: lsp.DocumentSymbol | None = None
        if isinstance(item, ast.Policy):
            obligations = [symbol(Key(SymbolKind.OBLIGATION, ob.name), ob,
                                  lsp.SymbolKind.Method, ob.title) for ob in item.obligations]
            entry = symbol(Key(SymbolKind.POLICY, item.name), item, lsp.SymbolKind.Module,
                           item.title, [o for o in obligations if o is not None])
        elif isinstance(item, ast.EventDef):
            fields = [symbol(Key(SymbolKind.ATTRIBUTE, f.name, item.name), f,
                             lsp.SymbolKind.Field, None) for f in item.fields]
            entry = symbol(Key(SymbolKind.EVENT, item.name), item, lsp.SymbolKind.Class, None,
                           [f for f in fields if f is not None])
        elif isinstance(item, ast.BandDef | ast.SetDef | ast.LetDef | ast.FestivalDef):
            kind = {ast.BandDef: SymbolKind.BAND, ast.SetDef: SymbolKind.SET,
                    ast.LetDef: SymbolKind.LET, ast.FestivalDef: SymbolKind.FESTIVAL}[type(item)]
            entry = symbol(Key(kind, item.name), item, _SYMBOLS[kind], None)
        if entry is not None:
            outline.append(entry)
    return outline


def code_actions(server: PolicyServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    """Quick fixes: a "did you mean" hint's replacement, carried in the diagnostic's data."""
    actions = []
    for diagnostic in params.context.diagnostics:
        data: Any = diagnostic.data
        if not isinstance(data, dict) or "newText" not in data:
            continue
        start, end = data["range"]["start"], data["range"]["end"]
        edit = lsp.TextEdit(lsp.Range(lsp.Position(start["line"], start["character"]),
                                      lsp.Position(end["line"], end["character"])),
                            data["newText"])
        actions.append(lsp.CodeAction(
            title=t(server.lang, msg("replace with `{text}`", text=data["newText"])),
            kind=lsp.CodeActionKind.QuickFix, diagnostics=[diagnostic], is_preferred=True,
            edit=lsp.WorkspaceEdit(changes={params.text_document.uri: [edit]}),
        ))
    return actions


# ----------------------------------------------------------------------------- wiring


def build_server(lang: str | None = None, debounce: float = DEBOUNCE) -> PolicyServer:
    server = PolicyServer(lang)

    @server.feature(lsp.INITIALIZE)
    def initialize(params: lsp.InitializeParams) -> None:
        options = params.initialization_options
        asked = options.get("lang") if isinstance(options, dict) else None
        if asked in ("en", "zh"):
            server.lang = asked
        elif not server.asked_lang and params.locale:
            server.lang = "zh" if params.locale.lower().startswith("zh") else "en"

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: lsp.DidOpenTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: lsp.DidChangeTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: lsp.DidSaveTextDocumentParams) -> None:
        for uri in list(server.analyses):  # a saved library changes what imports it
            server.schedule(uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = server.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        server.analyses.pop(uri, None)
        server.indexes.pop(uri, None)
        server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def on_hover(params: lsp.HoverParams) -> lsp.Hover | None:
        return server.guarded("hover", lambda: hover(server, params), None)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def on_definition(params: lsp.DefinitionParams) -> list[lsp.Location]:
        return server.guarded("definition", lambda: definition(server, params), [])

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    def on_references(params: lsp.ReferenceParams) -> list[lsp.Location]:
        return server.guarded("references", lambda: references(server, params), [])

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION,
                    lsp.CompletionOptions(trigger_characters=[".", "(", '"', " "]))
    def on_completion(params: lsp.CompletionParams) -> lsp.CompletionList:
        return server.guarded("completion", lambda: completion(server, params),
                              lsp.CompletionList(is_incomplete=False, items=[]))

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def on_formatting(params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit]:
        return server.guarded("formatting", lambda: formatting(server, params), [])

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def on_symbols(params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
        return server.guarded("symbols", lambda: symbols(server, params), [])

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    def on_code_action(params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        return server.guarded("code action", lambda: code_actions(server, params), [])

    @server.command("policyrules.timings")
    def timings(*_: Any) -> dict[str, list[float]]:
        """How long each request took, in milliseconds (for measuring, not for editors)."""
        return server.timings

    return server
