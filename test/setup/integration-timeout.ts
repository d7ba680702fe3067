// Integration tests wait on real servers: their own waitFor timeouts bound them, not jest's 5 s default.
// (Set here rather than as `testTimeout`, which jest ignores for a project run through --projects.)
jest.setTimeout(120_000);
