/**
 * The README's quick start names every system package a default installation reads (issue 15 item 9): each
 * config default that is a file of the system is looked up in Debian's package database (`dpkg -S`), and the
 * package must be named in the quick start's install line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describeConfig } from '../../src/config/index.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test('the quick start names the Debian package of every system file the defaults read', () => {
  const quickStart = /## Quick start\n([\s\S]*?)\n## /.exec(README)?.[1] ?? '';
  assert.ok(quickStart.length > 0, 'the README has a quick start');
  const install = /apt(?:-get)? install(?: -y)?((?: [a-z0-9.+-]+)+)/.exec(quickStart);
  assert.ok(install !== null, 'the quick start has an apt install line');
  const named = new Set(install[1]!.trim().split(/\s+/));
  const files = describeConfig()
    .map((k) => ({ key: k.path, file: k.defaultValue }))
    .filter(
      (k): k is { key: string; file: string } => typeof k.file === 'string' && k.file.startsWith('/usr/'),
    );
  assert.ok(files.length > 0, 'some default is a system file (the Public Suffix List)');
  for (const { key, file } of files) {
    const owner = execFileSync('dpkg', ['-S', file], { encoding: 'utf8' }).split(':')[0]!.trim();
    assert.ok(
      named.has(owner),
      `${key} defaults to ${file}, of the package ${owner}: name it in the quick start`,
    );
  }
});
