import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from './line-splitter.ts';

/** Feeds `chunks` and returns what the sink saw: lines with their breaks, and pieces of long lines. */
function split(chunks: string[], maxLine: number, takePieces: boolean): string[] {
  const seen: string[] = [];
  const splitter = new LineSplitter(
    {
      line: (line, eol) => seen.push(`line ${JSON.stringify(line.toString() + eol.toString())}`),
      longLine: (length) => {
        seen.push(`long ${length}`);
        return takePieces;
      },
      piece: (piece) => seen.push(`piece ${JSON.stringify(piece.toString())}`),
    },
    maxLine,
  );
  for (const chunk of chunks) splitter.write(Buffer.from(chunk));
  splitter.end();
  return seen;
}

test('lines end at LF with the CR before it, across chunks; the last line may have no break', () => {
  assert.deepEqual(split(['a\r\nb', 'c\r', '\nd\ne'], 100, true), [
    'line "a\\r\\n"',
    'line "bc\\r\\n"',
    'line "d\\n"',
    'line "e"',
  ]);
});

test('a line longer than maxLine comes in pieces when the sink takes them, else it is collected', () => {
  assert.deepEqual(split(['abcd', 'efgh', 'ij\r\n'], 3, true), [
    'long 4',
    'piece "abcd"',
    'long 4',
    'piece "efgh"',
    'line "ij\\r\\n"',
  ]);
  assert.deepEqual(split(['abcd', 'efgh', 'ij\r\n'], 3, false), [
    'long 4',
    'long 8',
    'line "abcdefghij\\r\\n"',
  ]);
});
