// Prints one plain closing line that any CI log reader understands: "tests: N passed, N failed".
class PlainSummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      `\ntests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`,
    );
  }
}

module.exports = PlainSummaryReporter;
