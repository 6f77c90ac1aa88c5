/**
 * LangChain's async-local-storage provider builds a LangSmith RunTree for every runnable call so
 * that a tracer could link child runs, also when no tracer is configured: 49 per pipeline run
 * (each with a UUIDv7, timestamps and environment lookups). Without LangSmith tracing nothing
 * reads them. Measured on this graph: 2.3 ms of CPU per invoke with them, 1.2 ms without, about
 * a sixth of a worker's CPU per ticket.
 *
 * What the RunTree also carries is the parent's config for runnables called inside a node without
 * passing it on (callbacks, tags, abort signal). The pipeline passes nothing that way: nodes get
 * their clients injected, model calls set their own timeouts. With tracing turned on (any of the
 * LangSmith/LangChain tracing variables) nothing is changed and runs link as usual.
 */
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';

const TRACING_VARIABLES = ['LANGSMITH_TRACING', 'LANGSMITH_TRACING_V2', 'LANGCHAIN_TRACING', 'LANGCHAIN_TRACING_V2'];

type Provider = { runWithConfig(config: unknown, callback: () => unknown, avoidCreatingRootRunTree?: boolean): unknown };

let applied = false;

export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return TRACING_VARIABLES.some((name) => /^(true|1)$/i.test(env[name] ?? ''));
}

/** Skips the untraced RunTrees for the rest of the process; false when tracing is requested. */
export function skipUntracedRunTrees(env: NodeJS.ProcessEnv = process.env): boolean {
  if (tracingRequested(env)) return false;
  if (applied) return true;
  const provider = AsyncLocalStorageProviderSingleton as unknown as Provider;
  const runWithConfig = provider.runWithConfig.bind(provider);
  // A configured tracer still gets its run tree: the flag only skips the placeholder root.
  provider.runWithConfig = (config, callback) => runWithConfig(config, callback, true);
  applied = true;
  return true;
}
