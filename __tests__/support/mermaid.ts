import type { Mermaid } from 'mermaid';

/** What Mermaid's flowchart parser made of a diagram. */
export interface ParsedFlowchart {
  readonly type: string;
  readonly vertices: { readonly id: string; readonly text: string; readonly type?: string }[];
  readonly edges: {
    readonly start: string;
    readonly end: string;
    readonly text: string;
    readonly stroke: string;
  }[];
  readonly subgraphs: { readonly id: string; readonly title: string; readonly nodes: readonly string[] }[];
}

let loading: Promise<Mermaid> | undefined;

/**
 * Mermaid itself, in node: its text sanitizer (DOMPurify) takes the DOM it finds when it loads,
 * so a linkedom window stands in for that moment only and is removed again (other test files
 * share this process; the parser needs no DOM afterwards).
 */
function mermaid(): Promise<Mermaid> {
  loading ??= (async () => {
    const { parseHTML } = await import('linkedom');
    const dom = parseHTML('<!doctype html><html><body></body></html>');
    const g = globalThis as Record<string, unknown>;
    const before = { window: g.window, document: g.document };
    g.window = dom.window;
    g.document = dom.document;
    try {
      const { default: loaded } = await import('mermaid');
      loaded.initialize({ startOnLoad: false });
      return loaded;
    } finally {
      g.window = before.window;
      g.document = before.document;
      if (before.window === undefined) delete g.window;
      if (before.document === undefined) delete g.document;
    }
  })();
  return loading;
}

/** Mermaid's `#name;` entities, which its parser keeps in an internal encoding. */
const decodeEntities = (text: string) => text.replace(/ﬂ°(\w+)¶ß/g, '#$1;').replace(/ﬂ°°(\d+)¶ß/g, '#$1;');

/** Parses `text` with Mermaid's own flowchart grammar; rejects with Mermaid's parse error. */
export async function parseFlowchart(text: string): Promise<ParsedFlowchart> {
  const api = await mermaid();
  await api.parse(text);
  const diagram = await api.mermaidAPI.getDiagramFromText(text);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const db = diagram.db as any;
  return {
    type: diagram.type,
    vertices: [
      ...(db.getVertices() as Map<string, { id: string; text: string; type?: string }>).values(),
    ].map((v) => ({ id: v.id, text: decodeEntities(v.text), type: v.type })),
    edges: (db.getEdges() as { start: string; end: string; text: string; stroke: string }[]).map((e) => ({
      start: e.start,
      end: e.end,
      text: decodeEntities(e.text),
      stroke: e.stroke,
    })),
    subgraphs: (db.getSubGraphs() as { id: string; title: string; nodes: string[] }[]).map((s) => ({
      id: s.id,
      title: decodeEntities(s.title),
      nodes: s.nodes,
    })),
  };
}
