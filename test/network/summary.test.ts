// net.summary(): the text, for the worked example's network and a larger one.
import { describe, expect, it } from 'vitest';
import { Network, Scaler } from '../../src/index.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';

describe.each(BACKENDS)('summary on $name', ({ name, options }) => {
  it('lists the layers with output shapes and parameter counts, the total, and what the network carries', async () => {
    const rt = await runtimeFor(options);
    const net = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], runtime: rt });
    net.classes = ['fail', 'pass'];
    net.featureNames = ['hours', 'attendance'];
    net.targetName = 'passed';
    net.scaler = Scaler.fit([[1, 0.5], [9, 1]], 'minmax');
    expect(net.summary()).toBe(
      [
        'Layer     Output shape   Activation   Parameters',
        '────────────────────────────────────────────────',
        'input     (batch, 2)                           0',
        'dense_1   (batch, 3)     relu                  9',
        'dense_2   (batch, 1)     sigmoid               4',
        '────────────────────────────────────────────────',
        'Total parameters: 13 (52 bytes as float32), all trainable',
        'Inputs: 2 features (hours, attendance); minmax scaling',
        "Outputs: 2 classes of 'passed' (fail, pass)",
        `Backend: ${name}`,
      ].join('\n'),
    );
    net.dispose();
  });

  it('counts inputs × units + units per layer, with thousands separators; leaky_relu shows its slope', async () => {
    const rt = await runtimeFor(options);
    const net = new Network({ inputs: 784, layers: [{ units: 128, activation: 'leaky_relu', alpha: 0.1 }, { units: 10 }], runtime: rt });
    const text = net.summary();
    expect(text).toContain('dense_1   (batch, 128)   leaky_relu (alpha 0.1)      100,480');
    expect(text).toContain('dense_2   (batch, 10)    linear                        1,290');
    expect(text).toContain('Total parameters: 101,770 (407,080 bytes as float32)');
    expect(net.parameterCount).toBe(101_770);
    expect(text).toContain('Outputs: 10 values; targets not scaled');
    net.dispose();
  });
});
