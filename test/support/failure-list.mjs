// A node:test reporter that prints, after the TAP summary, which tests failed and why: a long run's failures
// are then in its last lines, where a CI log excerpt shows them. Used beside the TAP reporter (package.json).

export default async function* failureList(source) {
  const failed = [];
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const { name, file, details } = event.data;
    const error = details?.error;
    // A suite fails because a test in it failed: that test is listed itself.
    if (error?.failureType === 'subtestsFailed') continue;
    const cause = error?.cause ?? error;
    const text = String(cause?.message ?? cause)
      .split('\n')
      .slice(0, 8);
    failed.push([`${file ?? '(unknown file)'}: ${name}`, ...text.map((l) => `    ${l}`)]);
  }
  if (failed.length === 0) return;
  yield `\n# which tests failed (${failed.length}):\n${failed
    .flat()
    .map((l) => `# ${l}`)
    .join('\n')}\n`;
}
