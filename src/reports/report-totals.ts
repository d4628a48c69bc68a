/**
 * Per-report sums, accumulated as record batches stream past, in constant memory (the selector map is capped;
 * a report naming more selectors than that is not real and the excess is summed under "*").
 */
import type { AggregateRecord } from './model.ts';
import type { ReportTotals, SelectorFigures } from './ports.ts';

const MAX_SELECTORS = 1000;

export class ReportAccumulator {
  records = 0;
  messages = 0;
  dmarcPass = 0;
  dkimAligned = 0;
  spfAligned = 0;
  dispositionNone = 0;
  dispositionQuarantine = 0;
  dispositionReject = 0;
  readonly #selectors = new Map<
    string,
    { signingDomain: string; selector: string; messages: number; pass: number; fail: number }
  >();

  add(records: readonly AggregateRecord[]): void {
    for (const r of records) {
      const n = r.count;
      this.records++;
      this.messages += n;
      // RFC 7489 §4.2: DMARC passes when either aligned identifier passes.
      if (r.dkim === 'pass' || r.spf === 'pass') this.dmarcPass += n;
      if (r.dkim === 'pass') this.dkimAligned += n;
      if (r.spf === 'pass') this.spfAligned += n;
      if (r.disposition === 'quarantine') this.dispositionQuarantine += n;
      else if (r.disposition === 'reject') this.dispositionReject += n;
      else this.dispositionNone += n;
      for (const d of r.dkimResults) {
        if (d.selector === null && d.domain === null) continue;
        this.#selector(d.domain ?? '', d.selector ?? '', n, d.result === 'pass');
      }
    }
  }

  #selector(signingDomain: string, selector: string, n: number, pass: boolean): void {
    let key = `${signingDomain}\u0000${selector}`;
    let s = this.#selectors.get(key);
    if (s === undefined) {
      if (this.#selectors.size >= MAX_SELECTORS) {
        key = '*\u0000*';
        s = this.#selectors.get(key);
      }
      if (s === undefined) {
        s =
          key === '*\u0000*'
            ? { signingDomain: '*', selector: '*', messages: 0, pass: 0, fail: 0 }
            : { signingDomain, selector, messages: 0, pass: 0, fail: 0 };
        this.#selectors.set(key, s);
      }
    }
    s.messages += n;
    if (pass) s.pass += n;
    else s.fail += n;
  }

  totals(late: boolean, details: Record<string, unknown>): ReportTotals {
    return {
      records: this.records,
      messages: this.messages,
      dmarcPass: this.dmarcPass,
      dkimAligned: this.dkimAligned,
      spfAligned: this.spfAligned,
      dispositionNone: this.dispositionNone,
      dispositionQuarantine: this.dispositionQuarantine,
      dispositionReject: this.dispositionReject,
      tlsSuccessful: 0,
      tlsFailed: 0,
      late,
      selectors: [...this.#selectors.values()] as SelectorFigures[],
      details,
    };
  }
}
