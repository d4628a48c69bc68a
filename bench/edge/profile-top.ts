/** node bench/edge/profile-top.ts <file.cpuprofile> [n] — the n (30) functions with the most self time, and by file. */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
const profile = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
};
const n = Number(process.argv[3] ?? 30);
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
for (const node of profile.nodes) {
  const t = self.get(node.id) ?? 0;
  const f = node.callFrame;
  const file = f.url.replace(/^.*\/(src|node_modules)\//, '$1/') || '(native)';
  const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + t);
  byFile.set(file, (byFile.get(file) ?? 0) + t);
}
const show = (m: Map<string, number>) => {
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${((t / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
};
console.log(`total ${(total / 1e6).toFixed(1)} s sampled`);
show(byFunction);
console.log('\nby file');
show(byFile);

// With a third argument, the call paths (up to 8 frames) that lead to the functions of that name, by self time.
const wanted = process.argv[4];
if (wanted !== undefined) {
  const parent = new Map<number, Node>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node);
  const paths = new Map<string, number>();
  for (const node of profile.nodes) {
    if (node.callFrame.functionName !== wanted) continue;
    const frames: string[] = [];
    for (let p = parent.get(node.id), i = 0; p !== undefined && i < 8; p = parent.get(p.id), i++)
      frames.push(
        `${p.callFrame.functionName || '(anon)'}@${p.callFrame.url.split('/').pop()}:${p.callFrame.lineNumber + 1}`,
      );
    const key = frames.join(' < ');
    paths.set(key, (paths.get(key) ?? 0) + (self.get(node.id) ?? 0));
  }
  console.log(`\ncallers of ${wanted}`);
  for (const [k, t] of [...paths].sort((a, b) => b[1] - a[1]).slice(0, 10))
    console.log(`${((t / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
}

// With a fourth argument, a comma-separated list of function names: the time spent inside each (inclusive).
const inside = process.argv[5];
if (inside !== undefined) {
  const parentOf = new Map<number, Node>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parentOf.set(c, node);
  for (const name of inside.split(',')) {
    let t = 0;
    for (const node of profile.nodes) {
      for (let p: Node | undefined = node; p !== undefined; p = parentOf.get(p.id))
        if (p.callFrame.functionName === name) {
          t += self.get(node.id) ?? 0;
          break;
        }
    }
    console.log(`inside ${name}: ${((t / total) * 100).toFixed(1)}%`);
  }
}
