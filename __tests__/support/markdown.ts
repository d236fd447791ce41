import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Markdown with fenced code blocks and HTML comments blanked out. Inline code spans are dropped,
 * or with `codeSpans: 'text'` kept as their text (as a heading renders them).
 */
export function proseOf(markdown: string, codeSpans: 'drop' | 'text' = 'drop'): string {
  const lines = markdown.split('\n');
  let fence: string | undefined;
  const kept = lines.map((line) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && marker) {
      fence = marker;
      return '';
    }
    if (fence !== undefined) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return '';
    }
    return line;
  });
  return kept
    .join('\n')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/(`+)([\s\S]*?)\1/g, (_, _ticks: string, code: string) => (codeSpans === 'text' ? code : ''));
}

/**
 * GitHub's heading anchor: lower case, punctuation and symbols dropped (letters of any script,
 * digits, `_`, `-` and spaces kept), each space a hyphen; github-slugger's rule.
 */
export function slugOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a markdown file offers: one per heading (repeats get -1, -2 ...) plus explicit HTML anchors. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const prose = proseOf(markdown, 'text');
  for (const line of prose.split('\n')) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    // The anchor is built from the rendered text: a link in a heading contributes its label.
    const text = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = slugOf(text);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const match of markdown.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(match[1]);
  return anchors;
}

/** Link targets of a markdown text: inline links and images, and reference definitions. */
export function linkTargetsOf(markdown: string): string[] {
  const prose = proseOf(markdown);
  const targets: string[] = [];
  for (const match of prose.matchAll(
    /!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
  )) {
    targets.push(match[1]);
  }
  for (const match of prose.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)) {
    targets.push(match[1]);
  }
  return targets;
}

/** True for targets that leave the repository: URLs with a scheme (https:, mailto:) or protocol-relative. */
function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}

/**
 * Problems with the relative links of one markdown file: a target file or folder that does not
 * exist, or an `#anchor` into a markdown file that has no such heading. External URLs are not
 * followed (nothing here leaves the machine).
 */
export function brokenLinks(root: string, file: string, markdown: string): string[] {
  const problems: string[] = [];
  for (const target of linkTargetsOf(markdown)) {
    if (isExternal(target)) continue;
    const hash = target.indexOf('#');
    const pathPart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
    const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
    if (pathPart === '') {
      if (anchor && !anchorsOf(markdown).has(anchor)) problems.push(`${file}: ${target} has no such heading`);
      continue;
    }
    const base = pathPart.startsWith('/') ? root : dirname(join(root, file));
    const resolved = resolve(base, pathPart.replace(/^\//, ''));
    const shown = relative(root, resolved) || '.';
    if (relative(root, resolved).startsWith('..')) {
      problems.push(`${file}: ${target} points outside the repository`);
      continue;
    }
    if (!existsSync(resolved)) {
      problems.push(`${file}: ${target} -> ${shown} does not exist`);
      continue;
    }
    if (anchor !== undefined && anchor !== '' && resolved.endsWith('.md')) {
      const anchors = anchorsOf(readFileSync(resolved, 'utf8'));
      if (!anchors.has(anchor)) problems.push(`${file}: ${target} -> ${shown} has no heading #${anchor}`);
    }
  }
  return problems;
}
