// Prints a plain closing block that any CI log reader understands, last in the log where a
// truncated log still shows it: each failed test (file, name, first line of its error), then
// "tests: N passed, N failed".
class PlainSummaryReporter {
  onRunComplete(_contexts, results) {
    const lines = [];
    for (const suite of results.testResults) {
      const file = suite.testFilePath.replace(`${process.cwd()}/`, '');
      if (suite.testExecError) lines.push(`failed: ${file}: ${firstLine(suite.testExecError.message)}`);
      for (const test of suite.testResults) {
        if (test.status !== 'failed') continue;
        lines.push(`failed: ${file} › ${test.fullName}: ${firstLine(test.failureMessages[0] ?? '')}`);
      }
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    lines.push(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}

/** The first non-empty line of an error text, without terminal colours. */
function firstLine(text) {
  const plain = String(text).replace(/\u001b\[[0-9;]*m/g, '');
  return (plain.split('\n').find((line) => line.trim() !== '') ?? '').trim().slice(0, 300);
}

module.exports = PlainSummaryReporter;
