import { describe, expect, it } from 'vitest';
import * as a from '../src/errors.js';

describe('error classes', () => {
  it('instanceof follows the hierarchy', () => {
    const e = new a.ShapeError('x: expected 2, got 3');
    expect(e).toBeInstanceOf(a.ShapeError);
    expect(e).toBeInstanceOf(a.SimdnetError);
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(a.ValueError);
    expect(e.name).toBe('ShapeError');
    expect(new a.TrainingError('m', { epoch: 2, batch: 3 })).toBeInstanceOf(a.TrainingError);
    expect(new Error('plain')).not.toBeInstanceOf(a.SimdnetError);
    expect(null).not.toBeInstanceOf(a.SimdnetError);
  });

  it('instanceof holds across separate copies of the classes (entry points bundle their own)', async () => {
    const { vi } = await import('vitest');
    vi.resetModules();
    const b = await import('../src/errors.js');
    expect(b.DataError).not.toBe(a.DataError);
    const e = new b.DataError('model.version: expected 1, got 2');
    expect(e).toBeInstanceOf(a.DataError);
    expect(e).toBeInstanceOf(a.SimdnetError);
    expect(e).not.toBeInstanceOf(a.ShapeError);
    expect(new a.ValueError('v')).toBeInstanceOf(b.ValueError);
  });
});
