/** How a module Web Worker talks to the page that started it (see worker-port.ts). */
import type { Port, WorkerStart } from './worker-port.js';

export type { Port, WorkerStart };

interface WebScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (e: { data: WorkerStart }) => void, options?: { once: boolean }): void;
}

export function port(): Promise<Port> {
  const self = globalThis as unknown as WebScope;
  return Promise.resolve({
    once: (listener) => self.addEventListener('message', (e) => listener(e.data), { once: true }),
    post: (m) => self.postMessage(m),
    onExit: () => undefined,
  });
}
