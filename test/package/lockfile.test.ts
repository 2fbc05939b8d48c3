import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));

describe('package-lock.json', () => {
  // A lock that disagrees with package.json is rewritten by the README's `npm install`, leaving a
  // fresh clone with a change nobody made (it once listed the optional tfjs-node as required).
  it('records exactly the dependencies package.json declares, each in its own group', () => {
    const root = lock.packages[''];
    for (const group of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      expect(root[group] ?? {}, group).toEqual(pkg[group] ?? {});
    }
    expect(root.version).toBe(pkg.version);
  });

  it('pins every declared dependency to the exact version installed from the lock', () => {
    for (const group of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      for (const [name, version] of Object.entries<string>(pkg[group] ?? {})) {
        expect(version, `${name} in ${group}`).toMatch(/^\d+\.\d+\.\d+$/);
        expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
      }
    }
  });
});
