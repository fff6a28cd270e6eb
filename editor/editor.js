// The tour's Python editor: CodeMirror 6, lean (no search, no completion),
// bundled by scripts/build.sh into www/editor.js, a classic script that
// sets self.tourEditor. The page loads it the first time a reader edits a
// listing (src/ui/code_editor.rs); the one-file tour carries it.
//
// The lesson view (Rust) drives it through a handle per listing: it reads
// the code, marks where each task waits at a step, marks a syntax error at
// its line and column, and moves the cursor to a traceback's line. Nothing
// here runs code or knows a lesson.
import { EditorState, StateEffect, StateField, RangeSet } from '@codemirror/state';
import {
  EditorView, Decoration, WidgetType, keymap, lineNumbers, highlightActiveLineGutter,
  drawSelection,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import {
  HighlightStyle, syntaxHighlighting, indentOnInput, bracketMatching, indentUnit,
} from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { python } from '@codemirror/lang-python';

// The build's own highlighting classes (src/site/highlight.rs), so the
// editor wears the listings' colours, light and dark, from style.css.
const classes = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword,
    tags.operatorKeyword, tags.bool, tags.null, tags.self], class: 'tok-keyword' },
  { tag: [tags.string, tags.special(tags.string)], class: 'tok-string' },
  { tag: tags.comment, class: 'tok-comment' },
  { tag: [tags.number, tags.integer, tags.float], class: 'tok-number' },
  { tag: [tags.meta, tags.annotation], class: 'tok-macro' },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], class: 'tok-call' },
]);

// A set of marks the page replaces whole (`set.of(decorations)`): `onEdit` says
// what becomes of them when the code changes, moved along by default.
function markField(onEdit = (m, tr) => m.map(tr.changes)) {
  const set = StateEffect.define();
  const field = StateField.define({
    create: () => Decoration.none,
    update(m, tr) {
      m = onEdit(m, tr);
      for (const e of tr.effects) if (e.is(set)) m = e.value;
      return m;
    },
    provide: (f) => EditorView.decorations.from(f),
  });
  return { set, field };
}

// Where the tasks wait at the step shown: a line decoration per line, with
// the tasks' names (drawn by style.css, as on the static listing).
const steps = markField();

// The lines an experiment ("Try this") wrote: marked until the code is
// replaced again; the reader's own edits move them along.
const changed = markField();

class ErrorNote extends WidgetType {
  constructor(message) { super(); this.message = message; }
  eq(other) { return other.message === this.message; }
  toDOM() {
    const note = document.createElement('div');
    note.className = 'cm-error-note';
    note.textContent = this.message;
    return note;
  }
}

// A syntax error: its line, the character it points at, and its message
// under the line. It goes at the next edit.
const error = markField((m, tr) => (tr.docChanged ? Decoration.none : m));

const theme = EditorView.theme({
  '&': { backgroundColor: 'transparent', color: 'var(--ink)', fontSize: '.84rem' },
  '&.cm-focused': { outline: '2px solid var(--python)', outlineOffset: '-2px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-content': { padding: '.8rem 0', caretColor: 'var(--ink)' },
  '.cm-cursor': { borderLeftColor: 'var(--ink)' },
  '.cm-gutters': { backgroundColor: 'transparent', color: 'var(--muted)', border: 'none' },
  // The cursor's line shows in the gutter only: a tint behind the code
  // would take the keywords' colours under the contrast they need.
  '.cm-activeLineGutter': { backgroundColor: 'transparent', color: 'var(--ink)', fontWeight: '600' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection':
    { backgroundColor: 'color-mix(in srgb, var(--accent) 28%, transparent)' },
  '&.cm-focused .cm-matchingBracket': { backgroundColor: 'color-mix(in srgb, var(--ok) 30%, transparent)' },
});

const open = new WeakMap();

// A listing's editor: its code, its marks, the cursor.
class Handle {
  constructor(host, doc, label) {
    this.handlers = {};
    const run = () => { this.handlers.run?.(); return true; };
    this.view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc,
        extensions: [
          lineNumbers(), highlightActiveLineGutter(), history(),
          drawSelection(), indentOnInput(), bracketMatching(), indentUnit.of('    '),
          EditorState.tabSize.of(4), python(), syntaxHighlighting(classes), theme,
          steps.field, error.field, changed.field,
          keymap.of([{ key: 'Mod-Enter', run }, ...defaultKeymap, ...historyKeymap, indentWithTab]),
          // tabindex: a focusable element in the scroller, which
          // assistive tools look for (contenteditable alone is not enough
          // for some).
          EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) this.handlers.change?.(u.state.doc.toString());
          }),
        ],
      }),
    });
    open.set(host, this);
  }

  // What the page calls back: change(code) after each edit, run() on
  // Ctrl/Cmd-Enter. A module that takes the page over sets its own.
  listen(handlers) { this.handlers = handlers || {}; }

  doc() { return this.view.state.doc.toString(); }

  // Replaces the whole code (Reset, an experiment): one undoable change.
  // `marked`: the lines, from 1, to mark as changed ([first, last]).
  setDoc(text, marked) {
    const { view } = this;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    const { doc } = view.state;
    const ranges = [];
    if (marked) {
      for (let n = marked[0]; n <= marked[1] && n <= doc.lines; n++) {
        ranges.push(Decoration.line({ class: 'changed' }).range(doc.line(n).from));
      }
    }
    const effects = [changed.set.of(Decoration.set(ranges))];
    if (ranges.length) effects.push(EditorView.scrollIntoView(ranges[0].from, { y: 'nearest' }));
    view.dispatch({ effects });
  }

  // marks: [{ line, who, current }], lines from 1. The current one is
  // brought into view, in the editor only.
  markSteps(marks) {
    const { state } = this.view;
    const ranges = [];
    let current = null;
    for (const m of [...marks].sort((a, b) => a.line - b.line)) {
      if (m.line < 1 || m.line > state.doc.lines) continue;
      const at = state.doc.line(m.line).from;
      const attributes = { 'data-who': m.who };
      if (m.current) { attributes['aria-current'] = 'step'; current = at; }
      ranges.push(Decoration.line({ class: 'at', attributes }).range(at));
    }
    const effects = [steps.set.of(RangeSet.of(ranges))];
    if (current !== null) effects.push(EditorView.scrollIntoView(current, { y: 'nearest' }));
    this.view.dispatch({ effects });
  }

  // line and column from 1, as Python counts them.
  markError(line, column, message) {
    const { doc } = this.view.state;
    if (line < 1 || line > doc.lines) line = doc.lines;
    const l = doc.line(line);
    const from = Math.min(l.from + Math.max(column, 1) - 1, l.to);
    const to = Math.min(from + 1, l.to);
    const ranges = [Decoration.line({ class: 'cm-error-line' }).range(l.from)];
    if (to > from) ranges.push(Decoration.mark({ class: 'cm-error-at' }).range(from, to));
    ranges.push(Decoration.widget({ widget: new ErrorNote(message), block: true, side: 1 }).range(l.to));
    this.view.dispatch({
      effects: [error.set.of(Decoration.set(ranges, true)), EditorView.scrollIntoView(from, { y: 'nearest' })],
      selection: { anchor: from },
    });
  }

  clearError() { this.view.dispatch({ effects: error.set.of(Decoration.none) }); }

  // Puts the cursor at the start of `line` (from 1) and the focus here.
  goTo(line) {
    const { doc } = this.view.state;
    const at = doc.line(Math.min(Math.max(line, 1), doc.lines)).from;
    this.view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
    this.view.focus();
  }

  focus() { this.view.focus(); }

  destroy() {
    open.delete(this.view.dom.parentElement);
    this.view.destroy();
  }
}

// A code link's text: the code deflated (the browser's own
// CompressionStream) and written in base64url, to sit after `#id/code/`.
async function pack(text) {
  const deflated = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(deflated).arrayBuffer());
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// The code a link's text holds; rejects with why, for a link that was cut
// or changed.
async function unpack(packed) {
  const base64 = packed.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(inflated).text();
}

// Puts `text` on the clipboard; rejects where the browser does not allow
// it (a page opened from a file, say).
async function copy(text) {
  if (!navigator.clipboard) throw new Error('no clipboard here');
  await navigator.clipboard.writeText(text);
}

self.tourEditor = {
  pack,
  unpack,
  copy,
  // Opens an editor in `host` with `doc`; `label` names it for screen
  // readers.
  open: (host, doc, label) => new Handle(host, doc, label),
  // The editor already open in `host`, if any (a module taking the page
  // over finds the one the first module opened).
  find: (host) => open.get(host) ?? null,
};
