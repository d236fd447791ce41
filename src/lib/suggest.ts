/**
 * Optimal string alignment distance (Damerau-Levenshtein where each substring is edited once):
 * insertions, deletions, substitutions and swaps of two adjacent characters each cost 1.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[rows - 1][cols - 1];
}

/** Case and separators (`_`, `-`, `.`, space) do not make two names different for a suggestion. */
function normalize(value: string): string {
  return value.toLowerCase().replace(/[_\-.\s]/g, '');
}

/** Edits allowed for a value of this length: about one in three characters, at least one. */
function allowedEdits(length: number): number {
  return Math.max(1, Math.floor(length / 3));
}

/**
 * The candidate the user most likely meant, for a "did you mean" hint: `stagign` -> `staging`,
 * `statebucket` -> `stateBucket`, `api_imagetag` -> `api_image_tag`, `ap-northest-2` ->
 * `ap-northeast-2`. Candidates equal to `value` up to case and separators win; otherwise the
 * closest within about a third of the value's length; failing that, the only candidate that
 * `value` (3 characters or more) abbreviates (`prod` for `production`). Undefined when nothing is
 * close, when `value` is itself a candidate, or when two candidates tie.
 */
export function didYouMean(value: string, candidates: Iterable<string>): string | undefined {
  const list = [...new Set(candidates)];
  if (list.includes(value) || value.length === 0) return undefined;
  const target = normalize(value);
  const scored = list
    .map((candidate) => ({ candidate, distance: editDistance(target, normalize(candidate)) }))
    .sort((x, y) => x.distance - y.distance);
  const best = scored[0];
  if (!best) return undefined;
  const limit = Math.min(allowedEdits(target.length), allowedEdits(normalize(best.candidate).length));
  if (best.distance > limit) {
    const abbreviated = list.filter((c) => target.length >= 3 && normalize(c).startsWith(target));
    return abbreviated.length === 1 ? abbreviated[0] : undefined;
  }
  if (scored[1] && scored[1].distance === best.distance) return undefined;
  return best.candidate;
}

/** ` (did you mean X?)` or nothing, to append to a rule. */
export function suggestion(value: string, candidates: Iterable<string>): string {
  const hidden = typeof value === 'string' ? invisibleCharacterNote(value) : undefined;
  if (hidden !== undefined) return ` (the value ${hidden})`;
  const match = didYouMean(value, candidates);
  return match === undefined ? '' : ` (did you mean ${match}?)`;
}

/** Characters a reader cannot see in a report, by name. */
const INVISIBLE: Readonly<Record<string, string>> = {
  '\u00a0': 'a non-breaking space (U+00A0)',
  '\u200b': 'a zero-width space (U+200B)',
  '\u200c': 'a zero-width non-joiner (U+200C)',
  '\u200d': 'a zero-width joiner (U+200D)',
  '\u2060': 'a word joiner (U+2060)',
  '\ufeff': 'a byte-order mark (U+FEFF)',
  '\t': 'a tab',
  // Shown raw, a line break would split the report's one line per problem.
  '\n': 'a line break',
  '\r': 'a carriage return',
};

/**
 * What a reader cannot see in `value`: `ends with a space`, `contains a zero-width space
 * (U+200B)`. Undefined when every character shows. A value that only differs from a valid one by
 * such a character is reported with this note instead of a "did you mean" that looks identical.
 */
export function invisibleCharacterNote(value: string): string | undefined {
  const hidden = [...value].find((c) => INVISIBLE[c] !== undefined);
  if (hidden !== undefined) return `contains ${INVISIBLE[hidden]}`;
  if (value.trim() === '' && value !== '') return 'is only whitespace';
  if (/^\s/.test(value)) return 'starts with a space';
  if (/\s$/.test(value)) return 'ends with a space';
  return undefined;
}
