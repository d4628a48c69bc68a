/**
 * The aggregate (rua) report parser: text in, a header and batches of records out, in bounded memory. It reads
 * the draft-era schema, RFC 7489 Appendix C and RFC 9990 (namespaced or not) with one set of rules, because the
 * three share their element names; where they differ (np, testing, discovery_method, pct) both are kept.
 */
import * as field from './aggregate-fields.ts';
import { normaliseIp } from '../ip/index.ts';
import {
  DMARC_2_NAMESPACE,
  type AggregateHeader,
  type AggregateRecord,
  type AggregateSchema,
  type DkimAuthResult,
  type PolicyOverride,
  type SpfAuthResult,
} from './model.ts';
import { ReportRefusal } from './refusal.ts';
import { DEFAULT_XML_LIMITS, XmlTokenizer, type XmlLimits, type XmlListener } from './xml-tokenizer.ts';

export interface AggregateLimits {
  readonly maxRecords: number;
  /** Repairs beyond this mean the document is more damage than report. */
  readonly maxRecoveries: number;
  readonly xml: XmlLimits;
}

export const DEFAULT_AGGREGATE_LIMITS: AggregateLimits = {
  maxRecords: 10_000_000,
  maxRecoveries: 1000,
  xml: DEFAULT_XML_LIMITS,
};

const MAX_AUTH_RESULTS = 16;
const MAX_REASONS = 8;
const MAX_ERRORS = 16;
const MAX_VALUE = 255;

interface RecordDraft {
  sourceIp: string;
  count: string;
  disposition: string;
  dkim: string;
  spf: string;
  reasons: PolicyOverride[];
  headerFrom: string | null;
  envelopeFrom: string | null;
  envelopeTo: string | null;
  dkimResults: DkimAuthResult[];
  spfResults: SpfAuthResult[];
}

interface AuthDraft {
  kind: 'dkim' | 'spf';
  domain: string;
  selector: string;
  scope: string;
  result: string;
  humanResult: string;
}

const value = (text: string) => field.optional(text.length > MAX_VALUE ? text.slice(0, MAX_VALUE) : text);

function localName(name: string): string {
  const colon = name.indexOf(':');
  const local = colon < 0 ? name : name.slice(colon + 1);
  const c = local.charCodeAt(0);
  return c >= 65 && c <= 90 ? local.toLowerCase() : local;
}

export class AggregateParser implements XmlListener {
  header: AggregateHeader | null = null;
  recordCount = 0;
  messageCount = 0;
  skippedRecords = 0;
  readonly notes: string[] = [];
  #batch: AggregateRecord[] = [];
  readonly #tokenizer: XmlTokenizer;
  readonly #limits: AggregateLimits;
  readonly #path: string[] = [''];
  #namespaced = false;
  /** Depth of the element around `<feedback>` (0 when `<feedback>` is the root); -1 until it is found. */
  #base = -1;
  #feedbackClosed = false;
  #rootName: string | null = null;
  readonly #meta = new Map<string, string>();
  readonly #policy = new Map<string, string>();
  readonly #errors: string[] = [];
  #record: RecordDraft | null = null;
  #auth: AuthDraft | null = null;
  #reason: { type: string; comment: string } | null = null;

  constructor(limits: AggregateLimits = DEFAULT_AGGREGATE_LIMITS) {
    this.#limits = limits;
    this.#tokenizer = new XmlTokenizer(this, limits.xml);
  }

  write(text: string): void {
    this.#tokenizer.write(text);
    if (this.#tokenizer.recoveries > this.#limits.maxRecoveries) {
      throw new ReportRefusal('not_well_formed', `more than ${this.#limits.maxRecoveries} repairs needed`);
    }
  }

  /** Records parsed since the last call. */
  takeRecords(): AggregateRecord[] {
    const out = this.#batch;
    this.#batch = [];
    return out;
  }

  get pendingRecords(): number {
    return this.#batch.length;
  }

  get recoveries(): number {
    return this.#tokenizer.recoveries;
  }

  allNotes(): string[] {
    return [...this.#tokenizer.notes, ...this.notes].slice(0, 10);
  }

  /**
   * Call after the last text. Refuses a document cut inside a record; forgives one whose only missing piece is the
   * final `</feedback>` (AOL, 2012), since no data is lost with it.
   */
  end(): AggregateHeader {
    const complete = this.#tokenizer.end();
    if (!this.#tokenizer.rootSeen) throw new ReportRefusal('not_a_report', 'no XML element found');
    if (this.#base < 0) {
      throw new ReportRefusal(
        'not_a_report',
        `the root element is <${(this.#rootName ?? '').slice(0, 40)}>, not <feedback>`,
      );
    }
    if (!this.#feedbackClosed) {
      if (this.#record !== null || this.#tokenizer.depth > this.#base + 1 || !this.#tokenizer.carryEmpty) {
        throw new ReportRefusal('truncated', 'the XML ends inside a record');
      }
      this.#note('the document ends without </feedback>');
    } else if (!complete) this.#note('elements around <feedback> are not closed');
    return this.header ?? this.#buildHeader();
  }

  open(name: string, attributes: string, depth: number): void {
    const local = localName(name);
    if (this.#base < 0 || this.#feedbackClosed) {
      this.#findFeedback(local, attributes, depth);
      return;
    }
    depth -= this.#base;
    this.#path[depth] = local;
    if (depth === 2 && local === 'record') {
      this.header ??= this.#buildHeader();
      this.#record = {
        sourceIp: '',
        count: '',
        disposition: '',
        dkim: '',
        spf: '',
        reasons: [],
        headerFrom: null,
        envelopeFrom: null,
        envelopeTo: null,
        dkimResults: [],
        spfResults: [],
      };
      return;
    }
    if (this.#record === null) return;
    if (local === 'reason') this.#reason = { type: '', comment: '' };
    else if ((local === 'dkim' || local === 'spf') && this.#path[depth - 1] === 'auth_results') {
      this.#auth = { kind: local, domain: '', selector: '', scope: '', result: '', humanResult: '' };
    }
  }

  close(_name: string, text: string, depth: number): void {
    if (this.#base < 0 || this.#feedbackClosed) return;
    depth -= this.#base;
    if (depth === 1) {
      this.#feedbackClosed = true;
      return;
    }
    const local = this.#path[depth]!;
    const parent = this.#path[depth - 1]!;
    if (this.#record !== null) {
      if (depth === 2) {
        if (local === 'record') this.#finishRecord(this.#record);
      } else this.#closeInRecord(this.#record, local, parent, text);
      return;
    }
    if (parent === 'report_metadata' || parent === 'date_range') {
      if (local === 'error') {
        if (this.#errors.length < MAX_ERRORS && text.trim() !== '')
          this.#errors.push(text.trim().slice(0, 1000));
      } else this.#setOnce(this.#meta, local, text);
    } else if (parent === 'policy_published') this.#setOnce(this.#policy, local, text);
    else if (parent === 'feedback' && local === 'version') this.#setOnce(this.#meta, local, text);
  }

  /**
   * The root is `<feedback>`. Some generators wrap it (IKEA: inside an unclosed `<xs:schema>`), so it is looked for
   * down to depth 3; anything else at the top is not an aggregate report.
   */
  #findFeedback(local: string, attributes: string, depth: number): void {
    if (this.#feedbackClosed) {
      this.#note('content after </feedback> is ignored');
      return;
    }
    if (this.#rootName === null) this.#rootName = local;
    if (local === 'feedback') {
      if (depth > 1) this.#note(`<feedback> is wrapped in <${this.#rootName.slice(0, 40)}>`);
      this.#base = depth - 1;
      this.#path[1] = 'feedback';
      this.#namespaced = attributes.includes(DMARC_2_NAMESPACE);
      return;
    }
    if (depth >= 3) {
      throw new ReportRefusal(
        'not_a_report',
        `the root element is <${this.#rootName.slice(0, 40)}>, not <feedback>`,
      );
    }
  }

  #setOnce(map: Map<string, string>, key: string, text: string): void {
    if (this.header !== null) {
      this.#note(`<${key}> after the first record is ignored`);
      return;
    }
    if (!map.has(key)) map.set(key, text.length > MAX_VALUE * 4 ? text.slice(0, MAX_VALUE * 4) : text);
  }

  #closeInRecord(r: RecordDraft, local: string, parent: string, text: string): void {
    switch (parent) {
      case 'row':
      case 'record':
        if (local === 'source_ip') r.sourceIp = text;
        else if (local === 'count') r.count = text;
        return;
      case 'policy_evaluated':
        if (local === 'disposition') r.disposition = text;
        else if (local === 'dkim') r.dkim = text;
        else if (local === 'spf') r.spf = text;
        else if (local === 'reason' && this.#reason !== null) {
          const type = field.overrideType(this.#reason.type);
          if (type !== null && r.reasons.length < MAX_REASONS) {
            r.reasons.push({ type, comment: value(this.#reason.comment) });
          }
          this.#reason = null;
        }
        return;
      case 'reason':
        if (this.#reason === null) return;
        if (local === 'type') this.#reason.type = text;
        else if (local === 'comment') this.#reason.comment = text;
        return;
      case 'identifiers':
      case 'identities':
        if (local === 'header_from') r.headerFrom = field.domainName(text);
        else if (local === 'envelope_from') r.envelopeFrom = field.domainName(text);
        else if (local === 'envelope_to') r.envelopeTo = field.domainName(text);
        return;
      case 'auth_results':
        if ((local === 'dkim' || local === 'spf') && this.#auth !== null) this.#finishAuth(r, this.#auth);
        return;
      case 'dkim':
      case 'spf': {
        const a = this.#auth;
        if (a === null) return;
        if (local === 'domain') a.domain = text;
        else if (local === 'selector') a.selector = text;
        else if (local === 'result') a.result = text;
        else if (local === 'scope') a.scope = text;
        else if (local === 'human_result') a.humanResult = text;
        return;
      }
      default:
        return;
    }
  }

  #finishAuth(r: RecordDraft, a: AuthDraft): void {
    this.#auth = null;
    if (a.kind === 'dkim') {
      if (r.dkimResults.length >= MAX_AUTH_RESULTS) return;
      r.dkimResults.push({
        domain: field.domainName(a.domain),
        selector: value(a.selector),
        result: field.dkimResult(a.result),
        humanResult: value(a.humanResult),
      });
    } else {
      if (r.spfResults.length >= MAX_AUTH_RESULTS) return;
      r.spfResults.push({
        domain: field.domainName(a.domain),
        scope: field.optional(a.scope) === null ? null : field.word(a.scope),
        result: field.spfResult(a.result),
        humanResult: value(a.humanResult),
      });
    }
  }

  #finishRecord(r: RecordDraft): void {
    this.#record = null;
    const sourceIp = normaliseIp(r.sourceIp.trim());
    const count = field.messageCount(r.count);
    if (sourceIp === null || count === null) {
      this.skippedRecords++;
      this.#note(
        sourceIp === null
          ? `a record with source_ip "${r.sourceIp.trim().slice(0, 60)}" was skipped`
          : `a record with count "${r.count.trim().slice(0, 20)}" was skipped`,
      );
      return;
    }
    if (++this.recordCount > this.#limits.maxRecords) {
      throw new ReportRefusal('too_many_records', `more than ${this.#limits.maxRecords} records`);
    }
    let disposition = field.disposition(r.disposition);
    if (disposition === null) {
      this.#note(`unknown disposition "${r.disposition.trim().slice(0, 20)}" read as none`);
      disposition = 'none';
    }
    this.messageCount += count;
    this.#batch.push({
      sourceIp,
      count,
      disposition,
      dkim: field.aligned(r.dkim),
      spf: field.aligned(r.spf),
      reasons: r.reasons,
      headerFrom: r.headerFrom,
      envelopeFrom: r.envelopeFrom,
      envelopeTo: r.envelopeTo,
      dkimResults: r.dkimResults,
      spfResults: r.spfResults,
    });
  }

  #buildHeader(): AggregateHeader {
    const m = this.#meta;
    const p = this.#policy;
    const text = (map: Map<string, string>, key: string) => map.get(key) ?? '';
    const reportId = field.optional(text(m, 'report_id'));
    const begin = field.unixSeconds(text(m, 'begin'));
    const end = field.unixSeconds(text(m, 'end'));
    const domain = field.domainName(text(p, 'domain'));
    const missing = [
      reportId === null ? 'report_metadata/report_id' : null,
      begin === null ? 'report_metadata/date_range/begin' : null,
      end === null ? 'report_metadata/date_range/end' : null,
      domain === null ? 'policy_published/domain' : null,
    ].filter((x) => x !== null);
    if (missing.length > 0) throw new ReportRefusal('missing_field', missing.join(', '));
    const np = field.policyAction(text(p, 'np'));
    const testing = field.testing(text(p, 'testing'));
    const discoveryMethod = field.discoveryMethod(text(p, 'discovery_method'));
    const version = field.optional(text(m, 'version'));
    // RFC 9990 is namespaced; a report without the namespace that uses its new fields is read as RFC 9990 too.
    const schema: AggregateSchema =
      this.#namespaced || np !== null || testing !== null || discoveryMethod !== null
        ? 'rfc9990'
        : version !== null
          ? 'rfc7489'
          : 'draft';
    return {
      schema,
      version,
      orgName: text(m, 'org_name').trim().slice(0, MAX_VALUE),
      email: value(text(m, 'email')),
      extraContactInfo: value(text(m, 'extra_contact_info')),
      reportId: reportId!.slice(0, MAX_VALUE),
      begin: begin!,
      end: Math.max(begin!, end!),
      errors: this.#errors,
      generator: value(text(m, 'generator')),
      policy: {
        domain: domain!,
        adkim: field.alignment(text(p, 'adkim')),
        aspf: field.alignment(text(p, 'aspf')),
        p: field.policyAction(text(p, 'p')),
        sp: field.policyAction(text(p, 'sp')),
        np,
        pct: field.percentage(text(p, 'pct')),
        fo: value(text(p, 'fo')),
        testing,
        discoveryMethod,
      },
    };
  }

  #note(note: string): void {
    if (this.notes.length < 5) this.notes.push(note);
  }
}
