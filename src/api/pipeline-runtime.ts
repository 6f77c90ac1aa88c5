import type { AppContext } from '../app/context.js';
import { createPipelineRuntime, type PipelineRuntime } from '../pipeline/factory.js';

const runtimes = new WeakMap<AppContext, PipelineRuntime>();

/**
 * The web process's pipeline runtime (the intent model, ~100 ms to load), built on the first API
 * turn and shared by every request of this context. Process-local read-only state only.
 */
export function pipelineRuntimeFor(ctx: AppContext): PipelineRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    runtime = createPipelineRuntime(ctx);
    runtimes.set(ctx, runtime);
  }
  return runtime;
}
