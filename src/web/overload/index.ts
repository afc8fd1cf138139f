import type { FastifyInstance } from 'fastify';
import type { OverloadGuard, PressureSignal } from './guard.js';
import { registerPressureSampler } from './pressure.js';
import type { OverloadConfig } from './config.js';

export { OverloadGuard, type PressureSignal } from './guard.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The overload guard's counters, for /metrics. */
    overload: OverloadGuard;
  }
}

/**
 * Connects the guard (already in front of the app through `serverFactory`) to its pressure
 * signal: the sampled process figures, or the one a test injects.
 */
export async function registerOverload(
  app: FastifyInstance,
  guard: OverloadGuard,
  config: OverloadConfig,
  injected?: PressureSignal,
): Promise<void> {
  guard.setSignal(injected ?? (await registerPressureSampler(app, config)));
  app.decorate('overload', guard);
  app.addHook('onClose', async () => guard.close());
}
