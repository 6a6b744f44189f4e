// net.save(path) / Network.load(path): the same network back (bits, scaling,
// labels), written atomically; clear errors; the browser and edge builds'
// version refuses with advice.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, FileError, Network, Scaler, StateError, ValueError } from '../../src/index.js';
import { readModelFile, writeModelFile } from '../../src/network/file-io.browser.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { expectError, expectRejection } from '../support/expect-error.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'simdnet-save-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const X = [[1, 20, 300], [-2, 5, 7], [0.5, -40, 1e3]];

describe.each(BACKENDS)('save and load on $name', ({ name, options }) => {
  it('load(save(net)) predicts the same bits and carries the scaler, classes and names', async () => {
    const rt = await runtimeFor(options);
    const net = new Network({ inputs: 3, layers: [{ units: 5, activation: 'leaky_relu', alpha: 0.2 }, { units: 3, activation: 'softmax' }], seed: 9, runtime: rt });
    net.scaler = Scaler.fit(X, 'minmax');
    net.classes = ['a', 'b', 'c'];
    net.featureNames = ['x', 'y', 'z'];
    net.trainingSummary = { note: 'kept' };
    const path = join(dir, `${name}.model.json`);
    await net.save(path);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(JSON.parse(JSON.stringify(net)));
    const back = await Network.load(path, { runtime: rt });
    expect(back.predict(X)).toEqual(net.predict(X));
    expect(back.classes).toEqual(['a', 'b', 'c']);
    expect(back.featureNames).toEqual(['x', 'y', 'z']);
    expect(back.scaler?.toJSON()).toEqual(net.scaler.toJSON());
    expect(back.trainingSummary).toEqual({ note: 'kept' });
    // saving again replaces the file in one step: no temporary file stays beside it
    net.classes = ['c', 'b', 'a'];
    await net.save(path);
    expect((await Network.load(path, { runtime: rt })).classes).toEqual(['c', 'b', 'a']);
    expect(readdirSync(dir).filter((f) => f.startsWith(`.${name}`))).toEqual([]);
    net.dispose();
    back.dispose();
  });

  it('refuses a bad path, a folder, a missing file and a corrupt one, naming them', async () => {
    const rt = await runtimeFor(options);
    const net = new Network({ inputs: 3, layers: [{ units: 1, activation: 'sigmoid' }], runtime: rt });
    await expectRejection(() => net.save(''), ValueError, "path: expected a file path (a non-empty string), got \"\"");
    const folder = join(dir, `${name}-folder`);
    mkdirSync(folder);
    await expectRejection(() => net.save(folder), FileError, `cannot write '${folder}': it is a directory`);
    await expectRejection(() => net.save(join(dir, 'no-such-folder', 'm.json')), FileError, 'no such file or directory');
    const missing = join(dir, 'missing.json');
    await expectRejection(() => Network.load(missing, { runtime: rt }), DataError, `path: could not read '${missing}' (ENOENT)`);
    const corrupt = join(dir, `${name}-corrupt.json`);
    await net.save(corrupt);
    writeFileSync(corrupt, readFileSync(corrupt, 'utf8').replace('"targetName":null', '"targetName":"t"'));
    await expectRejection(() => Network.load(corrupt, { runtime: rt }), DataError, 'checksum');
    net.dispose();
    await expectRejection(() => net.save(join(dir, 'gone.json')), StateError, 'this network has been disposed');
    expect(existsSync(join(dir, 'gone.json'))).toBe(false);
  });
});

describe('browser and edge builds', () => {
  it('refuse with a StateError that says what to do instead', async () => {
    await expectRejection(() => writeModelFile('m.json'), StateError, "save('m.json'): writing files needs Node", 'JSON.stringify(net)', 'Network.fromJSON(text)');
    await expectRejection(() => readModelFile('m.json'), StateError, "load('m.json'): reading files needs Node", 'Network.fromJSON(text)');
  });
});
