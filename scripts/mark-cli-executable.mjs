#!/usr/bin/env node
// Marks the built CLI (the package's `bin`) executable. tsc writes it as an ordinary file, and
// npm only sets the bit when it links a bin: `npx rnnbow` in a clone runs the file through a link
// that npx cached for that folder, so a fresh build in a re-cloned folder with a stale link was
// "Permission denied". Part of `npm run build`.
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
chmodSync(join(root, 'dist', 'src', 'cli', 'main.js'), 0o755);
