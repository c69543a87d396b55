import { describe, expect, it } from 'vitest';
import type { Proposal } from './bindings';
import {
  documentRequest,
  fileExtension,
  hasPreview,
  kilobytes,
  packMunicipalities,
  placedCases,
  validateDocument,
  type DocumentInput,
} from './documents';

function proposal(case_no: string, municipality: number, name: string, status: Proposal['status']): Proposal {
  return {
    case_no,
    persons: 3,
    needs: [],
    link_group: null,
    year: 2026,
    municipality,
    municipality_name: name,
    status,
    score: 1,
    reasons: [],
    method: 'optimal',
    override_reason: null,
    proposed_by: 'kim',
    proposed_at: '2026-11-23T10:00:00Z',
    model_version: null,
    forecast: null,
  };
}

const proposals = [
  proposal('B-2', 751, 'Aarhus', 'confirmed'),
  proposal('A-1', 751, 'Aarhus', 'confirmed'),
  proposal('C-3', 101, 'København', 'consulted'),
  proposal('D-4', 461, 'Odense', 'declined'),
  proposal('E-5', 461, 'Odense', 'confirmed'),
];

const blank: DocumentInput = { kind: 'declaration', caseNo: '', language: '', placed: '', municipality: '', year: 2026, period: '', format: 'xlsx', member: '', reportLanguage: '' };

describe('documents', () => {
  it('offers a referral for every active placement, never a declined one', () => {
    expect(placedCases(proposals).map((p) => p.case_no)).toEqual(['A-1', 'B-2', 'C-3', 'E-5']);
  });

  it('offers a pack only where households are confirmed, with their count, in Danish order', () => {
    // Danish collation reads "Aa" as "Å", the alphabet's last letter.
    expect(packMunicipalities(proposals)).toEqual([
      { code: 461, name: 'Odense', households: 1 },
      { code: 751, name: 'Aarhus', households: 2 },
    ]);
  });

  it('asks for what each kind of document needs', () => {
    expect(validateDocument(blank)).toEqual({ case: 'docs.caseRequired', language: 'docs.choiceRequired' });
    expect(validateDocument({ ...blank, caseNo: ' X-1 ', language: 'ar' })).toEqual({ case: undefined, language: undefined });
    expect(validateDocument({ ...blank, kind: 'pack' })).toEqual({ municipality: 'docs.choiceRequired' });
    expect(validateDocument({ ...blank, kind: 'quota_report', period: '2026' })).toEqual({ period: undefined });
    expect(validateDocument({ ...blank, kind: 'access_report' })).toEqual({ case: 'docs.caseRequired', member: undefined });
    expect(validateDocument({ ...blank, kind: 'access_report', caseNo: 'X-1', member: '0' })).toEqual({ case: undefined, member: 'docs.memberInvalid' });
    expect(validateDocument({ ...blank, kind: 'access_report', caseNo: 'X-1', member: 'two' }).member).toBe('docs.memberInvalid');
    expect(validateDocument({ ...blank, kind: 'access_report', caseNo: 'X-1', member: ' 2 ' }).member).toBeUndefined();
  });

  it('makes the request the shell expects', () => {
    expect(documentRequest({ ...blank, caseNo: ' X-1 ', language: 'ar' })).toEqual({ kind: 'declaration', case_no: 'X-1', language: 'ar' });
    expect(documentRequest({ ...blank, kind: 'referral', placed: 'A-1' })).toEqual({ kind: 'referral', case_no: 'A-1' });
    expect(documentRequest({ ...blank, kind: 'pack', municipality: '751' })).toEqual({ kind: 'pack', municipality: 751, year: 2026 });
    expect(documentRequest({ ...blank, kind: 'quota_report', period: '2026' })).toEqual({ kind: 'quota_report', period: 2026 });
    expect(documentRequest({ ...blank, kind: 'statistics', format: 'csv' })).toEqual({ kind: 'statistics', year: 2026, format: 'csv' });
    expect(validateDocument({ ...blank, kind: 'statistics' })).toEqual({});
    expect([fileExtension('statistics', 'csv'), fileExtension('pack', 'csv')]).toEqual(['csv', 'pdf']);
    expect([hasPreview('statistics', 'xlsx'), hasPreview('statistics', 'pdf'), hasPreview('quota_report', 'xlsx')]).toEqual([false, true, true]);
    expect(documentRequest({ ...blank, kind: 'access_report', caseNo: ' X-1 ' })).toEqual({ kind: 'access_report', case_no: 'X-1', member: null, language: null });
    expect(documentRequest({ ...blank, kind: 'access_report', caseNo: 'X-1', member: '2', reportLanguage: 'ar' })).toEqual({ kind: 'access_report', case_no: 'X-1', member: 2, language: 'ar' });
  });

  it('shows a small file as at least 1 KB', () => {
    expect(kilobytes(10)).toBe(1);
    expect(kilobytes(2048)).toBe(2);
  });
});
