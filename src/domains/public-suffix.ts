import { domainToASCII } from 'node:url';

/**
 * The Public Suffix List algorithm (https://publicsuffix.org/list/): the longest matching rule wins, an exception
 * rule (`!`) beats a wildcard (`*.`), and a name matching no rule falls under the implicit rule `*`.
 * Both the ICANN and the private sections are used, as OpenDMARC and parsedmarc do: `github.io` is a suffix.
 *
 * Names are compared as lower-case A-labels, so the list's Unicode rules are converted when it is loaded.
 */
export interface PublicSuffixList {
  /** The public suffix of `name` (lower-case A-labels, no trailing dot). */
  publicSuffix(name: string): string;
  /** The registrable domain (suffix plus one label), or null when `name` is itself a public suffix. */
  registrableDomain(name: string): string | null;
  /** The number of rules loaded, for a sanity check at start-up. */
  readonly size: number;
}

type Rule = 'normal' | 'wildcard' | 'exception';

export function parsePublicSuffixList(text: string): PublicSuffixList {
  // Rules are keyed by their labels; a wildcard `*.ck` is stored under `ck` as 'wildcard',
  // an exception `!www.ck` under `www.ck` as 'exception'. A name can carry both a normal and a wildcard rule.
  const normal = new Set<string>();
  const wildcard = new Set<string>();
  const exception = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim().split(/\s/)[0] ?? '';
    if (line === '' || line.startsWith('//')) continue;
    const [kind, body]: [Rule, string] = line.startsWith('!')
      ? ['exception', line.slice(1)]
      : line.startsWith('*.')
        ? ['wildcard', line.slice(2)]
        : ['normal', line];
    const ascii = domainToASCII(body);
    if (ascii === '') continue;
    (kind === 'normal' ? normal : kind === 'wildcard' ? wildcard : exception).add(ascii);
  }

  /** How many trailing labels form the public suffix. Candidates are tried longest first. */
  function suffixLength(labels: readonly string[]): number {
    const n = labels.length;
    for (let i = 0; i < n; i++) {
      const candidate = labels.slice(i).join('.');
      // An exception rule wins over everything; its suffix is the rule minus its leftmost label.
      if (exception.has(candidate)) return n - i - 1;
      // `*.candidate` matches one more label than `candidate`, so it is longer than a normal rule here.
      if (i > 0 && wildcard.has(candidate)) return n - i + 1;
      if (normal.has(candidate)) return n - i;
    }
    return 1; // the implicit `*` rule
  }

  return {
    size: normal.size + wildcard.size + exception.size,
    publicSuffix(name) {
      const labels = name.split('.');
      return labels.slice(labels.length - Math.min(suffixLength(labels), labels.length)).join('.');
    },
    registrableDomain(name) {
      const labels = name.split('.');
      const n = suffixLength(labels);
      if (labels.length <= n) return null;
      return labels.slice(labels.length - n - 1).join('.');
    },
  };
}
