import * as fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, type AtomicWriteFileSystem } from '../../src/core/atomic-write.js';
import { tempDir } from '../helpers/temp.js';

/** node:fs, with every call noted as `name target` (a descriptor is named by the path it opened). */
function recordingFs(calls: string[], fail?: (name: string, target: string) => boolean): AtomicWriteFileSystem {
  const opened = new Map<number, string>();
  const note = (name: string, target: string) => {
    calls.push(`${name} ${path.basename(target)}`);
    if (fail?.(name, target)) throw Object.assign(new Error(`${name} failed`), { code: 'EIO' });
  };
  return {
    openSync(p, flags) {
      note('open', p);
      const fd = fs.openSync(p, flags);
      opened.set(fd, p);
      return fd;
    },
    writeFileSync(fd, data) {
      note('write', opened.get(fd)!);
      fs.writeFileSync(fd, data);
    },
    fsyncSync(fd) {
      note('fsync', opened.get(fd)!);
      fs.fsyncSync(fd);
    },
    closeSync(fd) {
      note('close', opened.get(fd)!);
      fs.closeSync(fd);
    },
    renameSync(from, to) {
      note('rename', to);
      fs.renameSync(from, to);
    },
    unlinkSync(p) {
      note('unlink', p);
      fs.unlinkSync(p);
    },
  };
}

describe('writeFileAtomic', () => {
  const dir = tempDir();

  it('syncs the data before the rename and the folder after it, so a power loss cannot leave an empty file', () => {
    const file = path.join(dir, 'checkpoint.json');
    fs.writeFileSync(file, 'old');
    const calls: string[] = [];
    writeFileAtomic(file, 'new contents', recordingFs(calls));
    expect(fs.readFileSync(file, 'utf8')).toBe('new contents');
    const tmp = `.checkpoint.json.${process.pid}.tmp`;
    const folder = path.basename(dir);
    expect(calls).toEqual([`open ${tmp}`, `write ${tmp}`, `fsync ${tmp}`, `close ${tmp}`, 'rename checkpoint.json', `open ${folder}`, `fsync ${folder}`, `close ${folder}`]);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the old file and removes the temporary one when the sync fails', () => {
    const file = path.join(dir, 'kept.json');
    fs.writeFileSync(file, 'old');
    const calls: string[] = [];
    expect(() => writeFileAtomic(file, 'new', recordingFs(calls, (name) => name === 'fsync'))).toThrow(/fsync failed/);
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(calls).not.toContain('rename kept.json');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('still counts as written where the folder cannot be synced (as on Windows)', () => {
    const file = path.join(dir, 'folder-sync.json');
    const calls: string[] = [];
    writeFileAtomic(file, 'data', recordingFs(calls, (name, target) => name === 'open' && target === dir));
    expect(fs.readFileSync(file, 'utf8')).toBe('data');
  });

  it("replaces a symbolic link's target through a temporary file beside it, and the link stays a link", () => {
    const target = path.join(dir, 'target.json');
    const link = path.join(dir, 'link.json');
    fs.writeFileSync(target, 'old');
    fs.symlinkSync(target, link);
    const calls: string[] = [];
    writeFileAtomic(link, 'new', recordingFs(calls));
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('new');
    expect(calls).toContain('rename target.json');
  });

  it('writes through a link to nothing yet, creating its target', () => {
    const target = path.join(dir, 'not-yet.json');
    const link = path.join(dir, 'dangling.json');
    fs.symlinkSync(target, link);
    writeFileAtomic(link, 'data');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('data');
  });

  it('writes to what is no regular file (a device) directly, never renaming onto it', () => {
    const calls: string[] = [];
    // A rename is refused before it reaches the file system: a regression must not replace /dev/null.
    writeFileAtomic('/dev/null', 'data', recordingFs(calls, (name) => name === 'rename'));
    expect(calls).toEqual(['open null', 'write null', 'close null']);
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
  });
});
