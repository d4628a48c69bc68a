import type { Grade, Remark, RemarkSeverity } from './model.ts';

export function remark(code: string, severity: RemarkSeverity, message: string): Remark {
  return { code, severity, message };
}

/** The grade remarks add up to: any error is an error, then temperror, then any warning makes it ok. */
export function gradeOf(remarks: readonly Remark[]): Grade {
  if (remarks.some((r) => r.severity === 'error')) return 'error';
  if (remarks.some((r) => r.severity === 'temperror')) return 'temperror';
  if (remarks.some((r) => r.severity === 'warning')) return 'ok';
  return 'perfect';
}

const ORDER: Record<Grade, number> = { perfect: 0, ok: 1, temperror: 2, error: 3 };

/** The worse of grades (error > temperror > ok > perfect). */
export function worstGrade(grades: readonly Grade[]): Grade {
  return grades.reduce<Grade>((w, g) => (ORDER[g] > ORDER[w] ? g : w), 'perfect');
}

/** The same name compared as DNS compares names: case-insensitive, with or without a trailing dot. */
export function sameName(a: string, b: string): boolean {
  const n = (s: string) => s.toLowerCase().replace(/\.$/, '');
  return n(a) === n(b);
}
