"""The command line: the only code that touches argv, env, stdout/stderr,
written files and exit codes."""
