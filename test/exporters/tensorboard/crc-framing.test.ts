import { describe, expect, it } from 'vitest';
import { crc32c, maskCrc, maskedCrc32c, unmaskCrc } from '../../../src/exporters/tensorboard/crc32c.js';
import { tensorboardProtos } from '../../../src/exporters/tensorboard/proto.js';
import { finishScan, frameRecord, scanFrames } from '../../../src/exporters/tensorboard/tfrecord.js';

/** Bit-by-bit CRC-32C (reflected polynomial 0x82F63B78): an independent reference. */
function referenceCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** TFRecord's mask computed with BigInt arithmetic, independent of the implementation. */
function referenceMask(crc: number): number {
  const c = BigInt(crc);
  const rotated = ((c >> 15n) | (c << 17n)) & 0xffffffffn;
  return Number((rotated + 0xa282ead8n) & 0xffffffffn);
}

describe('CRC-32C', () => {
  it('matches the standard check value and the RFC 3720 (iSCSI) test vectors', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('agrees with a bitwise reference on random data', () => {
    let seed = 12345;
    for (let len = 0; len < 300; len += 7) {
      const bytes = Uint8Array.from({ length: len }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
      expect(crc32c(bytes)).toBe(referenceCrc32c(bytes));
    }
  });

  it('masks as TFRecord does and unmasks back', () => {
    for (const c of [0, 1, 0xe3069283, 0xffffffff, 0x80000000, 0x12345678]) {
      expect(maskCrc(c)).toBe(referenceMask(c));
      expect(unmaskCrc(maskCrc(c))).toBe(c);
    }
    expect(maskedCrc32c(Buffer.from('123456789'))).toBe(referenceMask(0xe3069283));
  });
});

describe('TFRecord framing', () => {
  it('frames a record exactly as assembled by hand', () => {
    // Event{wall_time: 1.5, step: 3, file_version: "brain.Event:2"}, encoded by hand:
    // field 1 (double, tag 0x09), field 2 (varint, tag 0x10), field 3 (bytes, tag 0x1a).
    const payload = Buffer.from([
      0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f,
      0x10, 0x03,
      0x1a, 0x0d, ...Buffer.from('brain.Event:2'),
    ]);
    expect(Buffer.from(tensorboardProtos().Event.encode({ wallTime: 1.5, step: 3, fileVersion: 'brain.Event:2' }))).toEqual(payload);
    const len = Buffer.from([payload.length, 0, 0, 0, 0, 0, 0, 0]);
    const lenCrc = referenceMask(referenceCrc32c(len));
    const dataCrc = referenceMask(referenceCrc32c(payload));
    const u32 = (x: number) => [x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, x >>> 24];
    const expected = Buffer.from([...len, ...u32(lenCrc), ...payload, ...u32(dataCrc)]);
    expect(frameRecord(payload)).toEqual(expected);
  });

  it('frames an empty payload as 16 bytes', () => {
    const f = frameRecord(new Uint8Array(0));
    expect(f.length).toBe(16);
    expect(f.readUInt32LE(8)).toBe(referenceMask(referenceCrc32c(new Uint8Array(8))));
    expect(f.readUInt32LE(12)).toBe(referenceMask(0));
  });
});

function records(...payloads: string[]): { buf: Buffer; offsets: number[] } {
  const frames = payloads.map((p) => frameRecord(Buffer.from(p)));
  const offsets: number[] = [];
  let at = 0;
  for (const f of frames) {
    offsets.push(at);
    at += f.length;
  }
  return { buf: Buffer.concat(frames), offsets };
}

const start = () => ({ offset: 0, resyncing: false });

describe('scanFrames', () => {
  it('reads every record of a clean buffer', () => {
    const { buf, offsets } = records('one', 'two', '', 'four');
    const scan = scanFrames(buf, 0, start());
    expect(scan.records.map((r) => r.payload.toString())).toEqual(['one', 'two', '', 'four']);
    expect(scan.records.map((r) => r.offset)).toEqual(offsets);
    expect(scan.corruptions).toEqual([]);
    expect(scan.partialTail).toBe(false);
    expect(scan.next.offset).toBe(buf.length);
  });

  it('leaves a cut-short last record for later, at every cut position', () => {
    const { buf, offsets } = records('alpha', 'beta-beta');
    for (let cut = offsets[1] + 1; cut < buf.length; cut++) {
      const scan = scanFrames(buf.subarray(0, cut), 0, start());
      expect(scan.records.map((r) => r.payload.toString())).toEqual(['alpha']);
      expect(scan.corruptions).toEqual([]);
      expect(scan.partialTail).toBe(true);
      expect(scan.next.offset).toBe(offsets[1]);
      // The rest arrives: resume from the saved state with the remaining bytes.
      const rest = scanFrames(buf.subarray(scan.next.offset), scan.next.offset, scan.next);
      expect(rest.records.map((r) => r.payload.toString())).toEqual(['beta-beta']);
      expect(finishScan(rest.next, buf.length)).toBeNull();
      // If nothing more ever arrives, the tail is reported once the file is called complete.
      expect(finishScan(scan.next, cut)).toMatchObject({ offset: offsets[1], skipped: cut - offsets[1] });
    }
  });

  it('skips a record whose payload was damaged and reports its offset', () => {
    const { buf, offsets } = records('first', 'second', 'third');
    buf[offsets[1] + 12 + 2] ^= 0x01;
    const scan = scanFrames(buf, 0, start());
    expect(scan.records.map((r) => r.payload.toString())).toEqual(['first', 'third']);
    expect(scan.corruptions).toEqual([{ offset: offsets[1], skipped: offsets[2] - offsets[1], reason: expect.stringContaining('payload CRC') }]);
  });

  it('resyncs after a damaged header: every byte of the middle record flipped in turn', () => {
    const { buf, offsets } = records('first', 'second record', 'third');
    for (let at = offsets[1]; at < offsets[2]; at++) {
      const damaged = Buffer.from(buf);
      damaged[at] ^= 0x40;
      const scan = scanFrames(damaged, 0, start());
      expect(scan.records.map((r) => r.payload.toString())).toEqual(['first', 'third']);
      expect(scan.corruptions).toHaveLength(1);
      expect(scan.corruptions[0].offset).toBe(offsets[1]);
      expect(scan.corruptions[0].offset + scan.corruptions[0].skipped).toBe(offsets[2]);
    }
  });

  it('finds records after leading garbage and reports the garbage', () => {
    const { buf } = records('x', 'y');
    const garbage = Buffer.from('this is not a record at all');
    const scan = scanFrames(Buffer.concat([garbage, buf]), 0, start());
    expect(scan.records.map((r) => r.payload.toString())).toEqual(['x', 'y']);
    expect(scan.corruptions).toEqual([{ offset: 0, skipped: garbage.length, reason: expect.any(String) }]);
  });

  it('reports nothing for an empty buffer', () => {
    const scan = scanFrames(Buffer.alloc(0), 0, start());
    expect(scan.records).toEqual([]);
    expect(scan.corruptions).toEqual([]);
    expect(scan.partialTail).toBe(false);
  });

  it('follows a file that grows one byte at a time', () => {
    const { buf } = records('a', 'bb', 'ccc', 'dddd');
    let state = start();
    const seen: string[] = [];
    for (let size = 1; size <= buf.length; size++) {
      const scan = scanFrames(buf.subarray(state.offset, size), state.offset, state);
      seen.push(...scan.records.map((r) => r.payload.toString()));
      expect(scan.corruptions).toEqual([]);
      state = scan.next;
    }
    expect(seen).toEqual(['a', 'bb', 'ccc', 'dddd']);
  });
});
