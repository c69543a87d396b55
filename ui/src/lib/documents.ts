// The Documents view's choices and checks, free of the shell so they can be tested: which
// households a referral can be made for, which municipalities have a pack, and the
// request a filled-in form makes.
import type { DocumentRequest, Proposal, ProposalStatus, StatisticsFormat } from './bindings';
import type { MessageKey } from './messages';
import type { FieldErrors } from './quota';

export const documentKinds = ['declaration', 'referral', 'pack', 'quota_report', 'statistics', 'access_report'] as const;
export type DocumentKind = (typeof documentKinds)[number];

export function isDocumentKind(value: unknown): value is DocumentKind {
  return typeof value === 'string' && (documentKinds as readonly string[]).includes(value);
}

export interface PlacedCase {
  case_no: string;
  municipality: string;
  status: ProposalStatus;
}

/** Households with an active placement (not declined), by case number. */
export function placedCases(proposals: readonly Proposal[]): PlacedCase[] {
  return proposals
    .filter((p) => p.status !== 'declined')
    .map((p) => ({ case_no: p.case_no, municipality: p.municipality_name, status: p.status }))
    .sort((a, b) => a.case_no.localeCompare(b.case_no));
}

export interface PackMunicipality {
  code: number;
  name: string;
  households: number;
}

/** Municipalities with at least one confirmed household: those a pack can be made for. */
export function packMunicipalities(proposals: readonly Proposal[]): PackMunicipality[] {
  const by = new Map<number, PackMunicipality>();
  for (const p of proposals) {
    if (p.status !== 'confirmed') continue;
    const m = by.get(p.municipality) ?? { code: p.municipality, name: p.municipality_name, households: 0 };
    m.households += 1;
    by.set(p.municipality, m);
  }
  return [...by.values()].sort((a, b) => a.name.localeCompare(b.name, 'da'));
}

export interface DocumentInput {
  kind: DocumentKind;
  caseNo: string;
  language: string;
  placed: string;
  municipality: string;
  year: number;
  period: string;
  format: StatisticsFormat;
  /** The access report's member (from 1), or blank for the whole household. */
  member: string;
  /** The access report's language besides Danish, or blank for the person's own. */
  reportLanguage: string;
}

export type DocumentField = 'case' | 'language' | 'placed' | 'municipality' | 'period' | 'member';

export function validateDocument(input: DocumentInput): FieldErrors<DocumentField> {
  const required: MessageKey = 'docs.choiceRequired';
  switch (input.kind) {
    case 'declaration':
      return {
        case: input.caseNo.trim() ? undefined : 'docs.caseRequired',
        language: input.language ? undefined : required,
      };
    case 'referral':
      return { placed: input.placed ? undefined : required };
    case 'pack':
      return { municipality: input.municipality ? undefined : required };
    case 'quota_report':
      return { period: input.period ? undefined : required };
    case 'statistics':
      return {};
    case 'access_report':
      return {
        case: input.caseNo.trim() ? undefined : 'docs.caseRequired',
        member: input.member.trim() === '' || /^[1-9][0-9]?$/.test(input.member.trim()) ? undefined : 'docs.memberInvalid',
      };
  }
}

/** The request of a checked form. */
export function documentRequest(input: DocumentInput): DocumentRequest {
  switch (input.kind) {
    case 'declaration':
      return { kind: 'declaration', case_no: input.caseNo.trim(), language: input.language };
    case 'referral':
      return { kind: 'referral', case_no: input.placed };
    case 'pack':
      return { kind: 'pack', municipality: Number(input.municipality), year: input.year };
    case 'quota_report':
      return { kind: 'quota_report', period: Number(input.period) };
    case 'statistics':
      return { kind: 'statistics', year: input.year, format: input.format };
    case 'access_report':
      return {
        kind: 'access_report',
        case_no: input.caseNo.trim(),
        member: input.member.trim() ? Number(input.member.trim()) : null,
        language: input.reportLanguage || null,
      };
  }
}

/** The file a document is saved as: the statistics as chosen, everything else a PDF. */
export function fileExtension(kind: DocumentKind, format: StatisticsFormat): string {
  return kind === 'statistics' ? format : 'pdf';
}

/** Whether the window can show the document before it is saved (a PDF can). */
export function hasPreview(kind: DocumentKind, format: StatisticsFormat): boolean {
  return fileExtension(kind, format) === 'pdf';
}

/** Kilobytes for the user, rounded up so a small file never shows as 0. */
export function kilobytes(bytes: number): number {
  return Math.ceil(bytes / 1024);
}
