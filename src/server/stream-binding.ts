// Node's internal stream binding (`process.binding('stream_wrap')`), which direct-read.ts and direct-write.ts use
// to reach a TCP handle without the stream layer. Node does not document it, so it is loaded defensively: each
// user checks the fields it needs and falls back to Node's public path when one is missing or has another shape.

/** The fields of the binding Cairn uses; any of them may be absent. */
export interface StreamWrapBinding {
  /** The request object a handle write takes (`new WriteWrap()`). */
  WriteWrap?: unknown;
  /** Shared results of the latest read or write, indexed by the constants below. */
  streamBaseState?: unknown;
  kReadBytesOrError?: unknown;
  kLastWriteWasAsync?: unknown;
  kBytesWritten?: unknown;
}

function load(): StreamWrapBinding {
  try {
    const b = (process as unknown as { binding(name: string): unknown }).binding('stream_wrap');
    if (typeof b === 'object' && b !== null) return b as StreamWrapBinding;
  } catch {
    // not available on this Node
  }
  return {};
}

/** The binding, or an empty object when this Node has none. */
export const streamWrap: StreamWrapBinding = load();
